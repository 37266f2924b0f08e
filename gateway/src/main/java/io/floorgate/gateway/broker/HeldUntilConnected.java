package io.floorgate.gateway.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An admitted client's next packets, held in front of Moquette's handlers until Moquette counts
 * its connection as connected. Clients send SUBSCRIBE the moment the CONNACK arrives (MQTT even
 * lets them send it before). Moquette 0.17 sets its "connected" flag in a listener that can run
 * after the CONNACK is on the wire (milliseconds later on a busy machine) and closes a connection
 * whose SUBSCRIBE it reads before that. Moquette announces the connection to its interceptors
 * only after setting the flag, so the front door waits for that announcement ({@link
 * Tickets#connected}), then passes on what it held, leaves the pipeline and reads on. Runs on the
 * client's event loop; reading is off while it holds.
 */
final class HeldUntilConnected extends ChannelInboundHandlerAdapter {
  /** Released anyway after this long: a slow announcement must not stall a client for ever. */
  static final long FALLBACK_MILLIS = 5_000;

  private @Nullable ChannelHandlerContext ctx;
  private @Nullable ByteBuf held;
  private boolean done;

  /** {@code held}: what the client sent behind its CONNECT (may be null); this owns it. */
  HeldUntilConnected(@Nullable ByteBuf held) {
    this.held = held;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.executor().schedule(this::release, FALLBACK_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!(msg instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    // Reading is off, but a read already under way may still deliver a little.
    if (held == null) {
      held = bytes;
    } else {
      ByteBuf both = ctx.alloc().buffer(held.readableBytes() + bytes.readableBytes());
      both.writeBytes(held).writeBytes(bytes);
      held.release();
      bytes.release();
      held = both;
    }
  }

  /** Passes on what was held and reads on from the client. Idempotent; on the event loop. */
  void release() {
    ChannelHandlerContext context = ctx;
    if (done || context == null) {
      return;
    }
    done = true;
    ByteBuf rest = held;
    held = null;
    if (!context.channel().isActive()) {
      ReferenceCountUtil.release(rest);
      return;
    }
    if (rest != null && rest.isReadable()) {
      context.fireChannelRead(rest);
      context.fireChannelReadComplete();
    } else {
      ReferenceCountUtil.release(rest);
    }
    context.pipeline().remove(this);
    context.channel().config().setAutoRead(true);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    done = true;
    ReferenceCountUtil.release(held);
    held = null;
  }
}
