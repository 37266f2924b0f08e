package io.floorgate.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own part of the alerts' latency, from its {@code floorgate_alerts_delay_seconds}
 * histogram: each event's {@code timestamp} (the ingest thread built it) to the broker taking its
 * alert. The bench's breach → alert latency adds the way into the broker, the ingest queue and
 * the delivery to the subscriber, so the two side by side say how much of a slow alert was the
 * gateway's own work and how much the box's (docs/benchmarks.md, "Which step holds the slowest
 * breaches up").
 *
 * <p>A reading is cumulative since the gateway started; {@link #since} gives a window's.
 *
 * @param events alerts the broker took
 * @param sumSeconds their delays added up
 * @param within for each bucket's upper bound in seconds, how many took at most that long
 */
public record GatewayDelay(long events, double sumSeconds, NavigableMap<Double, Long> within) {
  static final String METRIC = "floorgate_alerts_delay_seconds";
  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  public GatewayDelay {
    within = Collections.unmodifiableNavigableMap(new TreeMap<>(within));
  }

  /**
   * Reads the histogram from Prometheus's text format (what {@code GET /metrics} answers).
   *
   * @throws IllegalArgumentException naming the series that is missing or not a number
   */
  static GatewayDelay parse(String exposition) {
    Double count = null;
    Double sum = null;
    NavigableMap<Double, Long> within = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith(METRIC + "_bucket{")) {
        Matcher le = LE.matcher(line);
        if (!le.find()) {
          throw new IllegalArgumentException(METRIC + ": a bucket without an le label: '" + line + "'");
        }
        within.put(bound(le.group(1), line), Math.round(value(line)));
      } else if (line.startsWith(METRIC + "_count ")) {
        count = value(line);
      } else if (line.startsWith(METRIC + "_sum ")) {
        sum = value(line);
      }
    }
    if (count == null || sum == null || within.isEmpty()) {
      throw new IllegalArgumentException(
          METRIC + " is not among the metrics (its "
              + (count == null ? "_count" : sum == null ? "_sum" : "_bucket")
              + " series is missing): is the target a Floorgate with its admin API on?");
    }
    return new GatewayDelay(Math.round(count), sum, within);
  }

  /**
   * Reads the histogram from the gateway's {@code /metrics} at {@code metrics}.
   *
   * @throws IllegalStateException when it cannot be read, naming the address and the cause
   */
  static GatewayDelay scrape(URI metrics) {
    try {
      HttpResponse<String> response =
          Http.CLIENT.send(
              HttpRequest.newBuilder(metrics).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "cannot read " + metrics + ": HTTP " + response.statusCode());
      }
      return parse(response.body());
    } catch (IOException | IllegalArgumentException e) {
      // The HTTP client's connection failures have no message of their own: name the exception.
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new IllegalStateException("cannot read " + metrics + ": " + why, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + metrics, e);
    }
  }

  /** The one HTTP client of the bench's readings, made at the first (its thread is a daemon). */
  private static final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /**
   * What happened between {@code earlier} and this reading.
   *
   * @throws IllegalArgumentException when {@code earlier} is not earlier (the gateway restarted)
   */
  GatewayDelay since(GatewayDelay earlier) {
    if (earlier.events > events || !earlier.within.keySet().equals(within.keySet())) {
      throw new IllegalArgumentException(
          METRIC + " went back from " + earlier.events + " to " + events
              + " events, or its buckets changed: the gateway restarted between the readings");
    }
    NavigableMap<Double, Long> difference = new TreeMap<>();
    within.forEach((bound, n) -> difference.put(bound, n - earlier.within.get(bound)));
    return new GatewayDelay(events - earlier.events, sumSeconds - earlier.sumSeconds, difference);
  }

  /** The mean delay in milliseconds; NaN for no events. */
  public double meanMillis() {
    return events == 0 ? Double.NaN : sumSeconds / events * 1000;
  }

  /**
   * Share of the events that took at most {@code seconds}, a bucket's bound; NaN for none.
   *
   * @throws IllegalArgumentException when there is no bucket at {@code seconds}
   */
  public double shareWithin(double seconds) {
    Long n = within.get(seconds);
    if (n == null) {
      throw new IllegalArgumentException(
          METRIC + " has no bucket at " + seconds + " s; it has " + within.keySet());
    }
    return events == 0 ? Double.NaN : (double) n / events;
  }

  /** For JSON: the counts by bound, as Prometheus labels them ("0.001", "+Inf"). */
  Map<String, Object> toMap() {
    Map<String, Object> buckets = new LinkedHashMap<>();
    within.forEach((bound, n) -> buckets.put(label(bound), n));
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("events", events);
    map.put("sum_s", sumSeconds);
    map.put("mean_ms", LoadResult.round(meanMillis(), 3));
    map.put("within_s", buckets);
    return map;
  }

  /**
   * Back from {@link #toMap} (as read from JSON).
   *
   * @throws IllegalArgumentException naming the first key that is missing or of the wrong type
   */
  static GatewayDelay fromMap(Map<String, ?> map) {
    NavigableMap<Double, Long> within = new TreeMap<>();
    Map<String, ?> buckets = LoadResult.section(map, "within_s");
    buckets.keySet().forEach(label -> within.put(bound(label, label), LoadResult.whole(buckets, label)));
    return new GatewayDelay(
        LoadResult.whole(map, "events"), LoadResult.number(map, "sum_s"), within);
  }

  private static String label(double bound) {
    return bound == Double.POSITIVE_INFINITY ? "+Inf" : Double.toString(bound);
  }

  private static double bound(String label, String where) {
    if (label.equals("+Inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      return Double.parseDouble(label);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(METRIC + ": le must be a number, but was '" + where + "'", e);
    }
  }

  private static double value(String line) {
    String text = line.substring(line.lastIndexOf(' ') + 1).trim();
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          METRIC + ": a series whose value is not a number: '" + line + "'", e);
    }
  }
}
