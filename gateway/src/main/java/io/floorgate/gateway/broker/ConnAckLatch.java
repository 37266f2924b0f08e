package io.floorgate.gateway.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jspecify.annotations.Nullable;

/**
 * Sits on the broker side of a relayed connection until Moquette answers the CONNECT, and only
 * then lets the client's next packets through. MQTT allows a client to send SUBSCRIBE or PUBLISH
 * right behind its CONNECT, without waiting for the CONNACK; Moquette 0.17 marks a connection as
 * connected only once its CONNACK is written, and drops a connection whose SUBSCRIBE arrives
 * before that. Holding the client's bytes until the CONNACK has come back closes that window.
 */
final class ConnAckLatch extends ChannelInboundHandlerAdapter {
  private final Channel client;
  private @Nullable ByteBuf held;

  /** {@code held}: what the client sent after its CONNECT (may be null); this latch owns it. */
  ConnAckLatch(Channel client, @Nullable ByteBuf held) {
    this.client = client;
    this.held = held;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // Moquette's first bytes are the CONNACK: by now it counts the connection as connected.
    ctx.fireChannelRead(msg);
    ByteBuf rest = held;
    held = null;
    if (rest != null && rest.isReadable()) {
      ctx.channel().writeAndFlush(rest);
    } else if (rest != null) {
      rest.release();
    }
    ctx.pipeline().remove(this);
    client.config().setAutoRead(true);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (held != null) {
      held.release();
      held = null;
    }
  }
}
