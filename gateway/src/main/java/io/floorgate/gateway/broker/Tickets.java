package io.floorgate.gateway.broker;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One-time passes from the front door to Moquette. The front door authenticates a client (password,
 * certificate or anonymous), then hands Moquette a CONNECT with the user name it established and a
 * fresh ticket as password. Moquette's authenticator accepts a CONNECT only with an unexpired
 * ticket issued for that user name, and only once. Moquette has no listener of its own, so only
 * the front door can hand it a connection; but after the first CONNECT a client's bytes go to
 * Moquette unread, and Moquette 0.17 processes a second CONNECT on the same connection as a new
 * login. Without the ticket, a client admitted as one user could log in again as another and get
 * that user's ACL. Thread-safe.
 */
final class Tickets {
  private static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final int PURGE_EVERY = 256;

  private record Pass(String user, long expiresAtNanos) {}

  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, Pass> open = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Runnable> waiting = new ConcurrentHashMap<>();
  private final AtomicLong issued = new AtomicLong();
  private final LongSupplier nanoTime;

  Tickets() {
    this(System::nanoTime);
  }

  Tickets(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** A new single-use ticket for {@code user} ({@code ""} = anonymous), as password bytes. */
  byte[] issue(String user) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    long now = nanoTime.getAsLong();
    open.put(ticket, new Pass(user, now + TTL_NANOS));
    if (issued.incrementAndGet() % PURGE_EVERY == 0) {
      open.values().removeIf(p -> now - p.expiresAtNanos() > 0);
    }
    return ticket.getBytes(StandardCharsets.US_ASCII);
  }

  /** True, once, when {@code password} is an unexpired ticket issued for {@code user}. */
  boolean redeem(String user, byte @org.jspecify.annotations.Nullable [] password) {
    if (password == null || password.length != 43) {
      return false;
    }
    Pass pass = open.remove(new String(password, StandardCharsets.US_ASCII));
    return pass != null
        && pass.user().equals(user)
        && nanoTime.getAsLong() - pass.expiresAtNanos() < 0;
  }

  /**
   * Runs {@code action} once Moquette announces the connection that presented {@code ticket} as
   * connected ({@link #connected}), unless {@link #forget} came first.
   */
  void onConnected(byte[] ticket, Runnable action) {
    waiting.put(new String(ticket, StandardCharsets.US_ASCII), action);
  }

  /** Moquette announced a connection that logged in with {@code password}: runs its action. */
  void connected(byte @org.jspecify.annotations.Nullable [] password) {
    if (password == null) {
      return;
    }
    Runnable action = waiting.remove(new String(password, StandardCharsets.US_ASCII));
    if (action != null) {
      action.run();
    }
  }

  /** Drops the action for {@code ticket} (its connection closed). */
  void forget(byte[] ticket) {
    waiting.remove(new String(ticket, StandardCharsets.US_ASCII));
  }

  /** Connections waiting for Moquette's announcement. */
  int waiting() {
    return waiting.size();
  }

  /** Tickets issued and not yet redeemed or purged. */
  int outstanding() {
    return open.size();
  }
}
