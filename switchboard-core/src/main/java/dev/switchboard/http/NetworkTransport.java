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
   * system calls. Its loops gather writes in arrays of {@code IOV_MAX} iovecs (see {@link
   * #IOVEC_ARRAY_PROPERTY}).
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

  /**
   * Netty's system property for the size of the iovec array an io_uring loop shares among the
   * gathering writes it submits together. Netty 4.2 sizes it at 10 × {@code IOV_MAX} but stops
   * filling it at {@code IOV_MAX} entries without submitting it: once a turn's writes hold 1,024
   * iovecs, every further gathering write goes out with none, completes at once with 0 bytes and
   * is submitted again, so the turn spins through hundreds of thousands of empty writes, and the
   * completion queue overflows (a fan-out to a few hundred sockets with several messages waiting
   * for each is enough). An array of exactly {@code IOV_MAX} entries counts as full at that point, and is
   * submitted and cleared before the next write. Set unless already given; read by Netty once,
   * when its io_uring classes load.
   */
  static final String IOVEC_ARRAY_PROPERTY = "io.netty.iouring.numElementsIoVec";

  /** Linux's {@code IOV_MAX} (UIO_MAXIOV): the most iovecs one writev takes. */
  static final int IOV_MAX = 1024;

  static {
    if (System.getProperty(IOVEC_ARRAY_PROPERTY) == null) {
      System.setProperty(IOVEC_ARRAY_PROPERTY, Integer.toString(IOV_MAX));
    }
  }

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
