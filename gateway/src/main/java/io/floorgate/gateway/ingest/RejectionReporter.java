package io.floorgate.gateway.ingest;

import io.floorgate.events.DigitalTwinPublisher;
import io.floorgate.events.EventSeverity;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts rejected input per {@link Rejection} and reports it as an {@code ErrorEvent} (severity
 * warning), at most one per reason per interval: the first rejection of a quiet period at once,
 * the rest summed into the next report. A flood of garbage therefore costs a counter increment
 * per message and one event per interval, and never floods the journal or the log.
 *
 * <p>{@link #count} and {@link #countLater} are thread-safe (the broker's threads use them);
 * {@link #reject}, {@link #noteCounted}, {@link #flush} and {@link #flushAll} belong to the
 * ingest thread.
 */
public final class RejectionReporter {
  private static final Logger LOG = LoggerFactory.getLogger(RejectionReporter.class);
  /** Rejection.values() copies its array at every call; flush runs after every message. */
  private static final Rejection[] REASONS = Rejection.values();

  private final DigitalTwinPublisher publisher;
  private final long intervalMillis;
  private final AtomicLongArray totals = new AtomicLongArray(REASONS.length);
  /** Counted by {@link #countLater} and not yet reported. */
  private final AtomicLongArray deferred = new AtomicLongArray(REASONS.length);
  private final AtomicReferenceArray<Seen> lastSeen =
      new AtomicReferenceArray<>(REASONS.length);

  /** The latest instance of a reason counted by another thread. */
  private record Seen(@Nullable String topic, String clientId, String detail) {}
  private final Map<Rejection, Pending> pending = new EnumMap<>(Rejection.class);

  /** What accumulated for one reason since its last report. */
  private static final class Pending {
    long lastReportMillis = Long.MIN_VALUE;
    long count;
    long reported;
    @Nullable String topic;
    @Nullable String clientId;
    @Nullable String detail;
  }

  public RejectionReporter(DigitalTwinPublisher publisher, Duration interval) {
    this.publisher = publisher;
    this.intervalMillis = interval.toMillis();
  }

  /** Counts {@code reason} without reporting (for threads that must not do I/O). */
  public void count(Rejection reason) {
    totals.incrementAndGet(reason.ordinal());
  }

  /**
   * Counts {@code reason} now and leaves the report to the next {@link #flush} on the ingest
   * thread; keeps the latest topic, client and detail for it. Never blocks, never does I/O.
   *
   * @param topic the topic involved, or null (a refused connection has none)
   */
  public void countLater(
      Rejection reason, @Nullable String topic, String clientId, String detail) {
    int i = reason.ordinal();
    totals.incrementAndGet(i);
    lastSeen.set(i, new Seen(topic, clientId, detail));
    deferred.incrementAndGet(i);
  }

  /** Counts and, unless one was reported within the interval, reports at once. */
  public void reject(
      Rejection reason, String topic, String clientId, String detail, long nowMillis) {
    count(reason);
    note(reason, 1, topic, clientId, detail, nowMillis);
  }

  /**
   * Adds {@code n} rejections already {@linkplain #count counted} elsewhere (queue overruns) to the
   * next report.
   */
  public void noteCounted(Rejection reason, long n, String detail, long nowMillis) {
    if (n > 0) {
      note(reason, n, null, null, detail, nowMillis);
    }
  }

  private void note(
      Rejection reason,
      long n,
      @Nullable String topic,
      @Nullable String clientId,
      String detail,
      long nowMillis) {
    Pending p = pending.computeIfAbsent(reason, r -> new Pending());
    p.count += n;
    p.topic = topic;
    p.clientId = clientId;
    p.detail = detail;
    if (p.lastReportMillis == Long.MIN_VALUE || nowMillis - p.lastReportMillis >= intervalMillis) {
      report(reason, p, nowMillis);
    }
  }

  /** Reports every reason whose interval has passed with rejections waiting. */
  public void flush(long nowMillis) {
    flush(nowMillis, false);
  }

  /**
   * Reports every reason with rejections waiting, interval or not: when ingest stops, so that the
   * last interval's rejections are not lost from the log and the journal.
   */
  public void flushAll(long nowMillis) {
    flush(nowMillis, true);
  }

  private void flush(long nowMillis, boolean all) {
    for (Rejection reason : REASONS) {
      long n = deferred.getAndSet(reason.ordinal(), 0);
      if (n > 0) {
        Seen seen = lastSeen.get(reason.ordinal());
        note(reason, n, seen.topic(), seen.clientId(), seen.detail(), nowMillis);
      }
    }
    for (Map.Entry<Rejection, Pending> entry : pending.entrySet()) {
      Pending p = entry.getValue();
      if (p.count > 0 && (all || nowMillis - p.lastReportMillis >= intervalMillis)) {
        report(entry.getKey(), p, nowMillis);
      }
    }
  }

  private void report(Rejection reason, Pending p, long nowMillis) {
    long count = p.count;
    p.count = 0;
    p.reported += count;
    p.lastReportMillis = nowMillis;
    String where =
        p.topic != null
            ? " (last on '" + p.topic + "' from client '" + p.clientId + "')"
            : p.clientId != null ? " (last from client '" + p.clientId + "')" : "";
    String message =
        count + " " + reason.unit() + " rejected as " + reason.value() + where + ": " + p.detail;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reason", reason.value());
    details.put("count", count);
    details.put("total", totals.get(reason.ordinal()));
    details.put("interval_seconds", intervalMillis / 1000.0);
    if (p.topic != null) {
      details.put("topic", p.topic);
    }
    if (p.clientId != null) {
      details.put("client_id", p.clientId);
    }
    LOG.warn("{}", message);
    try {
      publisher.publishErrorEvent(
          "RejectedInput", message, EventSeverity.WARNING, null, details);
    } catch (RuntimeException e) {
      LOG.error("cannot publish the rejection report for {}: {}", reason.value(), e.toString());
    }
  }

  /** Every rejection counted since start, for {@code reason}. */
  public long total(Rejection reason) {
    return totals.get(reason.ordinal());
  }
}
