package io.floorgate.gateway.broker;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * Netty's native epoll transport where it loads (Linux on x86-64; Moquette brings it), else NIO.
 * Epoll costs fewer system calls and no selector garbage per read, which counts twice here: every
 * client's bytes pass the front door's relay and then Moquette, which is told to use the same
 * ({@code netty.epoll}).
 */
final class Transport {
  /** Whether the native transport loaded. */
  static final boolean EPOLL = Epoll.isAvailable();

  private Transport() {}

  static EventLoopGroup group(int threads, ThreadFactory threadFactory) {
    return EPOLL
        ? new EpollEventLoopGroup(threads, threadFactory)
        : new NioEventLoopGroup(threads, threadFactory);
  }

  static Class<? extends ServerChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  static Class<? extends SocketChannel> channel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
