package io.floorgate.gateway;

import static io.floorgate.gateway.GatewayFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.events.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics and health as Prometheus and systemd see them. */
class OperationsIT {
  private static final String RULES =
      """
      rules:
        - id: temp
          topic: plant/+/+/temperature
          comparison: greater_than
          value: 25.0
      """;
  private static final Pattern SAMPLE = Pattern.compile("^([a-z_:]+)(\\{[^}]*\\})? ([-+0-9.eE]+|NaN)$");

  @TempDir Path dir;
  private GatewayFixture fixture;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    // Never leave an immutable directory behind.
    new ProcessBuilder("chattr", "-i", dir.resolve("journal").toString()).start().waitFor();
    if (fixture != null) {
      fixture.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.gateway.adminPort().getAsInt() + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every sample of a scrape, keyed {@code name{labels}}. */
  private Map<String, Double> scrape() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches()) {
        samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
      }
    }
    return samples;
  }

  private static double publishedEvents(Map<String, Double> samples) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().startsWith("floorgate_events_published_total{"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  @Test
  void metrics_moveWithWhatWasSent_duringALoad() throws Exception {
    fixture = GatewayFixture.start(dir, RULES);
    Mqtt3BlockingClient device = fixture.device("sensor");
    int readings = 600;
    int breaches = 0;
    List<Map<String, Double>> during = new ArrayList<>();
    for (int i = 0; i < readings; i++) {
      // Each sensor topic raises at most once: a breach on a topic of its own.
      boolean breach = i % 10 == 0;
      breaches += breach ? 1 : 0;
      publish(device, "plant/l1/s" + i + "/temperature", breach ? "30" : "20");
      if (i % 150 == 0) {
        during.add(scrape());
      }
    }
    publish(device, "plant/l1/x/temperature", "not a number");
    publish(device, "elsewhere/topic", "1");
    int expectedBreaches = breaches;

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Map<String, Double> m = scrape();
              assertThat(m.get("floorgate_messages_total{class=\"telemetry\"}")).isEqualTo(readings + 1.0);
              assertThat(m.get("floorgate_messages_total{class=\"unwatched\"}")).isEqualTo(1.0);
              assertThat(m.get("floorgate_rule_evaluations_total")).isEqualTo((double) readings);
              assertThat(m.get("floorgate_messages_rejected_total{reason=\"not_json\"}")).isEqualTo(1.0);
              assertThat(m.get("floorgate_events_published_total{category=\"threshold\",severity=\"warning\"}"))
                  .isEqualTo((double) expectedBreaches);
              assertThat(m.get("floorgate_alarms_held")).isEqualTo((double) expectedBreaches);
              assertThat(m.get("floorgate_journal_append_seconds_count"))
                  .isGreaterThanOrEqualTo(expectedBreaches + 1.0);
              assertThat(m.get("floorgate_alerts_lag_records")).isZero();
              // Every republished event's delay, and no other: the rules record is no event.
              assertThat(m.get("floorgate_alerts_delay_seconds_count"))
                  .isEqualTo(publishedEvents(m));
              assertThat(m.get("floorgate_ingest_queue_messages")).isZero();
              assertThat(m.get("floorgate_ingest_queue_bytes")).isZero();
            });
    Map<String, Double> last = scrape();
    assertThat(last.get("floorgate_mqtt_clients_connected")).isGreaterThanOrEqualTo(1.0);
    assertThat(last.get("floorgate_journal_size_bytes")).isPositive();
    // Each took a moment, and far less than the largest bound.
    assertThat(last.get("floorgate_alerts_delay_seconds_sum")).isPositive();
    assertThat(last.get("floorgate_alerts_delay_seconds_bucket{le=\"10.0\"}"))
        .isEqualTo(last.get("floorgate_alerts_delay_seconds_count"));
    assertThat(last.get("floorgate_journal_sync_failures_total")).isZero();
    assertThat(last.get("floorgate_alarm_announcements_failed_total")).isZero();
    assertThat(last.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
    assertThat(last.keySet()).anyMatch(k -> k.startsWith("jvm_gc_collection_seconds"));
    // Counters only ever grow, and every scrape during the load was below the end.
    double previous = -1;
    for (Map<String, Double> scrape : during) {
      double telemetry = scrape.getOrDefault("floorgate_messages_total{class=\"telemetry\"}", 0.0);
      assertThat(telemetry).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(readings + 1.0);
      previous = telemetry;
    }
  }

  @Test
  void health_is503WhileTheJournalDirectoryIsUnwritable_andEventsMeanwhileAreKept()
      throws Exception {
    fixture = GatewayFixture.start(dir, RULES);
    Scada scada = fixture.scada("scada", "alerts/#");
    assertThat(get("/health").statusCode()).isEqualTo(200);

    Path journal = dir.resolve("journal");
    Process chattr = new ProcessBuilder("chattr", "+i", journal.toString()).start();
    assumeTrue(
        chattr.waitFor() == 0,
        "needs chattr +i (root on a file system with immutable files) to make the journal"
            + " directory unwritable even for root");

    HttpResponse<String> unhealthy = get("/health");
    assertThat(unhealthy.statusCode()).isEqualTo(503);
    Map<String, Object> body = EventJson.readObject(unhealthy.body().getBytes(StandardCharsets.UTF_8));
    assertThat(body).containsEntry("ready", false);
    assertThat(body.get("journal").toString()).contains("writable=false");

    publish(fixture.device("sensor"), "plant/l1/s1/temperature", "31");
    String eventId =
        (String) scada.await(r -> r.topic().equals("alerts/warning/threshold")).json().get("event_id");

    new ProcessBuilder("chattr", "-i", journal.toString()).start().waitFor();
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/health").statusCode() == 200);
    assertThat(fixture.gateway.events().getEvent(eventId)).isPresent();
  }

  @Test
  void health_andMetrics_needNoCredentials_butTheApiDoes() throws IOException, InterruptedException, Exception {
    fixture = GatewayFixture.start(dir, RULES);

    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").headers().firstValue("Content-Type")).get().asString()
        .startsWith("text/plain");
    assertThat(get("/api/alarms").statusCode()).isEqualTo(401);
  }
}
