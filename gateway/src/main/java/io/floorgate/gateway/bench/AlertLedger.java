package io.floorgate.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floorgate.events.EventTimestamps;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * <p>A raise that carries the event's {@code timestamp} (Floorgate's do: when the ingest thread
 * built the event) also splits its latency in two: breach → event, the way in (the broker, the
 * ingest queue, decoding and evaluating), and event → alert, the way out (the journal, the
 * republisher, the broker to the subscriber). The two clocks are the machine's wall clock, read
 * here as {@link System#nanoTime} from a common origin, so the split holds only with the broker on
 * the same machine; the whole latency never depends on it.
 *
 * <p>Thread-safe: the load thread records, the subscriber's thread matches.
 */
final class AlertLedger {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NO_EVENT_TIME = Long.MIN_VALUE;

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
  /** {@link System#nanoTime} and the wall clock in microseconds, read at one moment. */
  private final long originNanos;
  private final long originWallMicros;

  /** One breach and what came of it. */
  static final class Breach {
    final long sentNanos;
    final boolean measured;
    final AtomicInteger raises = new AtomicInteger();
    final AtomicInteger clears = new AtomicInteger();
    volatile long alertNanos;
    /** The raise's {@code timestamp} as wall-clock microseconds; {@link #NO_EVENT_TIME} if none. */
    volatile long eventWallMicros = NO_EVENT_TIME;
    volatile boolean clearExpected;

    Breach(long sentNanos, boolean measured) {
      this.sentNanos = sentNanos;
      this.measured = measured;
    }
  }

  AlertLedger(TelemetryPlan plan) {
    this(plan, System.nanoTime(), EventTimestamps.micros(Instant.now()));
  }

  /**
   * The same, with the clocks' common origin given: {@link System#nanoTime} read {@code
   * originNanos} when the wall clock read {@code originWallMicros}.
   */
  AlertLedger(TelemetryPlan plan, long originNanos, long originWallMicros) {
    this.originNanos = originNanos;
    this.originWallMicros = originWallMicros;
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
      breach.eventWallMicros = eventTime(root.get("timestamp"));
      JsonNode eventId = root.get("event_id");
      if (eventId != null && eventId.isTextual()) {
        byEventId.put(eventId.asText(), breach);
      }
      raisesMatched.incrementAndGet();
    } else {
      duplicates.incrementAndGet();
    }
  }

  private static long eventTime(@Nullable JsonNode timestamp) {
    if (timestamp == null || !timestamp.isTextual()) {
      return NO_EVENT_TIME;
    }
    try {
      return EventTimestamps.micros(EventTimestamps.parse(timestamp.asText(), ZoneOffset.UTC));
    } catch (IllegalArgumentException | ArithmeticException e) {
      return NO_EVENT_TIME; // another broker's alert format: no split, the whole latency stands
    }
  }

  /** {@code nanos} ({@link System#nanoTime}) as wall-clock microseconds. */
  private long wallMicrosAt(long nanos) {
    return originWallMicros + Math.floorDiv(nanos - originNanos, 1_000L);
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
    long[] wayIn = new long[breaches.size()];
    long[] wayOut = new long[breaches.size()];
    int n = 0;
    int split = 0;
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
          long event = breach.eventWallMicros;
          if (event != NO_EVENT_TIME) {
            wayIn[split] = (event - wallMicrosAt(breach.sentNanos)) * 1_000L;
            wayOut[split++] = (wallMicrosAt(breach.alertNanos) - event) * 1_000L;
          }
        }
      }
    }
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    long[] in = Arrays.copyOf(wayIn, split);
    long[] out = Arrays.copyOf(wayOut, split);
    Arrays.sort(in);
    Arrays.sort(out);
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
        Latency.of(sorted),
        new Split(Latency.of(in), Latency.of(out)));
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
   * @param split that latency in two, for the raises that carry the event's time
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
      Latency latency,
      Split split) {}

  /**
   * The breach → alert latency in two, at the time the event was built. Each part can be off by
   * a microsecond or so: the event's time is truncated to microseconds, and {@link
   * System#nanoTime} and the wall clock drift apart while the clock is slewed.
   *
   * @param breachToEvent from the breach's publish to the event's {@code timestamp}
   * @param eventToAlert from the event's {@code timestamp} to the alert's arrival
   */
  record Split(Latency breachToEvent, Latency eventToAlert) {
    /** No raise carried the event's time. */
    static final Split NONE = new Split(Latency.of(new long[0]), Latency.of(new long[0]));
  }

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
