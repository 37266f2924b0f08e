package io.floorgate.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Pairs every alert with the breach that caused it, exactly.
 *
 * <p>A breach is recorded by the load thread just before it is published, under its topic and
 * {@code seq}. An alert on {@code alerts/#} is a raise when its {@code details} carry the
 * telemetry {@code topic} and {@code seq} and no {@code raised_event_id}; it is matched by that
 * topic and seq. The clear that follows (the next, normal sample on the topic) carries {@code
 * raised_event_id}, the raise's {@code event_id}, and is matched through it. A raise that matches
 * no breach is a false alert; a second alert for the same breach (raise or clear) is a duplicate;
 * anything else on {@code alerts/#} (an error event, say) is counted by topic.
 *
 * <p>Thread-safe: the load thread records, the subscriber's thread matches.
 */
final class AlertLedger {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Integer> topicIndex;
  private final ConcurrentHashMap<Long, Breach> breaches = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Breach> byEventId = new ConcurrentHashMap<>();
  private final @Nullable Breach[] lastBreach;
  private final AtomicLong falseAlerts = new AtomicLong();
  private final AtomicLong unmatchedClears = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong alerts = new AtomicLong();
  private final AtomicLong raisesMatched = new AtomicLong();
  private final AtomicLong clearsMatched = new AtomicLong();
  private final Map<String, AtomicLong> others = new ConcurrentHashMap<>();

  /** One breach and what came of it. */
  static final class Breach {
    final long sentNanos;
    final boolean measured;
    final AtomicInteger raises = new AtomicInteger();
    final AtomicInteger clears = new AtomicInteger();
    volatile long alertNanos;
    volatile boolean clearExpected;

    Breach(long sentNanos, boolean measured) {
      this.sentNanos = sentNanos;
      this.measured = measured;
    }
  }

  AlertLedger(TelemetryPlan plan) {
    Map<String, Integer> index = new java.util.HashMap<>(plan.topicCount() * 2);
    for (int i = 0; i < plan.topicCount(); i++) {
      index.put(plan.topicName(i), i);
    }
    this.topicIndex = index;
    this.lastBreach = new Breach[plan.topicCount()];
  }

  private static long key(int topic, long seq) {
    return ((long) topic << 40) ^ seq;
  }

  /** The load thread, before publishing a breach. */
  void breachSent(int topic, long seq, long nanos, boolean measured) {
    Breach breach = new Breach(nanos, measured);
    breaches.put(key(topic, seq), breach);
    lastBreach[topic] = breach;
  }

  /** The load thread, before publishing the normal sample that follows a breach on its topic. */
  void clearSent(int topic) {
    Breach breach = lastBreach[topic];
    if (breach != null) {
      breach.clearExpected = true;
      lastBreach[topic] = null;
    }
  }

  /** The subscriber's thread: an alert arrived at {@code nanos}. */
  void onAlert(String mqttTopic, byte[] payload, long nanos) {
    alerts.incrementAndGet();
    JsonNode details;
    JsonNode root;
    try {
      root = JSON.readTree(payload);
      details = root == null ? null : root.get("details");
    } catch (IOException e) {
      other(mqttTopic + " (not JSON)");
      return;
    }
    JsonNode topic = details == null ? null : details.get("topic");
    JsonNode seq = details == null ? null : details.get("seq");
    if (topic == null || seq == null || !seq.canConvertToLong()) {
      other(mqttTopic);
      return;
    }
    JsonNode raisedBy = details.get("raised_event_id");
    if (raisedBy != null && raisedBy.isTextual()) {
      Breach breach = byEventId.get(raisedBy.asText());
      if (breach == null) {
        unmatchedClears.incrementAndGet();
      } else if (breach.clears.incrementAndGet() == 1) {
        clearsMatched.incrementAndGet();
      } else {
        duplicates.incrementAndGet();
      }
      return;
    }
    Integer index = topicIndex.get(topic.asText());
    Breach breach = index == null ? null : breaches.get(key(index, seq.asLong()));
    if (breach == null) {
      falseAlerts.incrementAndGet();
      return;
    }
    if (breach.raises.incrementAndGet() == 1) {
      breach.alertNanos = nanos;
      JsonNode eventId = root.get("event_id");
      if (eventId != null && eventId.isTextual()) {
        byEventId.put(eventId.asText(), breach);
      }
      raisesMatched.incrementAndGet();
    } else {
      duplicates.incrementAndGet();
    }
  }

  private void other(String topic) {
    others.computeIfAbsent(topic, t -> new AtomicLong()).incrementAndGet();
  }

  /** True when every breach has its raise and every expected clear arrived. */
  boolean complete() {
    long clearsExpected = 0;
    for (Breach breach : breaches.values()) {
      if (breach.clearExpected) {
        clearsExpected++;
      }
    }
    return raisesMatched.get() == breaches.size() && clearsMatched.get() == clearsExpected;
  }

  /** Alerts received so far (of every kind). */
  long alerts() {
    return alerts.get();
  }

  /** What the ledger saw, with breach → alert latencies of the measured breaches. */
  Summary summarize() {
    long missing = 0;
    long clearsExpected = 0;
    long clearsMissing = 0;
    long measured = 0;
    long[] latencies = new long[breaches.size()];
    int n = 0;
    for (Breach breach : breaches.values()) {
      if (breach.raises.get() == 0) {
        missing++;
      }
      if (breach.clearExpected) {
        clearsExpected++;
        if (breach.clears.get() == 0) {
          clearsMissing++;
        }
      }
      if (breach.measured) {
        measured++;
        if (breach.raises.get() > 0) {
          latencies[n++] = breach.alertNanos - breach.sentNanos;
        }
      }
    }
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    Map<String, Long> otherTopics = new TreeMap<>();
    others.forEach((topic, count) -> otherTopics.put(topic, count.get()));
    return new Summary(
        breaches.size(),
        measured,
        raisesMatched.get(),
        missing,
        duplicates.get(),
        falseAlerts.get(),
        clearsExpected,
        clearsMatched.get(),
        clearsMissing,
        unmatchedClears.get(),
        otherTopics,
        Latency.of(sorted));
  }

  /**
   * What came of the breaches.
   *
   * @param breaches breaches sent (warm-up and measurement)
   * @param measuredBreaches of those, sent while measuring (the latencies are theirs)
   * @param matched breaches whose raise arrived
   * @param missing breaches whose raise never arrived
   * @param duplicates alerts beyond the first for a breach (raises and clears)
   * @param falseAlerts raises that match no breach
   * @param clearsExpected breaches followed by a normal sample on their topic
   * @param clearsMatched of those, cleared
   * @param clearsMissing of those, never cleared
   * @param unmatchedClears clears naming a raise the ledger does not know
   * @param otherEvents anything else on {@code alerts/#}, by topic
   * @param latency breach → alert latency of the measured breaches
   */
  record Summary(
      long breaches,
      long measuredBreaches,
      long matched,
      long missing,
      long duplicates,
      long falseAlerts,
      long clearsExpected,
      long clearsMatched,
      long clearsMissing,
      long unmatchedClears,
      Map<String, Long> otherEvents,
      Latency latency) {}

  /** Percentiles of sorted nanosecond latencies, in milliseconds; zero samples gives NaN. */
  record Latency(long samples, double p50, double p95, double p99, double max) {
    static Latency of(long[] sortedNanos) {
      if (sortedNanos.length == 0) {
        return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      return new Latency(
          sortedNanos.length,
          millis(percentile(sortedNanos, 50)),
          millis(percentile(sortedNanos, 95)),
          millis(percentile(sortedNanos, 99)),
          millis(sortedNanos[sortedNanos.length - 1]));
    }

    /** Nearest-rank percentile. */
    static long percentile(long[] sorted, double p) {
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double millis(long nanos) {
      return nanos / 1e6;
    }
  }
}
