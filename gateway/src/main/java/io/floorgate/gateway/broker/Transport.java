package io.floorgate.gateway.broker;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * Netty's native epoll transport where it loads (Linux on x86-64; Moquette brings it), else NIO.
 * Epoll costs fewer system calls and no selector garbage per read. Moquette is told to use the
 * same ({@code netty.epoll}), which matters for {@link Broker#bare}: in the gateway, Moquette's
 * handlers run on the front door's channels.
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
}
