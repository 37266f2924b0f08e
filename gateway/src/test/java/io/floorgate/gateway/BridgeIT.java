package io.floorgate.gateway;

import static io.floorgate.gateway.GatewayFixture.ADMIN_PASSWORD;
import static io.floorgate.gateway.GatewayFixture.ADMIN_USER;
import static io.floorgate.gateway.GatewayFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.events.EventJson;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.ThresholdEvent;
import io.floorgate.gateway.bridge.Bridge;
import io.floorgate.gateway.bridge.BridgeStatus;
import io.floorgate.gateway.config.BridgeConfig;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The bridge against a real second broker that is not Moquette (Debian's Mosquitto, started by
 * the test), with an Eclipse Paho MQTT 5 client as the plant-side consumer.
 */
class BridgeIT {
  /** Every sample above 25 is an event, so a steady flow of samples is a steady flow of events. */
  static final String RULES =
      """
      rules:
        - id: line-temp
          name: Line temperature
          topic: plant/+/+/temperature
          comparison: greater_than
          value: 25.0
          mode: every_sample
      """;

  @TempDir Path dir;
  private Mosquitto upstream;
  private GatewayFixture fixture;
  private PlantConsumer plant;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void mosquittoIsInstalled() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Mosquitto.installed(),
        "skipped: these tests need Debian's mosquitto at /usr/sbin/mosquitto (.ci/run installs it)");
  }

  @AfterEach
  void stop() {
    if (plant != null) {
      plant.close();
    }
    if (fixture != null) {
      fixture.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  static String bridgeYaml(int port, String more) {
    return """
        bridge:
          enabled: true
          host: 127.0.0.1
          port: %d
          connect_timeout: 2s
          reconnect_min_delay: 200ms
          reconnect_max_delay: 1s
        """
            .formatted(port)
        + more.indent(2);
  }

  private GatewayFixture startGateway(String bridgeYaml) throws Exception {
    return startIn(dir.resolve("gateway"), bridgeYaml);
  }

  private static GatewayFixture startIn(Path gatewayDir, String bridgeYaml) throws Exception {
    Files.createDirectories(gatewayDir);
    return GatewayFixture.start(gatewayDir, RULES, bridgeYaml);
  }

  private BridgeStatus status() {
    return fixture.gateway.bridgeStatus();
  }

  @Test
  void forwardsEachEventWithTheSameJsonAsLocally_asMqtt5WithContentTypeAndUserProperties()
      throws Exception {
    upstream = Mosquitto.start(dir.resolve("mosquitto"), List.of("floorgate:bridge-pw", "mes:mes-pw"));
    Path passwordFile = dir.resolve("bridge.password");
    Files.writeString(passwordFile, "bridge-pw\n");
    fixture =
        startIn(
            dir.resolve("gateway"),
            bridgeYaml(
                upstream.port(),
                """
                username: floorgate
                password_file: %s
                telemetry:
                  topics: [plant/#]
                """
                    .formatted(passwordFile)));
    plant = PlantConsumer.connect("mes", upstream.port(), "floorgate/#", "mes", "mes-pw");
    Scada scada = fixture.scada("scada", "alerts/#");
    await().atMost(Duration.ofSeconds(20)).until(() -> status().connected());

    Mqtt3BlockingClient device = fixture.device("sensor-7");
    publish(device, "plant/l1/s7/temperature", "{\"value\": 26.5, \"seq\": 1}");

    Scada.Received local = scada.await(r -> r.topic().equals("alerts/warning/threshold"));
    String eventId = (String) local.json().get("event_id");
    PlantConsumer.Received up =
        plant.await(r -> r.topic().startsWith("floorgate/test-gw/alerts/"));
    assertThat(up.topic()).isEqualTo("floorgate/test-gw/alerts/warning/threshold");
    assertThat(up.text()).as("the same JSON, byte for byte").isEqualTo(local.payload());
    assertThat(up.contentType()).isEqualTo("application/json");
    assertThat(up.userProperties())
        .containsEntry("gateway_id", "test-gw")
        .containsEntry("event_id", eventId)
        .containsEntry("severity", "warning")
        .containsEntry("category", "threshold");

    // Telemetry goes up as it came in, on its own topic.
    PlantConsumer.Received telemetry =
        plant.await(r -> r.topic().startsWith("floorgate/test-gw/telemetry/"));
    assertThat(telemetry.topic()).isEqualTo("floorgate/test-gw/telemetry/plant/l1/s7/temperature");
    assertThat(telemetry.text()).isEqualTo("{\"value\": 26.5, \"seq\": 1}");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              BridgeStatus s = status();
              assertThat(s.backlog()).isZero();
              assertThat(s.forwarded()).isGreaterThanOrEqualTo(1);
              assertThat(s.oldestUnsentAgeSeconds()).isNull();
              assertThat(s.telemetryForwarded()).isEqualTo(1);
            });
    BridgeStatus s = status();
    assertThat(s.connected()).isTrue();
    assertThat(s.protocol()).isEqualTo("5");
    assertThat(s.upstream()).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(s.lastError()).isNull();

    // The same through the admin API and /health.
    HttpResponse<String> api = get("/api/bridge", true);
    assertThat(api.statusCode()).isEqualTo(200);
    Map<String, Object> json = EventJson.readObject(api.body().getBytes(StandardCharsets.UTF_8));
    assertThat(json)
        .containsEntry("enabled", true)
        .containsEntry("connected", true)
        .containsEntry("backlog", 0L)
        .containsEntry("protocol", "5");
    assertThat(get("/api/bridge", false).statusCode()).isEqualTo(401);
    HttpResponse<String> health = get("/health", false);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"bridge\":{\"enabled\":true,\"connected\":true");
    // ... and in the Prometheus metrics.
    Map<String, Double> metrics = scrape();
    assertThat(metrics)
        .containsEntry("floorgate_bridge_connected", 1.0)
        .containsEntry("floorgate_bridge_backlog_events", 0.0)
        .containsEntry("floorgate_bridge_in_flight_events", 0.0)
        .containsEntry("floorgate_bridge_oldest_unsent_age_seconds", 0.0)
        .containsEntry("floorgate_bridge_retention_at_risk", 0.0)
        .containsEntry("floorgate_bridge_forwarded_total", (double) s.forwarded())
        .containsEntry("floorgate_bridge_connections_total", 1.0)
        .containsEntry("floorgate_bridge_telemetry_total{outcome=\"forwarded\"}", 1.0)
        .containsEntry("floorgate_bridge_telemetry_total{outcome=\"dropped\"}", 0.0);
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-z_:]+)(\\{[^}]*\\})? ([-+0-9.eE]+|NaN)$");

  /** Every sample of a scrape of /metrics, keyed {@code name{labels}}. */
  private Map<String, Double> scrape() throws Exception {
    HttpResponse<String> response = get("/metrics", false);
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new java.util.HashMap<>();
    for (String line : response.body().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches()) {
        samples.put(
            m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
      }
    }
    return samples;
  }

  @Test
  void acknowledgementPublishedUpstream_appliesLikeALocalOne() throws Exception {
    upstream = Mosquitto.start(dir.resolve("mosquitto"));
    fixture = startGateway(bridgeYaml(upstream.port(), ""));
    plant = PlantConsumer.connect("mes", upstream.port(), "floorgate/#", null, null);
    Scada scada = fixture.scada("scada", "alerts/#");
    await().atMost(Duration.ofSeconds(20)).until(() -> status().connected());
    publish(fixture.device("sensor"), "plant/l1/s1/temperature", "30");
    String eventId = plant.await(r -> r.topic().endsWith("/alerts/warning/threshold")).eventId();

    plant.publish(
        "floorgate/test-gw/ack", "{\"event_id\": \"" + eventId + "\", \"user_id\": \"mes-op-3\"}");

    Scada.Received action =
        scada.await(r -> r.topic().equals("alerts/info/user") && r.payload().contains(eventId));
    assertThat(action.json()).containsEntry("source", "floorgate");
    assertThat(action.details())
        .containsEntry("user_id", "mes-op-3")
        .containsEntry("action", "acknowledge_event");
    assertThat(action.details().get("action_details").toString()).contains("via=bridge");
    assertThat(fixture.gateway.events().getEvent(eventId).orElseThrow().acknowledged()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> status().acksApplied() == 1);

    // Garbage on the ack topic is counted and ignored.
    plant.publish("floorgate/test-gw/ack", "not json");
    plant.publish("floorgate/test-gw/ack", "{\"event_id\": \"no-such-event\", \"user_id\": \"x\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> status().acksRejected() == 2);
    // ... and the user action itself went upstream too.
    plant.await(r -> r.topic().equals("floorgate/test-gw/alerts/info/user"));
  }

  /**
   * Acknowledgements from the upstream are applied on a thread of their own: one that waits to be
   * taken up (the gateway's ingest queue full, its journal refusing writes) does not hold up the
   * client's callbacks, which complete the forwarding of events. A bridge of its own here, whose
   * acknowledger waits on a latch as the gateway's does on a full queue (which a test cannot hold
   * full).
   */
  @Test
  void anAcknowledgementWaitingToBeApplied_doesNotHoldUpTheForwardingOfEvents() throws Exception {
    upstream = Mosquitto.start(dir.resolve("mosquitto"));
    plant = PlantConsumer.connect("mes", upstream.port(), "floorgate/#", null, null);
    BridgeConfig config =
        ConfigLoader.parse(
                "gateway_id: test-gw\n" + bridgeYaml(upstream.port(), ""),
                "gateway.yaml",
                Optional.empty())
            .orThrow()
            .bridge();
    CountDownLatch applying = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Bridge.Acknowledger waiting =
        (eventId, user) -> {
          applying.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return CompletableFuture.completedFuture(true);
        };

    try (Journal journal = Journal.open(JournalOptions.defaults(dir.resolve("journal")));
        EventManager events = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
        Bridge bridge =
            Bridge.start(config, "test-gw", journal, events, waiting, Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> bridge.status().connected());
      // The ack topic is subscribed to once connected: ack until the subscription has one.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                plant.publish(
                    "floorgate/test-gw/ack", "{\"event_id\": \"e-1\", \"user_id\": \"mes-op-3\"}");
                return applying.await(200, TimeUnit.MILLISECONDS);
              });

      try {
        events.publish(breach());
        await().atMost(Duration.ofSeconds(10)).until(() -> bridge.status().forwarded() == 1);
        assertThat(bridge.status().backlog()).isZero();
        plant.await(r -> r.topic().equals("floorgate/test-gw/alerts/warning/threshold"));
        assertThat(bridge.status().acksApplied()).as("still waiting").isZero();
      } finally {
        release.countDown();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> bridge.status().acksApplied() >= 1);
    }
  }

  @Test
  void upstreamStoppedUnderASteadyFlow_thenRestarted_everyEventArrives_duplicatesOnlyInFlight()
      throws Exception {
    int inFlight = 20;
    upstream = Mosquitto.start(dir.resolve("mosquitto"));
    fixture = startGateway(bridgeYaml(upstream.port(), "in_flight: " + inFlight));
    plant = PlantConsumer.connect("mes", upstream.port(), "floorgate/test-gw/alerts/#", null, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> status().connected());
    Mqtt3BlockingClient device = fixture.device("sensor");
    AtomicInteger seq = new AtomicInteger();
    ScheduledExecutorService flow = Executors.newSingleThreadScheduledExecutor();
    try {
      // A breach every 10 ms, for as long as the test runs (bounded below).
      flow.scheduleAtFixedRate(
          () -> {
            if (seq.get() < 3_000) {
              publish(
                  device,
                  "plant/l1/s1/temperature",
                  "{\"value\": 30, \"seq\": " + seq.incrementAndGet() + "}");
            }
          },
          0,
          10,
          TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(20)).until(() -> plant.received().size() >= 50);

      upstream.stop();
      await().atMost(Duration.ofSeconds(10)).until(() -> !status().connected());
      int atOutage = seq.get();
      // The outage lasts while at least 150 more breaches are journaled.
      await().atMost(Duration.ofSeconds(30)).until(() -> seq.get() >= atOutage + 150);
      assertThat(status().backlog()).isGreaterThanOrEqualTo(100);
      assertThat(status().oldestUnsentAgeSeconds()).isNotNull();
      assertThat(status().lastError()).isNotNull();

      upstream.start();
      plant.reconnect();
      int atRestart = seq.get();
      await().atMost(Duration.ofSeconds(20)).until(() -> status().connected());
      await().atMost(Duration.ofSeconds(30)).until(() -> seq.get() >= atRestart + 100);
    } finally {
      flow.shutdown();
      flow.awaitTermination(5, TimeUnit.SECONDS);
    }

    Set<String> journaled = journaledEventIds(fixture.gateway.journal());
    assertThat(journaled).hasSizeGreaterThanOrEqualTo(300);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(plant.received().stream().map(PlantConsumer.Received::eventId))
                    .as("every journaled event upstream")
                    .containsAll(journaled));
    Map<String, Long> copies =
        plant.received().stream()
            .collect(Collectors.groupingBy(PlantConsumer.Received::eventId, Collectors.counting()));
    Set<String> duplicated =
        copies.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(duplicated)
        .as("duplicates only among the events in flight when the upstream went away")
        .hasSizeLessThanOrEqualTo(inFlight);
    await().atMost(Duration.ofSeconds(10)).until(() -> status().backlog() == 0);
    assertThat(status().reconnects()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void upstreamRejectingTheCredentials_isOneClearError_andTheGatewayStaysHealthy()
      throws Exception {
    String wrongPassword = "wrong-pw-0451";
    upstream = Mosquitto.start(dir.resolve("mosquitto"), List.of("floorgate:right-pw"));
    Logger floorgate = (Logger) LoggerFactory.getLogger("io.floorgate");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    floorgate.addAppender(logs);
    try {
      fixture =
          startGateway(
              bridgeYaml(
                  upstream.port(),
                  "username: floorgate\npassword: " + wrongPassword + "\n"));
      Scada scada = fixture.scada("scada", "alerts/#");

      // Several attempts (only the bridge connects to this broker), all refused.
      await()
          .atMost(Duration.ofSeconds(20))
          .failFast("connected with a wrong password", () -> status().connected())
          .until(
              () -> upstream.log().stream().filter(l -> l.contains("New connection from")).count()
                  >= 3);
      BridgeStatus s = status();
      assertThat(s.connected()).isFalse();
      assertThat(s.lastError())
          .startsWith("the upstream refused the connection: ")
          .contains("check bridge.username and the bridge's password");

      List<String> errors =
          logs.list.stream()
              .filter(e -> e.getLevel() == Level.ERROR)
              .map(ILoggingEvent::getFormattedMessage)
              .toList();
      assertThat(errors)
          .as("logged once, not at every attempt")
          .filteredOn(m -> m.contains("refused the connection"))
          .hasSize(1)
          .first()
          .asString()
          .contains("127.0.0.1:" + upstream.port())
          .contains("floorgate-test-gw");
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(m -> m.contains(wrongPassword));

      // Otherwise healthy: ready, alerts published locally, events journaled and waiting.
      publish(fixture.device("sensor"), "plant/l1/s1/temperature", "31");
      scada.await(r -> r.topic().equals("alerts/warning/threshold"));
      HttpResponse<String> health = get("/health", false);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"ready\":true").contains("\"connected\":false");
      await().atMost(Duration.ofSeconds(5)).until(() -> status().backlog() >= 1);
      Map<String, Double> metrics = scrape();
      assertThat(metrics)
          .containsEntry("floorgate_bridge_connected", 0.0)
          .containsEntry("floorgate_bridge_forwarded_total", 0.0)
          .containsEntry("floorgate_bridge_connections_total", 0.0);
      assertThat(metrics.get("floorgate_bridge_backlog_events")).isGreaterThanOrEqualTo(1.0);
    } finally {
      floorgate.detachAppender(logs);
    }
  }

  @Test
  void upstreamRefusingAnEvent_keepsItQueued_logsOnce_andForwardsItOnceAllowed() throws Exception {
    // The gateway's user may read its ack topic but not publish: Mosquitto answers each event
    // with PUBACK "not authorized" (MQTT 5).
    String denied = "user mes\ntopic readwrite #\n\nuser floorgate\ntopic read floorgate/test-gw/ack\n";
    String allowed = denied + "topic write floorgate/test-gw/#\n";
    upstream =
        Mosquitto.start(
            dir.resolve("mosquitto"), List.of("floorgate:bridge-pw", "mes:mes-pw"), denied);
    Logger floorgate = (Logger) LoggerFactory.getLogger("io.floorgate");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    floorgate.addAppender(logs);
    try {
      fixture =
          startGateway(
              bridgeYaml(upstream.port(), "username: floorgate\npassword: bridge-pw\n"));
      plant = PlantConsumer.connect("mes", upstream.port(), "floorgate/#", "mes", "mes-pw");
      Scada scada = fixture.scada("scada", "alerts/#");
      await().atMost(Duration.ofSeconds(20)).until(() -> status().connected());
      publish(fixture.device("sensor"), "plant/l1/s1/temperature", "28");
      String eventId =
          (String)
              scada.await(r -> r.topic().equals("alerts/warning/threshold")).json().get("event_id");

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(status().lastError())
                      .contains("did not take event " + eventId)
                      .contains("NOT_AUTHORIZED"));
      // Refused again and again (connect, send, refused), with growing delays: 200 ms doubling up
      // to 1 s here, so at least 3 more attempts in 3 s, and never skipped.
      long attempts = status().reconnects();
      await().atMost(Duration.ofSeconds(10)).until(() -> status().reconnects() >= attempts + 3);
      assertThat(status().backlog()).isEqualTo(1);
      assertThat(status().forwarded()).isZero();
      assertThat(plant.received()).noneMatch(r -> r.topic().contains("/alerts/"));
      assertThat(
              logs.list.stream()
                  .filter(e -> e.getLevel() == Level.ERROR)
                  .map(ILoggingEvent::getFormattedMessage)
                  .filter(m -> m.contains("did not take event")))
          .as("logged once, not at every attempt; upstream log: %s", upstream.log())
          .hasSize(1)
          .first()
          .asString()
          .contains("NOT_AUTHORIZED")
          .contains("floorgate/test-gw/alerts/warning/threshold");
      assertThat(get("/health", false).statusCode()).isEqualTo(200);

      upstream.reloadAcl(allowed);

      PlantConsumer.Received up = plant.await(r -> r.topic().contains("/alerts/"));
      assertThat(up.eventId()).isEqualTo(eventId);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(status().backlog()).isZero();
                assertThat(status().forwarded()).isEqualTo(1);
              });
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.contains("the upstream takes events again"));
    } finally {
      floorgate.detachAppender(logs);
    }
  }

  @Test
  void eventsOutsideTheConfiguredCategories_areNeverSent_andNotCountedAsBacklog() throws Exception {
    upstream = Mosquitto.start(dir.resolve("mosquitto"));
    fixture = startGateway(bridgeYaml(upstream.port(), "categories: [user]"));
    plant = PlantConsumer.connect("mes", upstream.port(), "floorgate/#", null, null);
    Scada scada = fixture.scada("scada", "alerts/#");
    await().atMost(Duration.ofSeconds(20)).until(() -> status().connected());

    publish(fixture.device("sensor"), "plant/l1/s1/temperature", "29");
    String breach =
        (String)
            scada.await(r -> r.topic().equals("alerts/warning/threshold")).json().get("event_id");
    // A local acknowledgement: its UserActionEvent (category user) is the one event to forward.
    publish(
        fixture.device("operator"),
        "alerts/ack",
        "{\"event_id\": \"" + breach + "\", \"user_id\": \"op-1\"}");
    Scada.Received action = scada.await(r -> r.topic().equals("alerts/info/user"));

    PlantConsumer.Received up = plant.await(r -> r.topic().contains("/alerts/"));
    assertThat(up.topic()).isEqualTo("floorgate/test-gw/alerts/info/user");
    assertThat(up.text()).isEqualTo(action.payload());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(status().forwarded()).isEqualTo(1);
              assertThat(status().backlog()).isZero();
            });
    assertThat(plant.received())
        .extracting(PlantConsumer.Received::eventId)
        .as("the threshold event stays local")
        .doesNotContain(breach);
  }

  @Test
  void upstreamSpeakingOnlyMqtt311_isReachedAfterFallingBackFromMqtt5() throws Exception {
    // Moquette 0.17 (another Floorgate's embedded broker) refuses MQTT 5.
    GatewayFixture plantBroker = startIn(dir.resolve("plant"), "");
    try {
      Scada plantSide = plantBroker.scada("mes", "floorgate/#");
      fixture = startGateway(bridgeYaml(plantBroker.port(), ""));
      await().atMost(Duration.ofSeconds(20)).until(() -> status().connected());
      assertThat(status().protocol()).isEqualTo("3.1.1");
      Scada scada = fixture.scada("scada", "alerts/#");

      publish(fixture.device("sensor"), "plant/l1/s1/temperature", "27");

      Scada.Received local = scada.await(r -> r.topic().equals("alerts/warning/threshold"));
      Scada.Received up =
          plantSide.await(r -> r.topic().equals("floorgate/test-gw/alerts/warning/threshold"));
      assertThat(up.payload()).isEqualTo(local.payload());
    } finally {
      plantBroker.close();
    }
  }

  private HttpResponse<String> get(String path, boolean authenticated) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.gateway.adminPort().getAsInt() + path))
            .timeout(Duration.ofSeconds(10))
            .GET();
    if (authenticated) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Set<String> journaledEventIds(Journal journal) {
    Set<String> ids = new HashSet<>();
    try (JournalReader reader = journal.reader()) {
      for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        if (e.get().record() instanceof JournalRecord.EventRecord event) {
          ids.add(event.eventId());
        }
      }
    }
    return ids;
  }

  static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
    return items.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
  }

  private static ThresholdEvent breach() {
    return ThresholdEvent.builder("Line temperature", 25.0, 26.5)
        .severity(EventSeverity.WARNING)
        .source("digital_twin")
        .details(Map.of("rule_id", "line-temp", "topic", "plant/l1/s1/temperature"))
        .build();
  }
}
