package io.floorgate.gateway.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * One listener clients connect to (plain MQTT or MQTT over TLS). Each connection first meets a
 * {@link ConnectGate}; once admitted, Moquette's handlers serve it on the same channel ({@link
 * MoquettePipeline}). See this package's README.md for why.
 */
final class FrontDoor implements AutoCloseable {
  /**
   * How a listener is set up.
   *
   * @param name for logs: {@code mqtt} or {@code mqtts}
   * @param ssl the TLS context, or null for plain MQTT
   * @param anonymous whether clients without user name (or certificate) are let in
   * @param certificates whether client certificates are asked for (their CN is the user name)
   */
  record Listener(
      String name, String host, int port, @Nullable SslContext ssl, boolean anonymous, boolean certificates) {}

  private final Listener listener;
  private final Channel server;

  private FrontDoor(Listener listener, Channel server) {
    this.listener = listener;
    this.server = server;
  }

  /**
   * Binds the listener.
   *
   * @throws IllegalStateException naming the address when it cannot be bound
   */
  static FrontDoor open(Listener listener, Gatekeeper gate, EventLoopGroup boss, EventLoopGroup workers) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(Transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 128)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (listener.ssl() != null) {
                      ch.pipeline().addLast("tls", listener.ssl().newHandler(ch.alloc()));
                    }
                    ch.pipeline().addLast("connect-gate", new ConnectGate(gate, listener));
                  }
                });
    try {
      Channel server = bootstrap.bind(listener.host(), listener.port()).syncUninterruptibly().channel();
      return new FrontDoor(listener, server);
    } catch (Exception e) { // Netty rethrows the bind's checked exception (a BindException) as is
      throw new IllegalStateException(
          "cannot listen for "
              + listener.name()
              + " on "
              + listener.host()
              + ":"
              + listener.port()
              + ": "
              + e,
          e);
    }
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  Listener listener() {
    return listener;
  }

  /** Stops accepting; open connections are closed with the event loops. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
  }
}
