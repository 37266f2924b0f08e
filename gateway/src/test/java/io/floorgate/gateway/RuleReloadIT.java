package io.floorgate.gateway;

import static io.floorgate.gateway.GatewayFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.events.EventJson;
import io.floorgate.gateway.reload.RuleReloader;
import io.floorgate.gateway.reload.RuleTreeCache;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule changes while the gateway runs: validation, atomic swap, alarm state, announcements. */
class RuleReloadIT {
  private static final String TWO_RULES =
      """
      rules:
        - id: line-temp
          name: Line temperature
          topic: plant/+/+/temperature
          comparison: greater_than
          value: 25.0
          deadband: 0.5
        - id: pressure
          topic: plant/+/+/pressure
          comparison: greater_than
          value: 5
      """;

  @TempDir Path dir;
  private GatewayFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private void writeRules(String text) throws Exception {
    Files.writeString(dir.resolve("rules.yaml"), text);
  }

  @Test
  void invalidFile_keepsTheRulesInForce_andReportsEveryProblemInOneErrorEvent() throws Exception {
    fixture = GatewayFixture.start(dir, TWO_RULES);
    Scada scada = fixture.scada("scada", "alerts/#");

    writeRules(
        """
        rules:
          - id: line-temp
            topic: plant/+/+/temperature
            comparison: hotter_than
            value: 30
          - id: pressure
            topic: plant/#/pressure
            comparison: greater_than
            deadband: -1
        """);

    Scada.Received error = scada.awaitMessage("alerts/error/error", "InvalidRules");
    assertThat(error.json().get("message").toString())
        .contains("the rules in force stay")
        .contains("rules.yaml:4:17: rule 'line-temp': comparison must be one of")
        .contains("rules.yaml:6:5: rule 'pressure': value (the threshold) is required")
        .contains("rules.yaml:7:12: rule 'pressure': topic is not a valid MQTT topic filter")
        .contains("rules.yaml:9:15: rule 'pressure': deadband must be >= 0, but was -1.0");
    @SuppressWarnings("unchecked")
    List<String> problems = (List<String>) error.details().get("problems");
    assertThat(problems).hasSize(4);

    publish(fixture.device("sensor"), "plant/l1/s1/temperature", "26");
    Scada.Received breach = scada.await(r -> r.topic().endsWith("/threshold"));
    assertThat(breach.details()).containsEntry("threshold", 25.0);
    assertThat(fixture.gateway.rules().rules()).hasSize(2);
  }

  @Test
  void ruleTree_isCachedAtStart_replacedByAnEdit_andARestartEvaluatesWithTheEditedRules()
      throws Exception {
    fixture = GatewayFixture.start(dir, TWO_RULES);
    RuleTreeCache cache =
        RuleTreeCache.at(
            dir.resolve("journal").resolve(Gateway.RULE_TREE_CACHE), BuildInfo.current().describe());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(cache.load(TWO_RULES, "rules.yaml"))
                    .map(RuleTreeCache.Cached::sha256)
                    .contains(RuleReloader.sha256(TWO_RULES)));
    Scada scada = fixture.scada("scada", "alerts/#");

    String edited = TWO_RULES.replace("value: 25.0", "value: 28.0");
    writeRules(edited);
    scada.awaitMessage("alerts/info/user", "rules_changed");
    assertThat(cache.load(edited, "rules.yaml"))
        .map(RuleTreeCache.Cached::sha256)
        .contains(RuleReloader.sha256(edited));
    assertThat(cache.load(TWO_RULES, "rules.yaml")).isEmpty();

    fixture.close();
    fixture = GatewayFixture.start(dir, edited);
    Scada after = fixture.scada("scada-2", "alerts/#");
    Mqtt3BlockingClient device = fixture.device("sensor");
    publish(device, "plant/l1/s1/temperature", "{\"value\": 27, \"seq\": 1}");
    publish(device, "plant/l1/s1/temperature", "{\"value\": 29, \"seq\": 2}");

    Scada.Received raised = after.await(r -> r.payload().contains("\"seq\":2"));
    assertThat(raised.details()).containsEntry("rule_id", "line-temp");
    assertThat(after.matching(r -> r.payload().contains("\"seq\":1"))).isEmpty();
  }

  @Test
  void validEdit_isAppliedAnnouncedAndJournaled() throws Exception {
    fixture = GatewayFixture.start(dir, TWO_RULES);
    Scada scada = fixture.scada("scada", "alerts/#");

    writeRules(
        TWO_RULES.replace("value: 25.0", "value: 28.0")
            + """
              - id: humidity
                topic: plant/+/+/humidity
                comparison: greater_than
                value: 80
            """);

    Scada.Received change = scada.awaitMessage("alerts/info/user", "rules_changed");
    assertThat(change.details()).containsEntry("user_id", "file");
    @SuppressWarnings("unchecked")
    Map<String, Object> what = (Map<String, Object>) change.details().get("action_details");
    assertThat(what)
        .containsEntry("added", List.of("humidity"))
        .containsEntry("removed", List.of())
        .containsEntry("changed", List.of("line-temp"))
        .containsEntry("trigger", "watch");

    Mqtt3BlockingClient device = fixture.device("sensor");
    publish(device, "plant/l1/s1/temperature", "{\"value\": 27, \"seq\": 1}");
    publish(device, "plant/l1/s1/humidity", "{\"value\": 85, \"seq\": 2}");
    Scada.Received humid = scada.await(r -> r.payload().contains("\"seq\":2"));
    assertThat(humid.details()).containsEntry("rule_id", "humidity");
    assertThat(scada.matching(r -> r.payload().contains("\"seq\":1"))).isEmpty();

    List<JournalRecord.RulesRecord> history = new ArrayList<>();
    try (JournalReader reader = fixture.gateway.journal().reader()) {
      for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        if (e.get().record() instanceof JournalRecord.RulesRecord rules) {
          history.add(rules);
        }
      }
    }
    assertThat(history).hasSize(2);
    assertThat(new String(history.get(1).text(), StandardCharsets.UTF_8)).contains("humidity");
    assertThat(history.get(1).who()).isEqualTo("file");
  }

  @Test
  void unrelatedEdit_keepsActiveAlarms_andRemovingARuleClearsItsAlarmWithAReason()
      throws Exception {
    fixture = GatewayFixture.start(dir, TWO_RULES);
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient device = fixture.device("sensor");
    publish(device, "plant/l1/s1/temperature", "26");
    publish(device, "plant/l1/s1/pressure", "6");
    scada.await(r -> r.payload().contains("line-temp") && r.topic().endsWith("/threshold"));
    scada.await(r -> r.payload().contains("\"rule_id\":\"pressure\""));

    // Only the pressure rule goes: the temperature alarm must not notice.
    writeRules(TWO_RULES.substring(0, TWO_RULES.indexOf("  - id: pressure")));
    Scada.Received cleared = scada.awaitMessage("alerts/info/threshold", "rule 'pressure' was removed");
    assertThat(cleared.details()).containsEntry("alarm_state", "normal");
    assertThat(scada.matching(r -> r.payload().contains("line-temp") && r.topic().equals("alerts/info/threshold")))
        .isEmpty();

    publish(device, "plant/l1/s1/temperature", "24");
    Scada.Received clear = scada.await(r -> r.payload().contains("returned to normal")
        && r.payload().contains("line-temp"));
    assertThat(clear.details()).containsEntry("actual_value", 24.0);
  }

  @Test
  void swapUnderLoad_noReadingIsLostOrEvaluatedAgainstAHalfAppliedSet() throws Exception {
    // Two rules that change together: a reading evaluated against a half-applied set would
    // show one verdict without the other.
    String v1 =
        """
        rules:
          - {id: a, topic: load/+, comparison: greater_than, value: 50, mode: every_sample}
          - {id: b, topic: load/+, comparison: greater_than, value: 50, mode: every_sample}
        """;
    String v2 = v1.replace("{id: a, topic: load/+, comparison: greater_than, value: 50", "{id: a, topic: load/+, comparison: greater_than, value: 150")
        .replace("{id: b, topic: load/+, comparison: greater_than, value: 50", "{id: b, topic: load/+, comparison: greater_than, value: 150");
    fixture =
        GatewayFixture.start(
            dir, v1, "EVENT_NOTIFICATION:\n  max_events: 200000\n");
    Mqtt3AsyncClient device =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier("load")
            .serverHost("127.0.0.1")
            .serverPort(fixture.port())
            .buildAsync();
    device.connect().join();

    int total = 15_000; // 3 s at 5,000 msg/s
    List<CompletableFuture<?>> sent = new ArrayList<>();
    long start = System.nanoTime();
    for (int seq = 0; seq < total; seq++) {
      if (seq == total / 2) {
        writeRules(v2);
      }
      sent.add(
          device
              .publishWith()
              .topic("load/s" + (seq % 10))
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(("{\"value\": 100, \"seq\": " + seq + "}").getBytes(StandardCharsets.UTF_8))
              .send());
      long due = start + seq * 200_000L; // one every 200 µs
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(sent.stream().filter(f -> !f.isDone()).count())
                    .as("publishes the broker has not acknowledged")
                    .isZero());
    device.disconnect().join();

    // No reading lost: every one reached both rules. Then: a and b breach before the swap and
    // not after, together.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> fixture.gateway.ingest().evaluations() == 2L * total);
    assertThat(fixture.gateway.ingest().received()).isEqualTo(total);
    assertThat(fixture.gateway.ingest().overruns()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Map<String, Set<Long>> verdicts = verdicts();
              Set<Long> a = verdicts.getOrDefault("a", Set.of());
              Set<Long> b = verdicts.getOrDefault("b", Set.of());
              assertThat(a).as("a and b are always evaluated against the same rules").isEqualTo(b);
              assertThat(a).as("the swap happened during the run").isNotEmpty().hasSizeLessThan(total);
              long switchAt = a.size();
              for (long seq = 0; seq < total; seq++) {
                assertThat(a.contains(seq))
                    .as("seq %d against v%d", seq, seq < switchAt ? 1 : 2)
                    .isEqualTo(seq < switchAt);
              }
            });
  }

  /** Which sequence numbers each rule's every_sample events named, from the journal. */
  private Map<String, Set<Long>> verdicts() {
    Map<String, Set<Long>> byRule = new HashMap<>();
    try (JournalReader reader = fixture.gateway.journal().reader()) {
      for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        if (e.get().record() instanceof JournalRecord.EventRecord event
            && event.category().equals("threshold")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> details =
              (Map<String, Object>) EventJson.readObject(event.json()).get("details");
          byRule
              .computeIfAbsent((String) details.get("rule_id"), k -> new HashSet<>())
              .add((Long) details.get("seq"));
        }
      }
    }
    return byRule;
  }
}
