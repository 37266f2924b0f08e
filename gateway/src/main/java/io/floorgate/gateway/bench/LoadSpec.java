package io.floorgate.gateway.bench;

import java.time.Duration;

/**
 * The load one benchmark run offers: {@code devices} MQTT clients, each publishing for {@code
 * sensorsPerDevice} sensors on {@code plant/line{d}/sensor{n}/temperature}, together {@code rate}
 * messages a second, first for {@code warmup} (not measured), then for {@code duration}
 * (measured).
 *
 * @param devices MQTT connections publishing telemetry (device {@code d} is line {@code d})
 * @param sensorsPerDevice topics per device
 * @param rate messages per second, all devices together
 * @param warmup how long the load runs before measuring starts (the JIT needs ~20 s on 2 cores)
 * @param duration how long the measurement runs
 * @param qos the devices' QoS, 0 or 1
 * @param breachFraction the fraction of messages whose value breaches the threshold
 * @param threshold the rules' threshold: breaching values lie above it, normal ones well below
 * @param expectAlerts false when the target evaluates nothing (a bare broker): nothing is awaited
 * @param drainTimeout how long to wait after the load for alerts still on their way
 * @param seed seeds the values, so two runs with the same spec send the same messages
 */
public record LoadSpec(
    int devices,
    int sensorsPerDevice,
    int rate,
    Duration warmup,
    Duration duration,
    int qos,
    double breachFraction,
    double threshold,
    boolean expectAlerts,
    Duration drainTimeout,
    long seed) {

  /** The threshold and deadband the generated rules use; normal values stay below it. */
  public static final double THRESHOLD = 25.0;

  public static final double DEADBAND = 0.5;

  public LoadSpec {
    check(devices >= 1 && devices <= 10_000, "devices must be in [1, 10000], but was " + devices);
    check(
        sensorsPerDevice >= 1 && sensorsPerDevice <= 100_000,
        "sensors must be in [1, 100000], but was " + sensorsPerDevice);
    check(
        (long) devices * sensorsPerDevice <= 1_000_000,
        "devices × sensors must be at most 1000000 topics, but was "
            + (long) devices * sensorsPerDevice);
    check(rate >= 1 && rate <= 1_000_000, "rate must be in [1, 1000000] msg/s, but was " + rate);
    check(!warmup.isNegative(), "warmup must be >= 0, but was " + warmup);
    check(
        duration.compareTo(Duration.ofMillis(100)) >= 0,
        "duration must be at least 100ms, but was " + duration);
    check(qos == 0 || qos == 1, "qos must be 0 or 1, but was " + qos);
    check(
        breachFraction >= 0 && breachFraction <= 0.5,
        "breach fraction must be in [0, 0.5], but was " + breachFraction);
    check(Double.isFinite(threshold), "threshold must be finite, but was " + threshold);
    check(!drainTimeout.isNegative(), "drain timeout must be >= 0, but was " + drainTimeout);
  }

  /** The defaults: 10 devices × 1,000 sensors, 5,000 msg/s QoS 0, 1% breaches, 20 s + 60 s. */
  public static LoadSpec defaults() {
    return new LoadSpec(
        10,
        1_000,
        5_000,
        Duration.ofSeconds(20),
        Duration.ofSeconds(60),
        0,
        0.01,
        THRESHOLD,
        true,
        Duration.ofSeconds(10),
        1L);
  }

  public LoadSpec withRate(int newRate) {
    return new LoadSpec(devices, sensorsPerDevice, newRate, warmup, duration, qos, breachFraction,
        threshold, expectAlerts, drainTimeout, seed);
  }

  public LoadSpec withQos(int newQos) {
    return new LoadSpec(devices, sensorsPerDevice, rate, warmup, duration, newQos, breachFraction,
        threshold, expectAlerts, drainTimeout, seed);
  }

  public LoadSpec withTimes(Duration newWarmup, Duration newDuration) {
    return new LoadSpec(devices, sensorsPerDevice, rate, newWarmup, newDuration, qos,
        breachFraction, threshold, expectAlerts, drainTimeout, seed);
  }

  public LoadSpec withShape(int newDevices, int newSensorsPerDevice) {
    return new LoadSpec(newDevices, newSensorsPerDevice, rate, warmup, duration, qos,
        breachFraction, threshold, expectAlerts, drainTimeout, seed);
  }

  public LoadSpec withExpectAlerts(boolean expect) {
    return new LoadSpec(devices, sensorsPerDevice, rate, warmup, duration, qos, breachFraction,
        threshold, expect, drainTimeout, seed);
  }

  /** Topics the load publishes on: devices × sensors. */
  public int topics() {
    return devices * sensorsPerDevice;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
