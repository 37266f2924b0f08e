package io.floorgate.gateway.console;

import io.floorgate.gateway.admin.GatewayMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The status page's numbers: {@code /health} as it is, and the gateway's own metrics (everything
 * named {@code floorgate_*}, including a bridge's when one registers them, and the JVM's heap) read
 * from the same registry {@code /metrics} serves. Rates are left to the page, which reads the
 * counters twice.
 */
final class StatusReport {
  private final @Nullable GatewayMetrics metrics;
  private final Supplier<Map<String, Object>> health;
  private final int retentionDays;

  StatusReport(
      @Nullable GatewayMetrics metrics, Supplier<Map<String, Object>> health, int retentionDays) {
    this.metrics = metrics;
    this.health = health;
    this.retentionDays = retentionDays;
  }

  Map<String, Object> read(long nowMillis, Map<String, Object> console) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("time_ms", nowMillis);
    status.put("health", health.get());
    status.put("retention_days", retentionDays);
    status.put("console", console);
    Map<String, Object> values = new LinkedHashMap<>();
    if (metrics != null) {
      for (MetricSnapshot snapshot :
          metrics
              .registry()
              .scrape(name -> name.startsWith("floorgate_") || name.startsWith("jvm_memory_used"))) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
          Map<String, Object> p = new LinkedHashMap<>();
          Map<String, String> labels = new LinkedHashMap<>();
          for (Label label : point.getLabels()) {
            labels.put(label.getName(), label.getValue());
          }
          p.put("labels", labels);
          if (point instanceof CounterSnapshot.CounterDataPointSnapshot c) {
            p.put("value", c.getValue());
          } else if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
            p.put("value", g.getValue());
          } else if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot h) {
            p.put("count", h.getCount());
            p.put("sum", h.getSum());
          } else {
            continue;
          }
          points.add(p);
        }
        values.put(snapshot.getMetadata().getPrometheusName(), points);
      }
    }
    status.put("metrics", values);
    return status;
  }
}
