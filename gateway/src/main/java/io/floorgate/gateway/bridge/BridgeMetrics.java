package io.floorgate.gateway.bridge;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.Supplier;

/**
 * The bridge's Prometheus metrics, read from {@link Bridge#status()} when scraped (no counting
 * on the bridge's threads):
 *
 * <pre>
 * floorgate_bridge_connected                       1 while connected to the upstream, else 0
 * floorgate_bridge_backlog_events                  events not yet acknowledged upstream
 * floorgate_bridge_in_flight_events                of those, sent and awaiting the PUBACK
 * floorgate_bridge_oldest_unsent_age_seconds       age of the oldest of them; 0 when none
 * floorgate_bridge_retention_at_risk               1 while retention could delete one of them
 * floorgate_bridge_forwarded_total                 events the upstream acknowledged
 * floorgate_bridge_connections_total               connections established
 * floorgate_bridge_telemetry_total{outcome}        forwarded | dropped
 * floorgate_bridge_upstream_acks_total{outcome}    applied | rejected
 * </pre>
 */
public final class BridgeMetrics {
  private BridgeMetrics() {}

  /** Registers the bridge's metrics; {@code status} is called at each scrape, on its thread. */
  public static void register(PrometheusRegistry registry, Supplier<BridgeStatus> status) {
    GaugeWithCallback.builder()
        .name("floorgate_bridge_connected")
        .help("1 while the bridge is connected to the upstream broker, else 0")
        .callback(callback -> callback.call(status.get().connected() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("floorgate_bridge_backlog_events")
        .help("Events that should go upstream and were not yet acknowledged by it")
        .callback(callback -> callback.call(status.get().backlog()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("floorgate_bridge_in_flight_events")
        .help("Events sent upstream and awaiting the upstream's acknowledgement")
        .callback(callback -> callback.call(status.get().inFlight()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("floorgate_bridge_oldest_unsent_age_seconds")
        .help("Age of the oldest event not yet acknowledged upstream; 0 when none waits")
        .unit(Unit.SECONDS)
        .callback(
            callback -> {
              Long age = status.get().oldestUnsentAgeSeconds();
              callback.call(age == null ? 0 : age);
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("floorgate_bridge_retention_at_risk")
        .help("1 while journal retention could soon delete an event not yet forwarded, else 0")
        .callback(callback -> callback.call(status.get().retentionAtRisk() ? 1 : 0))
        .register(registry);
    CounterWithCallback.builder()
        .name("floorgate_bridge_forwarded")
        .help("Events the upstream acknowledged since start")
        .callback(callback -> callback.call(status.get().forwarded()))
        .register(registry);
    CounterWithCallback.builder()
        .name("floorgate_bridge_connections")
        .help("Connections to the upstream established since start")
        .callback(callback -> callback.call(status.get().reconnects()))
        .register(registry);
    CounterWithCallback.builder()
        .name("floorgate_bridge_telemetry")
        .help("Telemetry messages forwarded upstream or dropped (upstream away, too many in flight)")
        .labelNames("outcome")
        .callback(
            callback -> {
              BridgeStatus s = status.get();
              callback.call(s.telemetryForwarded(), "forwarded");
              callback.call(s.telemetryDropped(), "dropped");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("floorgate_bridge_upstream_acks")
        .help("Acknowledgements received from the upstream: applied, or rejected (malformed, unknown)")
        .labelNames("outcome")
        .callback(
            callback -> {
              BridgeStatus s = status.get();
              callback.call(s.acksApplied(), "applied");
              callback.call(s.acksRejected(), "rejected");
            })
        .register(registry);
  }
}
