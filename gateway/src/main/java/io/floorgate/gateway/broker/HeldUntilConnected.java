package io.floorgate.gateway.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A relayed client's next packets, held until Moquette counts its connection as connected.
 * Clients send SUBSCRIBE the moment the CONNACK arrives (MQTT even lets them send it before).
 * Moquette 0.17 sets its "connected" flag in a listener that can run after the CONNACK is on the
 * wire (milliseconds later on a busy machine) and closes a connection whose SUBSCRIBE it reads
 * before that. Moquette announces the connection to its interceptors only after setting the
 * flag, so the front door waits for that announcement ({@link Tickets#connected}) before it reads
 * on from the client. Runs on the client's event loop.
 */
final class HeldUntilConnected {
  /** Released anyway after this long: a slow announcement must not stall a client for ever. */
  static final long FALLBACK_MILLIS = 5_000;

  private final Channel client;
  private final Channel backend;
  private @Nullable ByteBuf held;
  private boolean done;

  /** {@code held}: what the client sent behind its CONNECT (may be null); this owns it. */
  HeldUntilConnected(Channel client, Channel backend, @Nullable ByteBuf held) {
    this.client = client;
    this.backend = backend;
    this.held = held;
    client.closeFuture().addListener(f -> discard());
    client.eventLoop().schedule(this::release, FALLBACK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Forwards what was held and reads on from the client. Idempotent; on the event loop. */
  void release() {
    if (done) {
      return;
    }
    done = true;
    ByteBuf rest = held;
    held = null;
    if (rest != null && rest.isReadable() && backend.isActive()) {
      backend.writeAndFlush(rest);
    } else if (rest != null) {
      rest.release();
    }
    client.config().setAutoRead(true);
  }

  private void discard() {
    done = true;
    if (held != null) {
      held.release();
      held = null;
    }
  }
}
