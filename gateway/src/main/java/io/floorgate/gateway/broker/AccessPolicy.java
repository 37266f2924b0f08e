package io.floorgate.gateway.broker;

import io.floorgate.gateway.broker.security.Acl;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What a connected client may publish and subscribe: topic length, the per-client rate limit and
 * the ACL. Moquette calls it on its session-loop threads for every client publish and every
 * subscription (never for the gateway's own publishing); it only computes and counts.
 *
 * <p>A refused publish is dropped (Moquette 0.17 sends no PUBACK for it and keeps the connection);
 * a refused subscription gets SUBACK failure (0x80).
 */
final class AccessPolicy implements IAuthorizatorPolicy {
  private final Optional<Acl> acl;
  private final int maxTopicBytes;
  private final double ratePerSecond;
  private final RefusalSink sink;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  AccessPolicy(Optional<Acl> acl, int maxTopicBytes, double ratePerSecond, RefusalSink sink) {
    this(acl, maxTopicBytes, ratePerSecond, sink, System::nanoTime);
  }

  AccessPolicy(
      Optional<Acl> acl,
      int maxTopicBytes,
      double ratePerSecond,
      RefusalSink sink,
      LongSupplier nanoTime) {
    this.acl = acl;
    this.maxTopicBytes = maxTopicBytes;
    this.ratePerSecond = ratePerSecond;
    this.sink = sink;
    this.nanoTime = nanoTime;
  }

  @Override
  public boolean canWrite(Topic topic, @Nullable String user, String client) {
    String name = topic.toString();
    if (tooLong(name)) {
      sink.refused(
          Refusal.TOPIC_TOO_LONG,
          shorten(name),
          client,
          "publish on a topic longer than " + maxTopicBytes + " bytes dropped");
      return false;
    }
    if (ratePerSecond > 0 && !bucket(client).take(nanoTime.getAsLong())) {
      sink.refused(
          Refusal.RATE_LIMITED,
          name,
          client,
          "more than " + ratePerSecond + " messages per second; publish dropped");
      return false;
    }
    Acl.Verdict verdict = check(Acl.Access.WRITE, name, user, client);
    if (verdict != Acl.Verdict.ALLOWED) {
      sink.refused(
          Refusal.PUBLISH_DENIED,
          name,
          client,
          describe(user) + " may not publish on '" + name + "' (" + reason(verdict) + ")");
      return false;
    }
    return true;
  }

  @Override
  public boolean canRead(Topic topic, @Nullable String user, String client) {
    String filter = topic.toString();
    if (tooLong(filter)) {
      sink.refused(
          Refusal.TOPIC_TOO_LONG,
          shorten(filter),
          client,
          "subscription to a filter longer than " + maxTopicBytes + " bytes refused");
      return false;
    }
    Acl.Verdict verdict = check(Acl.Access.SUBSCRIBE, filter, user, client);
    if (verdict != Acl.Verdict.ALLOWED) {
      sink.refused(
          Refusal.SUBSCRIBE_DENIED,
          filter,
          client,
          describe(user) + " may not subscribe to '" + filter + "' (" + reason(verdict) + ")");
      return false;
    }
    return true;
  }

  /** The ACL's answer for a will message's topic (checked at CONNECT, counted by the caller). */
  Acl.Verdict willVerdict(String topic, String user, String client) {
    return check(Acl.Access.WRITE, topic, user, client);
  }

  boolean tooLong(String topic) {
    return topic.length() > maxTopicBytes
        || (topic.length() * 3 > maxTopicBytes
            && topic.getBytes(StandardCharsets.UTF_8).length > maxTopicBytes);
  }

  /** Forgets a client's rate-limit state (it disconnected). */
  void forget(String client) {
    buckets.remove(client);
  }

  /** Clients with rate-limit state. */
  int tracked() {
    return buckets.size();
  }

  private Acl.Verdict check(Acl.Access access, String topic, @Nullable String user, String client) {
    return acl.map(a -> a.check(access, topic, user, client)).orElse(Acl.Verdict.ALLOWED);
  }

  private Bucket bucket(String client) {
    return buckets.computeIfAbsent(client, c -> new Bucket(ratePerSecond, nanoTime.getAsLong()));
  }

  static String describe(@Nullable String user) {
    return user == null || user.isEmpty() ? "an anonymous client" : "user '" + user + "'";
  }

  static String reason(Acl.Verdict verdict) {
    return switch (verdict) {
      case DENIED -> "a deny line matches";
      case NOT_GRANTED -> "no ACL line grants it";
      case UNSAFE_IDENTITY -> "its client id or user name holds '/', '+' or '#'";
      case ALLOWED -> "allowed";
    };
  }

  static String shorten(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }

  /** A token bucket: {@code rate} tokens per second, holding at most one second's worth. */
  private static final class Bucket {
    private final double rate;
    private final double capacity;
    private double tokens;
    private long last;

    Bucket(double rate, long now) {
      this.rate = rate;
      this.capacity = Math.max(1.0, rate);
      this.tokens = capacity;
      this.last = now;
    }

    synchronized boolean take(long now) {
      tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens >= 1.0) {
        tokens -= 1.0;
        return true;
      }
      return false;
    }
  }
}
