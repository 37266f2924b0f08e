package io.floorgate.gateway.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row of the benchmark table: a load against one target.
 *
 * @param name the run's name ({@code floorgate-5k})
 * @param target {@code floorgate}, {@code moquette} or {@code external}
 * @param rules rules the target had (-1 when unknown: an external target)
 * @param result what the load measured
 * @param startupMillis from spawning the target's JVM to its first CONNACK, in an empty directory;
 *     NaN when not started here
 * @param restartMillis the same for Floorgate started again on what its first start left (its
 *     journal, its cached rule tree), as a restart of the unit is; the load runs against this
 *     one. NaN when not restarted (bare Moquette, an external target)
 * @param reportedStartupMillis what Floorgate logged as its own start-up; -1 when nothing
 * @param liveHeapBytes the target's live heap right after start-up (after a full GC); -1 when
 *     unknown
 * @param warnings WARN and ERROR lines the target logged; -1 when unknown
 * @param exitCode the target's exit code after SIGTERM (143 is a clean stop); -1 when unknown
 */
public record RunRecord(
    String name,
    String target,
    int rules,
    LoadResult result,
    double startupMillis,
    double restartMillis,
    long reportedStartupMillis,
    long liveHeapBytes,
    long warnings,
    int exitCode) {

  /** The table's columns. */
  static final List<String> COLUMNS =
      List.of(
          "run", "target", "rules", "QoS", "rate", "achieved", "breaches", "matched", "missing",
          "dup", "false", "p50 ms", "p95 ms", "p99 ms", "max ms", "CPU s/1k msg", "cores",
          "peak RSS MiB", "start-up ms", "restart ms", "live heap MiB", "steal %");

  List<String> cells() {
    LoadResult r = result;
    AlertLedger.Summary a = r.alerts();
    boolean alerts = r.spec().expectAlerts();
    List<String> cells = new ArrayList<>();
    cells.add(name);
    cells.add(target);
    cells.add(rules < 0 ? "?" : String.format(Locale.ROOT, "%,d", rules));
    cells.add(Integer.toString(r.spec().qos()));
    cells.add(String.format(Locale.ROOT, "%,d", r.spec().rate()));
    cells.add(String.format(Locale.ROOT, "%,.0f", r.achievedRate()));
    cells.add(String.format(Locale.ROOT, "%,d", a.breaches()));
    cells.add(alerts ? String.format(Locale.ROOT, "%,d", a.matched()) : "–");
    cells.add(alerts ? Long.toString(a.missing()) : "–");
    cells.add(alerts ? Long.toString(a.duplicates()) : "–");
    cells.add(alerts ? Long.toString(a.falseAlerts()) : "–");
    cells.add(alerts ? millis(a.latency().p50()) : "–");
    cells.add(alerts ? millis(a.latency().p95()) : "–");
    cells.add(alerts ? millis(a.latency().p99()) : "–");
    cells.add(alerts ? millis(a.latency().max()) : "–");
    cells.add(number(r.targetCpuPerThousand(), "%.4f"));
    cells.add(number(r.targetCores(), "%.2f"));
    cells.add(r.targetPeakRssKib() < 0 ? "?" : number(r.targetPeakRssKib() / 1024.0, "%.0f"));
    cells.add(number(startupMillis, "%.0f"));
    cells.add(number(restartMillis, "%.0f"));
    cells.add(liveHeapBytes < 0 ? "?" : number(liveHeapBytes / 1048576.0, "%.1f"));
    cells.add(number(r.machineSteal() * 100, "%.0f"));
    return cells;
  }

  private static String millis(double value) {
    return number(value, value < 10 ? "%.2f" : "%.1f");
  }

  private static String number(double value, String format) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "?";
  }

  /** A Markdown table of {@code records} (readable as plain text too). */
  public static String table(List<RunRecord> records) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(COLUMNS);
    for (RunRecord record : records) {
      rows.add(record.cells());
    }
    return Tables.markdown(rows, 2);
  }

  /** The row as plain maps and numbers, for JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", name);
    map.put("target", target);
    map.put("rules", rules < 0 ? null : rules);
    map.put("startup_ms", LoadResult.round(startupMillis, 1));
    map.put("restart_ms", LoadResult.round(restartMillis, 1));
    map.put("reported_startup_ms", reportedStartupMillis < 0 ? null : reportedStartupMillis);
    map.put("live_heap_bytes", liveHeapBytes < 0 ? null : liveHeapBytes);
    map.put("target_warnings", warnings < 0 ? null : warnings);
    map.put("target_exit_code", exitCode < 0 ? null : exitCode);
    map.putAll(result.toMap());
    return map;
  }

  /**
   * The breach → alert latency split at the event's time, as a line under the table; empty when
   * no raise carried the event's time (a bare broker, another broker's alerts).
   */
  public static String latencySplit(RunRecord record) {
    AlertLedger.Split split = record.result().alerts().split();
    AlertLedger.Latency in = split.breachToEvent();
    AlertLedger.Latency out = split.eventToAlert();
    if (in.samples() == 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%s: of the breach→alert latency (%,d raises), breach→event p50 %.2f, p99 %.2f, max %.1f"
            + " ms; event→alert p50 %.2f, p99 %.2f, max %.1f ms%n",
        record.name(),
        in.samples(),
        in.p50(),
        in.p99(),
        in.max(),
        out.p50(),
        out.p99(),
        out.max());
  }

  /**
   * The gateway's own part of the alerts' latency ({@link GatewayDelay}), as a line under the
   * table; empty when it was not read (a bare broker).
   */
  public static String gatewayDelay(RunRecord record) {
    LoadResult result = record.result();
    GatewayDelay delay = result.gatewayDelay();
    if (delay == null) {
      return result.gatewayDelayError() == null
          ? ""
          : record.name() + ": the gateway's own part could not be read: "
              + result.gatewayDelayError() + System.lineSeparator();
    }
    if (delay.events() == 0) {
      return record.name() + ": the gateway's own part: it published no alert while measuring"
          + System.lineSeparator();
    }
    return String.format(
        Locale.ROOT,
        "%s: the gateway's own part (event → the broker took its alert, %,d events): mean %.2f ms;"
            + " within 1 ms %.2f%%, 5 ms %.2f%%, 10 ms %.2f%%, 25 ms %.2f%%%n",
        record.name(),
        delay.events(),
        delay.meanMillis(),
        delay.shareWithin(0.001) * 100,
        delay.shareWithin(0.005) * 100,
        delay.shareWithin(0.01) * 100,
        delay.shareWithin(0.025) * 100);
  }

  /**
   * The gateway's own part of the alerts' latency ({@link GatewayDelay}) of every run that read
   * it, beside that run's whole p99, as a Markdown table; empty when no run read it.
   */
  public static String gatewayDelayTable(List<RunRecord> records) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of("run", "whole p99 ms", "gateway's events", "mean ms", "≤ 1 ms", "≤ 5 ms",
            "≤ 10 ms"));
    for (RunRecord record : records) {
      GatewayDelay delay = record.result().gatewayDelay();
      if (delay != null && delay.events() > 0) {
        rows.add(
            List.of(
                record.name(),
                millis(record.result().alerts().latency().p99()),
                String.format(Locale.ROOT, "%,d", delay.events()),
                number(delay.meanMillis(), "%.2f"),
                number(delay.shareWithin(0.001) * 100, "%.2f%%"),
                number(delay.shareWithin(0.005) * 100, "%.2f%%"),
                number(delay.shareWithin(0.01) * 100, "%.2f%%")));
      }
    }
    if (rows.size() == 1) {
      return "";
    }
    return "The gateway's own part of the alerts' latency (event → the broker took its alert):\n\n"
        + Tables.markdown(rows, 1);
  }

  /**
   * A record back from {@link #toMap} (as read from JSON).
   *
   * @throws IllegalArgumentException naming the first key that is missing or of the wrong type
   */
  public static RunRecord fromMap(Map<String, ?> map) {
    if (!(map.get("name") instanceof String name) || !(map.get("target") instanceof String target)) {
      throw new IllegalArgumentException(
          "a run must have a name and a target, but had " + map.get("name") + ", " + map.get("target"));
    }
    return new RunRecord(
        name,
        target,
        map.get("rules") == null ? -1 : (int) LoadResult.whole(map, "rules"),
        LoadResult.fromMap(map),
        LoadResult.number(map, "startup_ms"),
        // absent from runs made before restarts were measured
        map.containsKey("restart_ms") ? LoadResult.number(map, "restart_ms") : Double.NaN,
        orMinusOne(map, "reported_startup_ms"),
        orMinusOne(map, "live_heap_bytes"),
        orMinusOne(map, "target_warnings"),
        (int) orMinusOne(map, "target_exit_code"));
  }

  private static long orMinusOne(Map<String, ?> map, String key) {
    return map.get(key) == null ? -1 : LoadResult.whole(map, key);
  }

  /** The record's value for {@code column}, or null (used by verdicts). */
  static @Nullable Double value(@Nullable RunRecord record, String what) {
    if (record == null) {
      return null;
    }
    LoadResult r = record.result;
    double value =
        switch (what) {
          case "cpu" -> r.targetCpuPerThousand();
          case "p99" -> r.alerts().latency().p99();
          case "rss" -> r.targetPeakRssKib() < 0 ? Double.NaN : r.targetPeakRssKib() / 1024.0;
          case "startup" -> record.startupMillis;
          case "restart" -> record.restartMillis;
          case "heap" -> record.liveHeapBytes < 0 ? Double.NaN : record.liveHeapBytes;
          default -> throw new IllegalArgumentException("unknown value " + what);
        };
    return Double.isFinite(value) ? value : null;
  }
}
