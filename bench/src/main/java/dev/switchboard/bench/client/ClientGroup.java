package dev.switchboard.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
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
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The event loops and bootstrap that open {@link SioConnection}s and {@link SseConnection}s to the
 * nodes of the server under test (one port per node).
 */
public final class ClientGroup implements AutoCloseable {
  private final EventLoopGroup loops;
  private final Bootstrap bootstrap;
  private final int[] ports;
  private final SourceAddresses sources;
  private final boolean msgpack;

  public ClientGroup(int[] ports, int threads, SourceAddresses sources) {
    this(ports, threads, sources, false);
  }

  /** Clients that speak {@code socket.io-msgpack-parser}'s packets when {@code msgpack}, for a server on that parser. */
  public ClientGroup(int[] ports, int threads, SourceAddresses sources, boolean msgpack) {
    this.msgpack = msgpack;
    if (ports.length == 0) {
      throw new IllegalArgumentException("no server port");
    }
    boolean epoll = Epoll.isAvailable();
    this.loops = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.ports = ports.clone();
    this.sources = sources;
    this.bootstrap = new Bootstrap()
        .group(loops)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  /** How many server nodes connections are spread over. */
  public int nodes() {
    return ports.length;
  }

  /** Opens one Socket.IO connection to {@code node}; completes once Socket.IO connected. */
  public CompletableFuture<SioConnection> connect(int node, SioListener listener) {
    SioConnection connection = new SioConnection(node, listener, msgpack);
    String host = "127.0.0.1:" + ports[node];
    open(node, connection.connected(), () -> new ChannelHandler[] {
        new HttpClientCodec(),
        new HttpObjectAggregator(8192),
        new WebSocketUpgrade(host, "/socket.io/?EIO=4&transport=websocket"),
        connection});
    return connection.connected();
  }

  /** Opens one EventSource stream on {@code node} at {@code pathAndQuery}; completes on its 200 answer. */
  public CompletableFuture<SseConnection> stream(int node, String pathAndQuery, SseListener listener) {
    SseConnection connection = new SseConnection(pathAndQuery, "127.0.0.1:" + ports[node], listener);
    open(node, connection.connected(), () -> new ChannelHandler[] {new HttpClientCodec(), connection});
    return connection.connected();
  }

  private void open(int node, CompletableFuture<?> connected, Supplier<ChannelHandler[]> handlers) {
    ChannelFuture future = bootstrap.clone()
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(handlers.get());
          }
        })
        .connect(new InetSocketAddress("127.0.0.1", ports[node]), sources.next());
    future.addListener(f -> {
      if (!f.isSuccess()) {
        connected.completeExceptionally(f.cause());
      }
    });
  }

  @Override
  public void close() {
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
