package io.floorgate.gateway.admin;

import io.floorgate.events.EventCategory;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventSeverity;
import io.floorgate.gateway.alerts.AlertRepublisher;
import io.floorgate.gateway.broker.Broker;
import io.floorgate.gateway.ingest.Ingest;
import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.journal.Journal;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Prometheus metrics, served on {@code /metrics}. Counters that the parts already
 * keep are read when scraped (callbacks); only events and journal appends are counted here, as
 * they happen, without locks.
 *
 * <pre>
 * floorgate_messages_total{class}                   messages handled, by topic class
 * floorgate_messages_rejected_total{reason}         unreadable or refused input, by reason
 * floorgate_rule_evaluations_total                  rule evaluations
 * floorgate_events_published_total{severity,category}
 * floorgate_journal_append_seconds                  histogram of append latency
 * floorgate_journal_size_bytes                      the journal's files
 * floorgate_alerts_lag_records                      journal records not yet republished
 * floorgate_alerts_delay_seconds                    histogram: event timestamp to the broker taking its alert
 * floorgate_ingest_queue_messages                   messages waiting for evaluation
 * floorgate_ingest_queue_bytes                      their estimated memory (bounded by queue_bytes)
 * floorgate_alarms_held                             alarms not normal (or waiting out a delay)
 * floorgate_mqtt_clients_connected
 * floorgate_admin_failed_logins_total
 * floorgate_bridge_*                                the upstream bridge, when enabled ({@code BridgeMetrics})
 * jvm_*, process_*                                  memory, GC, threads, classes, CPU (where the JVM can read them)
 * </pre>
 */
public final class GatewayMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayMetrics.class);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /**
   * The parts measured; the journal and the republisher are absent when persistence is off (alerts
   * are then published as events are accepted, with nothing to lag or to time).
   */
  public record Sources(
      EventManager events,
      Ingest ingest,
      Broker broker,
      @Nullable Journal journal,
      @Nullable AlertRepublisher alerts,
      LongSupplier failedLogins) {}

  public GatewayMetrics(Sources sources) {
    Counter events =
        Counter.builder()
            .name("floorgate_events_published")
            .help("Events the event manager accepted, by severity and category")
            .labelNames("severity", "category")
            // No trace context to link: exemplars would only be sampling costs on every event.
            .withoutExemplars()
            .register(registry);
    // Every pair from zero, so a rate() over an event that never happened reads 0, not absent;
    // and looked up once here, not by label values on the ingest thread per event.
    CounterDataPoint[][] counts =
        new CounterDataPoint[EventSeverity.values().length][EventCategory.values().length];
    for (EventSeverity severity : EventSeverity.values()) {
      for (EventCategory category : EventCategory.values()) {
        counts[severity.ordinal()][category.ordinal()] =
            events.labelValues(severity.value(), category.value());
      }
    }
    sources
        .events()
        .subscribe(event -> counts[event.severity().ordinal()][event.category().ordinal()].inc());

    Ingest ingest = sources.ingest();
    CounterWithCallback.builder()
        .name("floorgate_messages")
        .help("Messages the gateway handled, by topic class")
        .labelNames("class")
        .callback(
            callback -> {
              for (Ingest.MessageClass kind : Ingest.MessageClass.values()) {
                callback.call(ingest.handled(kind), kind.value());
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("floorgate_messages_rejected")
        .help("Input that could not be used, by reason (queue_full: dropped before evaluation)")
        .labelNames("reason")
        .callback(
            callback -> {
              for (Rejection reason : Rejection.values()) {
                callback.call(ingest.rejections().total(reason), reason.value());
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("floorgate_rule_evaluations")
        .help("Rule evaluations (one per reading per matching rule)")
        .callback(callback -> callback.call(ingest.evaluations()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("floorgate_ingest_queue_messages")
        .help("Messages waiting for evaluation")
        .callback(callback -> callback.call(ingest.queuedMessages()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("floorgate_ingest_queue_bytes")
        .help("Estimated memory of the messages waiting for evaluation (at most queue_bytes)")
        .callback(callback -> callback.call(ingest.queuedBytes()))
        .register(registry);
    CounterWithCallback.builder()
        .name("floorgate_alarm_announcements_failed")
        .help(
            "Alarm transitions whose events or alarm state failed to publish for a reason other"
                + " than the journal refusing (each logged)")
        .callback(callback -> callback.call(ingest.failedAnnouncements()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("floorgate_alarms_held")
        .help("Alarms that are not normal, or waiting out a delay")
        .callback(callback -> callback.call(ingest.activeAlarms()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("floorgate_mqtt_clients_connected")
        .help("MQTT clients connected to the embedded broker")
        .callback(callback -> callback.call(sources.broker().connectedClients()))
        .register(registry);
    CounterWithCallback.builder()
        .name("floorgate_admin_failed_logins")
        .help("Admin API requests refused for bad credentials")
        .callback(callback -> callback.call(sources.failedLogins().getAsLong()))
        .register(registry);

    Journal journal = sources.journal();
    if (journal != null) {
      Histogram appends =
          Histogram.builder()
              .name("floorgate_journal_append_seconds")
              .help("Time to append one record to the journal")
              .unit(Unit.SECONDS)
              .classicUpperBounds(
                  0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001,
                  0.005, 0.025, 0.1)
              // Classic buckets are all the text format shows; the native histogram kept beside
              // them by default was work on the ingest thread for nothing.
              .classicOnly()
              .withoutExemplars()
              .register(registry);
      journal.onAppend(nanos -> appends.observe(nanos / 1e9));
      GaugeWithCallback.builder()
          .name("floorgate_journal_size_bytes")
          .help("Size of the journal's files")
          .unit(Unit.BYTES)
          .callback(callback -> callback.call(journal.sizeBytes()))
          .register(registry);
      CounterWithCallback.builder()
          .name("floorgate_journal_sync_failures")
          .help("Forces of the journal's files to disk that the disk refused (a disk fault)")
          .callback(callback -> callback.call(journal.syncFailures()))
          .register(registry);
    }
    AlertRepublisher alerts = sources.alerts();
    if (alerts != null) {
      GaugeWithCallback.builder()
          .name("floorgate_alerts_lag_records")
          .help("Journal records not yet republished on the alert topics")
          .callback(callback -> callback.call(alerts.lag()))
          .register(registry);
      Histogram delay =
          Histogram.builder()
              .name("floorgate_alerts_delay_seconds")
              .help("Time from an event's timestamp to the broker taking its alert")
              .unit(Unit.SECONDS)
              // From well under the 10 ms an alert takes end to end to a crash's replay.
              .classicUpperBounds(
                  0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 10)
              .classicOnly()
              .withoutExemplars()
              .register(registry);
      alerts.onPublished(micros -> delay.observe(micros / 1e6));
    }
    registerJvmMetrics(registry, r -> JvmMetrics.builder().register(r));
  }

  /**
   * The JVM's own metrics, as far as the JVM can read them: optional, so a failure costs them,
   * not the start. (Java 17 throws a NullPointerException from its cgroup v1 code where
   * /proc/self/cgroup names controllers that are not mounted, e.g. in some containers.)
   *
   * @return whether they were registered
   */
  static boolean registerJvmMetrics(PrometheusRegistry registry, Consumer<PrometheusRegistry> jvm) {
    try {
      jvm.accept(registry);
      return true;
    } catch (RuntimeException e) {
      LOG.warn(
          "JVM and process metrics (jvm_*, process_*) are left out: the JVM cannot read them"
              + " here: {}",
          e.toString());
      return false;
    }
  }

  /** The registry, for parts that add their own metrics (the bridge). */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The Prometheus text format's content type. */
  public String contentType() {
    return writer.getContentType();
  }

  /** Writes every metric in the Prometheus text format. */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
