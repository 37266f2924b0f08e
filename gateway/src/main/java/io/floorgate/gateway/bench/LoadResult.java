package io.floorgate.gateway.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link LoadRun} measured.
 *
 * @param spec the load
 * @param published messages handed to the clients (warm-up and measurement)
 * @param completed of those, written (QoS 0) or acknowledged by the broker (QoS 1)
 * @param failed of those, failed (the client lost its connection, say)
 * @param firstFailure the first failure, if any
 * @param measuredMessages messages sent while measuring
 * @param measuredSeconds how long sending them took
 * @param achievedRate {@code measuredMessages / measuredSeconds}
 * @param maxLagMillis how far the load thread fell behind its schedule at worst while measuring
 * @param drainMillis how long after the last message the last alert arrived (or the wait gave up)
 * @param alerts what came of the breaches
 * @param alertsReceived every message received on {@code alerts/#}
 * @param targetCpuSeconds the target's CPU time while measuring; NaN when its PID is unknown
 * @param targetSystemCpuSeconds of that, in the kernel (system calls, waking threads)
 * @param targetThreads the target's CPU seconds by thread name while measuring, most first
 * @param harnessCpuSeconds this process's CPU time while measuring (the load generator)
 * @param harnessThreads this process's CPU seconds by thread name while measuring
 * @param targetPeakRssKib the target's peak RSS ({@code VmHWM}) at the end; -1 when unknown
 * @param targetMaxRssKib the largest RSS sampled (once a second) while measuring; 0 when unknown
 * @param machineBusy share of the machine's CPU time spent running its processes while measuring
 *     (target, load generator and anything else); NaN when unknown
 * @param machineSteal share of the machine's CPU time the hypervisor gave to other guests while
 *     measuring; NaN when unknown. Much of it makes every time of the run longer.
 * @param gatewayDelay the gateway's own part of the alerts' latency, from just before measuring
 *     until the last alert came (its {@code /metrics}); null when not read (a bare broker, a
 *     target whose metrics address is unknown)
 * @param gatewayDelayError why {@code gatewayDelay} could not be read, when it was tried and
 *     failed; null otherwise
 */
public record LoadResult(
    LoadSpec spec,
    long published,
    long completed,
    long failed,
    @Nullable String firstFailure,
    long measuredMessages,
    double measuredSeconds,
    double achievedRate,
    double maxLagMillis,
    double drainMillis,
    AlertLedger.Summary alerts,
    long alertsReceived,
    double targetCpuSeconds,
    double targetSystemCpuSeconds,
    Map<String, Double> targetThreads,
    double harnessCpuSeconds,
    Map<String, Double> harnessThreads,
    long targetPeakRssKib,
    long targetMaxRssKib,
    double machineBusy,
    double machineSteal,
    @Nullable GatewayDelay gatewayDelay,
    @Nullable String gatewayDelayError) {

  /** The target's CPU seconds per 1,000 messages while measuring; NaN when unknown. */
  public double targetCpuPerThousand() {
    return targetCpuSeconds / (measuredMessages / 1000.0);
  }

  /** The load generator's CPU seconds per 1,000 messages while measuring. */
  public double harnessCpuPerThousand() {
    return harnessCpuSeconds / (measuredMessages / 1000.0);
  }

  /** Share of one core the target used while measuring; NaN when unknown. */
  public double targetCores() {
    return targetCpuSeconds / measuredSeconds;
  }

  /** Messages lost before the broker: failed publishes. */
  public long lostPublishes() {
    return failed + (published - completed - failed);
  }

  /** The result as plain maps and numbers, for JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> load = new LinkedHashMap<>();
    load.put("devices", spec.devices());
    load.put("sensors_per_device", spec.sensorsPerDevice());
    load.put("topics", spec.topics());
    load.put("rate", spec.rate());
    load.put("qos", spec.qos());
    load.put("breach_fraction", spec.breachFraction());
    load.put("threshold", spec.threshold());
    load.put("expect_alerts", spec.expectAlerts());
    load.put("warmup_s", spec.warmup().toMillis() / 1000.0);
    load.put("duration_s", spec.duration().toMillis() / 1000.0);
    load.put("drain_timeout_s", spec.drainTimeout().toMillis() / 1000.0);
    load.put("seed", spec.seed());

    Map<String, Object> sent = new LinkedHashMap<>();
    sent.put("published", published);
    sent.put("completed", completed);
    sent.put("failed", failed);
    if (firstFailure != null) {
      sent.put("first_failure", firstFailure);
    }
    sent.put("measured_messages", measuredMessages);
    sent.put("measured_s", round(measuredSeconds, 3));
    sent.put("achieved_rate", round(achievedRate, 1));
    sent.put("max_schedule_lag_ms", round(maxLagMillis, 3));

    Map<String, Object> alertMap = new LinkedHashMap<>();
    alertMap.put("received", alertsReceived);
    alertMap.put("breaches", alerts.breaches());
    alertMap.put("measured_breaches", alerts.measuredBreaches());
    alertMap.put("matched", alerts.matched());
    alertMap.put("missing", alerts.missing());
    alertMap.put("duplicates", alerts.duplicates());
    alertMap.put("false_alerts", alerts.falseAlerts());
    alertMap.put("clears_expected", alerts.clearsExpected());
    alertMap.put("clears_matched", alerts.clearsMatched());
    alertMap.put("clears_missing", alerts.clearsMissing());
    alertMap.put("unmatched_clears", alerts.unmatchedClears());
    alertMap.put("other_events", alerts.otherEvents());
    alertMap.put("drain_ms", round(drainMillis, 1));
    alertMap.put("latency_ms", latencyMap(alerts.latency()));
    Map<String, Object> split = new LinkedHashMap<>();
    split.put("breach_to_event", latencyMap(alerts.split().breachToEvent()));
    split.put("event_to_alert", latencyMap(alerts.split().eventToAlert()));
    alertMap.put("latency_split_ms", split);
    if (gatewayDelay != null) {
      alertMap.put("gateway_delay", gatewayDelay.toMap());
    } else if (gatewayDelayError != null) {
      alertMap.put("gateway_delay", Map.of("error", gatewayDelayError));
    }

    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("target_cpu_s", round(targetCpuSeconds, 3));
    cpu.put("target_cpu_s_per_1000", round(targetCpuPerThousand(), 5));
    cpu.put("target_system_cpu_s", round(targetSystemCpuSeconds, 3));
    cpu.put("target_cores", round(targetCores(), 3));
    cpu.put("harness_cpu_s", round(harnessCpuSeconds, 3));
    cpu.put("harness_cpu_s_per_1000", round(harnessCpuPerThousand(), 5));
    cpu.put("target_threads_cpu_s", targetThreads);
    cpu.put("harness_threads_cpu_s", harnessThreads);
    cpu.put("target_peak_rss_mib", targetPeakRssKib < 0 ? null : round(targetPeakRssKib / 1024.0, 1));
    cpu.put("target_max_sampled_rss_mib",
        targetMaxRssKib <= 0 ? null : round(targetMaxRssKib / 1024.0, 1));
    cpu.put("machine_busy_fraction", round(machineBusy, 3));
    cpu.put("machine_steal_fraction", round(machineSteal, 3));

    Map<String, Object> map = new LinkedHashMap<>();
    map.put("load", load);
    map.put("sent", sent);
    map.put("alerts", alertMap);
    map.put("resources", cpu);
    return map;
  }

  private static Map<String, Object> latencyMap(AlertLedger.Latency latency) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("samples", latency.samples());
    map.put("p50", round(latency.p50(), 3));
    map.put("p95", round(latency.p95(), 3));
    map.put("p99", round(latency.p99(), 3));
    map.put("max", round(latency.max(), 3));
    return map;
  }

  private static AlertLedger.Latency latency(Map<String, ?> map) {
    return new AlertLedger.Latency(
        whole(map, "samples"),
        number(map, "p50"),
        number(map, "p95"),
        number(map, "p99"),
        number(map, "max"));
  }

  /**
   * A result back from {@link #toMap} (as read from JSON): what {@code floorgate bench report}
   * combines. Rounded as {@code toMap} rounds.
   *
   * @throws IllegalArgumentException naming the first key that is missing or of the wrong type
   */
  static LoadResult fromMap(Map<String, ?> map) {
    Map<String, ?> load = section(map, "load");
    Map<String, ?> sent = section(map, "sent");
    Map<String, ?> alerts = section(map, "alerts");
    AlertLedger.Split split = AlertLedger.Split.NONE; // results written before it have none
    if (alerts.containsKey("latency_split_ms")) {
      Map<String, ?> halves = section(alerts, "latency_split_ms");
      split =
          new AlertLedger.Split(
              latency(section(halves, "breach_to_event")), latency(section(halves, "event_to_alert")));
    }
    GatewayDelay gatewayDelay = null; // not read: a bare broker, or results written before it
    String gatewayDelayError = null;
    if (alerts.containsKey("gateway_delay")) {
      Map<String, ?> delay = section(alerts, "gateway_delay");
      if (delay.get("error") instanceof String error) {
        gatewayDelayError = error;
      } else {
        gatewayDelay = GatewayDelay.fromMap(delay);
      }
    }
    Map<String, ?> cpu = section(map, "resources");
    LoadSpec spec =
        new LoadSpec(
            (int) whole(load, "devices"),
            (int) whole(load, "sensors_per_device"),
            (int) whole(load, "rate"),
            seconds(load, "warmup_s"),
            seconds(load, "duration_s"),
            (int) whole(load, "qos"),
            number(load, "breach_fraction"),
            number(load, "threshold"),
            flag(load, "expect_alerts"),
            seconds(load, "drain_timeout_s"),
            whole(load, "seed"));
    Object firstFailure = sent.get("first_failure");
    double peakRss = number(cpu, "target_peak_rss_mib");
    double maxRss = number(cpu, "target_max_sampled_rss_mib");
    return new LoadResult(
        spec,
        whole(sent, "published"),
        whole(sent, "completed"),
        whole(sent, "failed"),
        firstFailure == null ? null : firstFailure.toString(),
        whole(sent, "measured_messages"),
        number(sent, "measured_s"),
        number(sent, "achieved_rate"),
        number(sent, "max_schedule_lag_ms"),
        number(alerts, "drain_ms"),
        new AlertLedger.Summary(
            whole(alerts, "breaches"),
            whole(alerts, "measured_breaches"),
            whole(alerts, "matched"),
            whole(alerts, "missing"),
            whole(alerts, "duplicates"),
            whole(alerts, "false_alerts"),
            whole(alerts, "clears_expected"),
            whole(alerts, "clears_matched"),
            whole(alerts, "clears_missing"),
            whole(alerts, "unmatched_clears"),
            wholes(alerts, "other_events"),
            latency(section(alerts, "latency_ms")),
            split),
        whole(alerts, "received"),
        number(cpu, "target_cpu_s"),
        number(cpu, "target_system_cpu_s"),
        numbers(cpu, "target_threads_cpu_s"),
        number(cpu, "harness_cpu_s"),
        numbers(cpu, "harness_threads_cpu_s"),
        Double.isNaN(peakRss) ? -1 : Math.round(peakRss * 1024),
        Double.isNaN(maxRss) ? 0 : Math.round(maxRss * 1024),
        // Results written before these were measured have neither.
        cpu.containsKey("machine_busy_fraction") ? number(cpu, "machine_busy_fraction") : Double.NaN,
        cpu.containsKey("machine_steal_fraction") ? number(cpu, "machine_steal_fraction") : Double.NaN,
        gatewayDelay,
        gatewayDelayError);
  }

  @SuppressWarnings("unchecked")
  static Map<String, ?> section(Map<String, ?> map, String key) {
    if (map.get(key) instanceof Map<?, ?> section) {
      return (Map<String, ?>) section;
    }
    throw new IllegalArgumentException(key + " must be an object, but was " + map.get(key));
  }

  /** A number; NaN for null (how {@link #round} writes NaN). */
  static double number(Map<String, ?> map, String key) {
    if (!map.containsKey(key)) {
      throw new IllegalArgumentException(key + " is missing");
    }
    Object value = map.get(key);
    if (value == null) {
      return Double.NaN;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(key + " must be a number, but was " + value);
  }

  static long whole(Map<String, ?> map, String key) {
    if (map.get(key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new IllegalArgumentException(key + " must be a whole number, but was " + map.get(key));
  }

  private static boolean flag(Map<String, ?> map, String key) {
    if (map.get(key) instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(key + " must be true or false, but was " + map.get(key));
  }

  private static Duration seconds(Map<String, ?> map, String key) {
    return Duration.ofMillis(Math.round(number(map, key) * 1000));
  }

  private static Map<String, Double> numbers(Map<String, ?> map, String key) {
    Map<String, Double> out = new LinkedHashMap<>();
    section(map, key).forEach((k, v) -> out.put(k, number(section(map, key), k)));
    return out;
  }

  private static Map<String, Long> wholes(Map<String, ?> map, String key) {
    Map<String, Long> out = new TreeMap<>();
    section(map, key).forEach((k, v) -> out.put(k, whole(section(map, key), k)));
    return out;
  }

  /** {@code value} rounded to {@code decimals}; null for NaN (JSON has no NaN). */
  static @Nullable Double round(double value, int decimals) {
    if (!Double.isFinite(value)) {
      return null;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
