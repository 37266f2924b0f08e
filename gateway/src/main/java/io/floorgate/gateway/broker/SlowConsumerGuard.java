package io.floorgate.gateway.broker;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes an admitted connection that has stopped taking what the broker sends it, for {@code
 * broker.slow_consumer_timeout}: either it has acknowledged none of the QoS 1 and 2 messages
 * outstanding to it for that long, or its connection could take no more bytes (Netty's buffer
 * above its high water mark) for that long.
 *
 * <p>Why: Moquette 0.17 sends a subscriber at most 10 QoS 1 or 2 messages it has not acknowledged
 * (or fewer when its connection is full) and keeps the rest in the session's queue, without a
 * bound; for a clean session that queue is on the heap. One subscriber that stopped reading (an
 * HMI whose message callback hangs, so that its MQTT library reads no more) so grew the
 * gateway's heap until it ended with an OutOfMemoryError, in about a minute at 1,500 breaches a
 * second (docs/operations.md, Troubleshooting). Closing the connection ends a clean session's
 * queue with it (a persistent session's is on disk, and stays); the client can connect again and
 * read the alarm states, which are retained. QoS 0 messages for a full connection Moquette drops
 * anyway.
 *
 * <p>Sits between Moquette's MQTT codec and its connection handler, so it sees the packets
 * themselves: the publishes going out and the acknowledgements coming in. Runs on the channel's
 * event loop only, so it needs no locking; checks a few times per timeout.
 */
final class SlowConsumerGuard extends ChannelDuplexHandler {
  static final String NAME = "slow-consumer";

  private final Gatekeeper gate;
  private final String clientId;
  private final String peer;
  private final long timeoutNanos;
  /** Packet ids of QoS 1/2 publishes sent and not yet acknowledged (PUBACK, PUBREC). */
  private final Set<Integer> unacknowledged = new HashSet<>();
  /** When the client last acknowledged something, or when it last had nothing outstanding. */
  private long lastProgress = System.nanoTime();
  /** When the connection last became full; -1 while it is not. */
  private long fullSince = -1;
  private @Nullable ScheduledFuture<?> check;

  SlowConsumerGuard(Gatekeeper gate, String clientId, String peer) {
    this.gate = gate;
    this.clientId = clientId;
    this.peer = peer;
    this.timeoutNanos = gate.slowConsumerTimeout.toNanos();
  }

  /** Whether connections are guarded at all ({@code slow_consumer_timeout: 0} turns it off). */
  static boolean enabled(Gatekeeper gate) {
    return !gate.slowConsumerTimeout.isZero();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), timeoutNanos / 4);
    check =
        ctx.executor()
            .scheduleAtFixedRate(() -> check(ctx), period, period, TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stop();
    ctx.fireChannelInactive();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof MqttPublishMessage publish
        && publish.fixedHeader().qosLevel() != MqttQoS.AT_MOST_ONCE) {
      if (unacknowledged.isEmpty()) {
        lastProgress = System.nanoTime(); // the clock starts with the first one outstanding
      }
      unacknowledged.add(publish.variableHeader().packetId());
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    noteWritability(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof MqttMessage message
        && (message.fixedHeader().messageType() == MqttMessageType.PUBACK
            || message.fixedHeader().messageType() == MqttMessageType.PUBREC)
        && message.variableHeader() instanceof MqttMessageIdVariableHeader id) {
      unacknowledged.remove(id.messageId());
      lastProgress = System.nanoTime();
    }
    ctx.fireChannelRead(msg);
  }

  private void check(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      stop();
      return;
    }
    // Also asked here, not only told by the events: a handler in front of this one need not pass
    // writability changes on.
    noteWritability(ctx.channel().isWritable());
    long now = System.nanoTime();
    String stalled = null;
    if (fullSince >= 0 && now - fullSince >= timeoutNanos) {
      stalled = "its connection took no more bytes";
    } else if (!unacknowledged.isEmpty() && now - lastProgress >= timeoutNanos) {
      stalled =
          "it acknowledged none of the " + unacknowledged.size() + " QoS 1/2 message(s) sent to it";
    }
    if (stalled == null) {
      return;
    }
    stop();
    String why =
        "client '"
            + clientId
            + "' from "
            + peer
            + " disconnected: "
            + stalled
            + " for "
            + gate.slowConsumerTimeout.toMillis()
            + " ms, while the broker queued what was for it (broker.slow_consumer_timeout)";
    // Counted and reported (logged) like every refusal, rate-limited: a client that reconnects
    // and stalls again and again does not flood the log.
    gate.refused(Refusal.SLOW_CONSUMER, null, clientId, why);
    ctx.close();
  }

  /** Notes a change of writability: each time the connection drains, the clock starts again. */
  private void noteWritability(boolean writable) {
    if (writable) {
      fullSince = -1;
    } else if (fullSince < 0) {
      fullSince = System.nanoTime();
    }
  }

  private void stop() {
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }
}
