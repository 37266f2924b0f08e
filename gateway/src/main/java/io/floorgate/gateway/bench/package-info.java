/**
 * {@code floorgate bench}: a load generator and alert checker for any MQTT broker, and the suite
 * that measures Floorgate against bare Moquette on the same machine (docs/benchmarks.md).
 *
 * <p>Devices publish telemetry at a paced rate ({@link io.floorgate.gateway.bench.TelemetryPlan}),
 * one subscriber on {@code alerts/#} pairs every alert with its breach ({@link
 * io.floorgate.gateway.bench.AlertLedger}), and the target's CPU time and memory come from
 * {@code /proc} ({@link io.floorgate.gateway.bench.ProcStats}); a Floorgate's own part of the
 * alerts' latency comes from its {@code /metrics} ({@link io.floorgate.gateway.bench.GatewayDelay}).
 * The suite starts each target in a child JVM of its own ({@link
 * io.floorgate.gateway.bench.BenchTarget}).
 */
@NullMarked
package io.floorgate.gateway.bench;

import org.jspecify.annotations.NullMarked;
