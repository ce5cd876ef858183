package dev.switchboard.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The event loops and bootstrap that open {@link SioConnection}s to one server. */
public final class ClientGroup implements AutoCloseable {
  private static final int MAX_FRAME = 1 << 20;

  private final EventLoopGroup loops;
  private final Bootstrap bootstrap;
  private final InetSocketAddress server;
  private final URI uri;
  private final SourceAddresses sources;

  public ClientGroup(int port, int threads, SourceAddresses sources) {
    boolean epoll = Epoll.isAvailable();
    this.loops = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.server = new InetSocketAddress("127.0.0.1", port);
    this.uri = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
    this.sources = sources;
    this.bootstrap = new Bootstrap()
        .group(loops)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  /** Opens one connection from the next source address; completes once Socket.IO connected. */
  public CompletableFuture<SioConnection> connect(SioListener listener) {
    SioConnection connection = new SioConnection(listener);
    ChannelFuture future = bootstrap.clone()
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                new HttpClientCodec(),
                new HttpObjectAggregator(8192),
                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                    uri, WebSocketVersion.V13, null, false, EmptyHttpHeaders.INSTANCE, MAX_FRAME)),
                connection);
          }
        })
        .connect(server, sources.next());
    future.addListener(f -> {
      if (!f.isSuccess()) {
        connection.connected().completeExceptionally(f.cause());
      }
    });
    return connection.connected();
  }

  @Override
  public void close() {
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
