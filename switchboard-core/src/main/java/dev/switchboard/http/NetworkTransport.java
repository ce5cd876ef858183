package dev.switchboard.http;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/** How the server's event loops talk to the kernel. */
public enum NetworkTransport {
  /** Linux epoll: readiness events, one system call per socket write. */
  EPOLL {
    @Override
    boolean available() {
      return Epoll.isAvailable();
    }

    @Override
    IoHandlerFactory ioHandlers() {
      return EpollIoHandler.newFactory();
    }

    @Override
    Class<? extends ServerSocketChannel> serverChannel() {
      return EpollServerSocketChannel.class;
    }
  },
  /**
   * Linux io_uring (kernel 5.9 or later, when not disabled by the system): the writes of a loop
   * turn are submitted to the kernel together, so a fan-out to many sockets costs far fewer
   * system calls.
   */
  IO_URING {
    @Override
    boolean available() {
      return IoUring.isAvailable();
    }

    @Override
    IoHandlerFactory ioHandlers() {
      return IoUringIoHandler.newFactory();
    }

    @Override
    Class<? extends ServerSocketChannel> serverChannel() {
      return IoUringServerSocketChannel.class;
    }
  },
  /** Java NIO: works everywhere. */
  NIO {
    @Override
    boolean available() {
      return true;
    }

    @Override
    IoHandlerFactory ioHandlers() {
      return NioIoHandler.newFactory();
    }

    @Override
    Class<? extends ServerSocketChannel> serverChannel() {
      return NioServerSocketChannel.class;
    }
  };

  abstract boolean available();

  abstract IoHandlerFactory ioHandlers();

  abstract Class<? extends ServerSocketChannel> serverChannel();

  /** This transport when the system offers it, else epoll when available, else NIO. */
  NetworkTransport orFallback() {
    if (available()) {
      return this;
    }
    return EPOLL.available() ? EPOLL : NIO;
  }
}
