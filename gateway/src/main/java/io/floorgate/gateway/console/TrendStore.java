package io.floorgate.gateway.console;

import io.floorgate.gateway.ingest.Ingest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recent values of every watched series (a telemetry topic and the path a rule reads there), for
 * the console's trend chart: the last {@code window} of values, at most {@code maxPoints} per
 * series and {@code maxSeries} series.
 *
 * <p>Threads: {@link #reading} is called by the ingest thread only (it is the one writer) and
 * takes no lock: each series is a ring of primitive arrays whose count is published with a
 * volatile write after the slot is filled. Readers (HTTP threads) copy the ring and then drop what
 * the writer may have overwritten meanwhile. A new series beyond {@code maxSeries} replaces one
 * that has seen nothing for a whole window, else it is not kept (counted in {@link #refused}).
 *
 * <p>A series someone is looking at ({@link #want}, the trend page asks every second) is kept
 * even when all are busy: it takes the place of the series with the oldest newest point that is
 * not wanted itself, and records from then on.
 *
 * <p>A gateway with more busy topics than {@code maxSeries} refuses a reading for nearly every
 * message, so a refusal must cost next to nothing: after a search finds no idle series, none is
 * searched for again until the oldest of them could have become idle, and a wanted series costs
 * one map lookup.
 */
public final class TrendStore implements Ingest.ReadingObserver {
  /** The default window. */
  public static final Duration WINDOW = Duration.ofMinutes(15);
  /** The default bound on points per series (two a second over the window). */
  public static final int MAX_POINTS = 1800;
  /** The default bound on series. */
  public static final int MAX_SERIES = 128;

  private final long windowMillis;
  private final int maxPoints;
  private final int maxSeries;
  /** topic → path → ring. Written by the ingest thread only. */
  private final Map<String, Map<String, Ring>> byTopic = new ConcurrentHashMap<>();
  private int series;
  /** No series can be idle before this time (millis): the oldest newest point + the window. */
  private long noIdleBefore = Long.MIN_VALUE;
  /** topic → path → wanted until (millis), for series not kept yet. Written by HTTP threads. */
  private final Map<String, Map<String, Long>> wanted = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();

  /** One point. */
  public record Point(long millis, double value) {}

  /** A series and its newest point. */
  public record SeriesInfo(String topic, String path, long lastMillis, double lastValue) {}

  /** A store with the default bounds. */
  public TrendStore() {
    this(WINDOW, MAX_POINTS, MAX_SERIES);
  }

  public TrendStore(Duration window, int maxPoints, int maxSeries) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, but was " + window);
    }
    if (maxPoints < 2) {
      throw new IllegalArgumentException("maxPoints must be >= 2, but was " + maxPoints);
    }
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries must be >= 1, but was " + maxSeries);
    }
    this.windowMillis = window.toMillis();
    this.maxPoints = maxPoints;
    this.maxSeries = maxSeries;
  }

  public Duration window() {
    return Duration.ofMillis(windowMillis);
  }

  @Override
  public void reading(String topic, String path, double value, long millis) {
    Map<String, Ring> paths = byTopic.get(topic);
    Ring ring = paths == null ? null : paths.get(path);
    if (ring == null) {
      ring = newSeries(topic, path, millis);
      if (ring == null) {
        refused.incrementAndGet();
        return;
      }
    }
    ring.add(millis, value);
  }

  private Ring newSeries(String topic, String path, long now) {
    long wantedUntil = wantedUntil(topic, path, now);
    if (series >= maxSeries
        && (now < noIdleBefore || !evictIdle(now))
        && (wantedUntil < now || !evictUnwanted(now))) {
      return null;
    }
    Ring ring = new Ring(maxPoints);
    if (wantedUntil != Long.MIN_VALUE) {
      ring.wantedUntil = wantedUntil;
      Map<String, Long> paths = wanted.get(topic);
      if (paths != null && paths.remove(path) != null && paths.isEmpty()) {
        wanted.remove(topic, paths);
      }
    }
    byTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>(2)).put(path, ring);
    series++;
    return ring;
  }

  /**
   * Removes one series that saw nothing for a whole window; false when there is none, and then
   * no search is made before the oldest series could be idle.
   */
  private boolean evictIdle(long now) {
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<String, Map<String, Ring>> topic : byTopic.entrySet()) {
      for (Map.Entry<String, Ring> path : topic.getValue().entrySet()) {
        long last = path.getValue().lastMillis();
        oldest = Math.min(oldest, last);
        if (now - last > windowMillis) {
          forget(topic.getKey(), path.getKey());
          return true;
        }
      }
    }
    noIdleBefore = oldest + windowMillis + 1;
    return false;
  }

  /**
   * Someone looks at this series: keep it for the next window even if every series is busy.
   * Called by any thread; a series already kept is only marked.
   */
  public void want(String topic, String path, long now) {
    Map<String, Ring> paths = byTopic.get(topic);
    Ring ring = paths == null ? null : paths.get(path);
    if (ring != null) {
      ring.wantedUntil = now + windowMillis;
      return;
    }
    if (wanted.size() >= maxSeries) {
      wanted.values().forEach(p -> p.values().removeIf(until -> until < now)); // viewers gone
      wanted.values().removeIf(Map::isEmpty);
    }
    if (wanted.size() < maxSeries || wanted.containsKey(topic)) {
      wanted.computeIfAbsent(topic, t -> new ConcurrentHashMap<>(2)).put(path, now + windowMillis);
    }
  }

  /** Until when a series not kept yet is wanted; MIN_VALUE when it is not. */
  private long wantedUntil(String topic, String path, long now) {
    if (wanted.isEmpty()) {
      return Long.MIN_VALUE;
    }
    Map<String, Long> paths = wanted.get(topic);
    Long until = paths == null ? null : paths.get(path);
    return until == null ? Long.MIN_VALUE : until;
  }

  /** Removes the series with the oldest newest point that nobody wants; false when all are. */
  private boolean evictUnwanted(long now) {
    String topic = null;
    String path = null;
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<String, Map<String, Ring>> t : byTopic.entrySet()) {
      for (Map.Entry<String, Ring> p : t.getValue().entrySet()) {
        Ring ring = p.getValue();
        if (ring.wantedUntil < now && ring.lastMillis() < oldest) {
          oldest = ring.lastMillis();
          topic = t.getKey();
          path = p.getKey();
        }
      }
    }
    if (topic == null) {
      return false;
    }
    forget(topic, path);
    return true;
  }

  /** Drops a kept series, making room for another. */
  private void forget(String topic, String path) {
    Map<String, Ring> paths = byTopic.get(topic);
    paths.remove(path);
    if (paths.isEmpty()) {
      byTopic.remove(topic);
    }
    series--;
  }

  /** The points of a series within the window before {@code now}, oldest first. */
  public List<Point> points(String topic, String path, long now) {
    Map<String, Ring> paths = byTopic.get(topic);
    Ring ring = paths == null ? null : paths.get(path);
    return ring == null ? List.of() : ring.since(now - windowMillis);
  }

  /** Every series kept, with its newest point. */
  public List<SeriesInfo> series() {
    List<SeriesInfo> list = new ArrayList<>();
    byTopic.forEach(
        (topic, paths) ->
            paths.forEach(
                (path, ring) -> {
                  List<Point> last = ring.last();
                  if (!last.isEmpty()) {
                    Point p = last.get(0);
                    list.add(new SeriesInfo(topic, path, p.millis(), p.value()));
                  }
                }));
    return list;
  }

  /** Readings not kept because {@code maxSeries} series were busy. */
  public long refused() {
    return refused.get();
  }

  /**
   * A ring of points with one writer and any number of readers. It has one slot more than the
   * points it keeps: the slot a write may be filling while a reader copies.
   */
  static final class Ring {
    private final long[] times;
    private final double[] values;
    /** Points written so far; slot {@code i % slots} holds point {@code i}. */
    private volatile long written;
    /** Kept for a viewer until then (millis): not evicted for another wanted series. */
    volatile long wantedUntil = Long.MIN_VALUE;

    Ring(int keep) {
      times = new long[keep + 1];
      values = new double[keep + 1];
    }

    /** Writer only. */
    void add(long millis, double value) {
      long n = written;
      int slot = (int) (n % times.length);
      times[slot] = millis;
      values[slot] = value;
      written = n + 1; // publishes the slot
    }

    long lastMillis() {
      long n = written;
      return n == 0 ? Long.MIN_VALUE : times[(int) ((n - 1) % times.length)];
    }

    List<Point> last() {
      return copy(1, Long.MIN_VALUE);
    }

    List<Point> since(long fromMillis) {
      return copy(times.length, fromMillis);
    }

    private List<Point> copy(int most, long fromMillis) {
      int capacity = times.length;
      long end = written;
      long start = Math.max(0, end - Math.min(most, capacity - 1));
      int count = (int) (end - start);
      long[] t = new long[count];
      double[] v = new double[count];
      for (int k = 0; k < count; k++) {
        int slot = (int) ((start + k) % capacity);
        t[k] = times[slot];
        v[k] = values[slot];
      }
      // The writer may have overwritten the oldest slots while we copied: point i is safe only
      // if the writer has not begun point i + capacity.
      long firstSafe = written - capacity + 1;
      List<Point> points = new ArrayList<>(count);
      for (int k = 0; k < count; k++) {
        if (start + k >= firstSafe && t[k] >= fromMillis) {
          points.add(new Point(t[k], v[k]));
        }
      }
      return points;
    }
  }
}
