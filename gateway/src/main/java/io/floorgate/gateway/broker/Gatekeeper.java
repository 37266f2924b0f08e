package io.floorgate.gateway.broker;

import io.floorgate.gateway.broker.security.PasswordFile;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every front-door listener shares: the password file, the connection count, the tickets for
 * Moquette, Moquette's handlers, the access policy (for will topics), the refusal counters, and
 * the login thread.
 *
 * <p>Password hashes are checked on one thread of its own, {@code floorgate-login}, with a bounded
 * queue: a PBKDF2 check costs milliseconds, and the network threads must never wait for one. When
 * the queue is full the login is refused with "server unavailable" and counted.
 */
final class Gatekeeper implements AutoCloseable {
  static final Logger LOG = LoggerFactory.getLogger(Broker.class);
  private static final int LOGIN_QUEUE = 256;

  final Optional<PasswordFile> passwords;
  final Tickets tickets;
  final AccessPolicy policy;
  final int maxConnections;
  final int maxClientIdLength;
  final int maxPacketBytes;
  final Duration connectTimeout;
  /** Zero: never. See {@link SlowConsumerGuard}. */
  final Duration slowConsumerTimeout;
  private final RefusalSink sink;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong refusedLogins = new AtomicLong();
  private final ThreadPoolExecutor logins;
  private volatile @Nullable MoquettePipeline moquette;

  Gatekeeper(
      Optional<PasswordFile> passwords,
      Tickets tickets,
      AccessPolicy policy,
      int maxConnections,
      int maxClientIdLength,
      int maxPacketBytes,
      Duration connectTimeout,
      Duration slowConsumerTimeout,
      RefusalSink sink) {
    this.passwords = passwords;
    this.tickets = tickets;
    this.policy = policy;
    this.maxConnections = maxConnections;
    this.maxClientIdLength = maxClientIdLength;
    this.maxPacketBytes = maxPacketBytes;
    this.connectTimeout = connectTimeout;
    this.slowConsumerTimeout = slowConsumerTimeout;
    this.sink = sink;
    this.logins =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(LOGIN_QUEUE),
            r -> {
              Thread t = new Thread(r, "floorgate-login");
              t.setDaemon(true);
              return t;
            });
  }

  /** Moquette's handlers for admitted connections; set once Moquette has started. */
  void moquette(MoquettePipeline pipeline) {
    this.moquette = pipeline;
  }

  /** Moquette's handlers; the listeners open only after {@link #moquette(MoquettePipeline)}. */
  MoquettePipeline moquette() {
    MoquettePipeline pipeline = moquette;
    if (pipeline == null) {
      throw new IllegalStateException("Moquette has not started");
    }
    return pipeline;
  }

  /** Takes a connection slot; false when {@code maxConnections} are open. */
  boolean acquireConnection() {
    if (connections.incrementAndGet() > maxConnections) {
      connections.decrementAndGet();
      return false;
    }
    return true;
  }

  void releaseConnection() {
    connections.decrementAndGet();
  }

  /** Connections open through the front door now. */
  int connections() {
    return connections.get();
  }

  /** Runs a password check on the login thread; false when its queue is full. */
  boolean submitLogin(Runnable check) {
    try {
      ((Executor) logins).execute(check);
      return true;
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return false;
    }
  }

  void refused(Refusal reason, @Nullable String topic, String clientId, String detail) {
    try {
      sink.refused(reason, topic, clientId, detail);
    } catch (RuntimeException e) {
      LOG.error("counting a refusal ({}) failed: {}", reason, e.toString());
    }
  }

  /**
   * A refused login: counted, and logged once, on one line, without the password.
   *
   * @param listener which listener ("mqtt", "mqtts")
   * @param peer the client's address
   */
  void refusedLogin(
      Refusal reason, String listener, String peer, String clientId, @Nullable String user, String why) {
    long n = refusedLogins.incrementAndGet();
    LOG.warn(
        "login refused on {} from {}: client '{}', {}: {} ({} refused since start)",
        listener,
        peer,
        clientId,
        user == null ? "no user name" : "user '" + user + "'",
        why,
        n);
    refused(
        reason,
        null,
        clientId,
        "login from " + peer + (user == null ? "" : " as '" + user + "'") + " refused: " + why);
  }

  long refusedLogins() {
    return refusedLogins.get();
  }

  @Override
  public void close() {
    logins.shutdownNow();
  }
}
