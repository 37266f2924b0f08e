package io.floorgate.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The gateway's own delay, read from Prometheus's text format as the gateway writes it. */
class GatewayDelayTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram delay =
      Histogram.builder()
          .name("floorgate_alerts_delay_seconds")
          .help("Time from an event's timestamp to the broker taking its alert")
          .unit(Unit.SECONDS)
          .classicUpperBounds(0.000_5, 0.001, 0.005, 0.01)
          .classicOnly()
          .withoutExemplars()
          .register(registry);

  private String exposition() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aReading_countsEachBucketCumulatively_andTheSum() throws IOException {
    Counter.builder().name("floorgate_alerts_delay_seconds_other").help("not it").register(registry).inc(7);
    delay.observe(0.000_2);
    delay.observe(0.000_8);
    delay.observe(0.003);
    delay.observe(2.0);

    GatewayDelay read = GatewayDelay.parse(exposition());

    assertThat(read.events()).isEqualTo(4);
    assertThat(read.sumSeconds()).isCloseTo(2.004, within(1e-9));
    assertThat(read.within())
        .containsEntry(0.000_5, 1L)
        .containsEntry(0.001, 2L)
        .containsEntry(0.005, 3L)
        .containsEntry(0.01, 3L)
        .containsEntry(Double.POSITIVE_INFINITY, 4L)
        .hasSize(5);
    assertThat(read.meanMillis()).isCloseTo(501.0, within(1e-6));
    assertThat(read.shareWithin(0.005)).isEqualTo(0.75);
  }

  @Test
  void aWindow_isTheDifferenceOfTwoReadings() throws IOException {
    delay.observe(0.000_2);
    delay.observe(0.02);
    GatewayDelay before = GatewayDelay.parse(exposition());
    delay.observe(0.000_3);
    delay.observe(0.000_7);
    delay.observe(0.007);

    GatewayDelay window = GatewayDelay.parse(exposition()).since(before);

    assertThat(window.events()).isEqualTo(3);
    assertThat(window.sumSeconds()).isCloseTo(0.008, within(1e-9));
    assertThat(window.shareWithin(0.000_5)).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(window.shareWithin(0.001)).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(window.shareWithin(0.01)).isEqualTo(1.0);
    assertThat(window.within()).containsEntry(Double.POSITIVE_INFINITY, 3L);
  }

  @Test
  void aLaterReadingWithFewerEvents_isRefusedAsARestart() throws IOException {
    GatewayDelay empty = GatewayDelay.parse(exposition());
    delay.observe(0.001);
    GatewayDelay one = GatewayDelay.parse(exposition());

    assertThatThrownBy(() -> empty.since(one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("went back from 1 to 0 events")
        .hasMessageContaining("restarted");
  }

  @Test
  void metricsWithoutTheHistogram_areRefused_namingIt() {
    assertThatThrownBy(() -> GatewayDelay.parse("# TYPE jvm_threads gauge\njvm_threads 12\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("floorgate_alerts_delay_seconds is not among the metrics")
        .hasMessageContaining("_count");
  }

  @Test
  void aBoundWithoutABucket_isRefused_namingTheBoundsThereAre() throws IOException {
    GatewayDelay read = GatewayDelay.parse(exposition());

    assertThatThrownBy(() -> read.shareWithin(0.025))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no bucket at 0.025 s");
  }

  @Test
  void aScrape_readsTheMetricsOverHttp_andNamesTheAddressWhenItCannot() throws IOException {
    delay.observe(0.000_4);
    byte[] body = exposition().getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");

      assertThat(GatewayDelay.scrape(base.resolve("metrics")).events())
          .isEqualTo(1);
      assertThatThrownBy(() -> GatewayDelay.scrape(base.resolve("nothing")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("cannot read " + base.resolve("nothing") + ": HTTP 404");
    } finally {
      server.stop(0);
    }
  }
}
