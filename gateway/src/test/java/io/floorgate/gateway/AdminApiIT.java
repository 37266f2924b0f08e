package io.floorgate.gateway;

import static io.floorgate.gateway.GatewayFixture.ADMIN_PASSWORD;
import static io.floorgate.gateway.GatewayFixture.ADMIN_USER;
import static io.floorgate.gateway.GatewayFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.Event;
import io.floorgate.events.EventJson;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin HTTP API with a real HTTP client over a real socket. */
class AdminApiIT {
  private static final String RULES =
      """
      rules:
        - id: line-temp
          name: Line temperature
          topic: plant/+/+/temperature
          comparison: greater_than
          value: 25.0
          deadband: 0.5
        - id: oven
          topic: plant/oven/temperature
          comparison: greater_than
          value: 200
          latch: true
      """;

  @TempDir Path dir;
  private GatewayFixture fixture;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    fixture = GatewayFixture.start(dir, RULES);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private record Answer(int status, String body) {
    Map<String, Object> json() {
      return EventJson.readObject(body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private Answer call(String method, String path, String body, String user, String password)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.gateway.adminPort().getAsInt() + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  private Answer call(String method, String path, String body) throws Exception {
    return call(method, path, body, ADMIN_USER, ADMIN_PASSWORD);
  }

  private String breach(Scada scada) {
    publish(fixture.device("sensor"), "plant/l1/s1/temperature", "26.5");
    return (String)
        scada.await(r -> r.topic().equals("alerts/warning/threshold")).json().get("event_id");
  }

  @Test
  void withoutCredentials_everyApiCallIs401_butHealthAnswers() throws Exception {
    for (String[] call :
        List.of(
            new String[] {"GET", "/api/events"},
            new String[] {"POST", "/api/events/x/ack"},
            new String[] {"DELETE", "/api/events"},
            new String[] {"GET", "/api/alarms"},
            new String[] {"POST", "/api/alarms/line-temp/shelve"},
            new String[] {"GET", "/api/rules"},
            new String[] {"PUT", "/api/rules"})) {
      Answer anonymous = call(call[0], call[1], "", null, null);
      Answer wrong = call(call[0], call[1], "", ADMIN_USER, "guess");
      assertThat(anonymous.status()).as("%s %s anonymous", call[0], call[1]).isEqualTo(401);
      assertThat(wrong.status()).as("%s %s wrong password", call[0], call[1]).isEqualTo(401);
      assertThat(wrong.json()).containsEntry("error", "bad credentials");
    }
    Answer health = call("GET", "/health", "", null, null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json()).containsEntry("ready", true);
    assertThat(fixture.gateway.events().getEvents()).isEmpty();
  }

  @Test
  void events_areListedFilteredAcknowledgedAndCleared() throws Exception {
    Scada scada = fixture.scada("scada", "alerts/#");
    String eventId = breach(scada);

    Answer all = call("GET", "/api/events?category=threshold&severity=WARNING&limit=5", "");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body()).contains(eventId).contains("\"category\":\"threshold\"");
    Answer bad = call("GET", "/api/events?severity=fatal", "");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").toString()).contains("severity must be one of");
    assertThat(call("GET", "/api/events?limit=-1", "").json().get("error").toString())
        .isEqualTo("limit must be an integer in [0, 2147483647], but was '-1'");

    Answer ack = call("POST", "/api/events/" + eventId + "/ack", "", "op-7", ADMIN_PASSWORD);
    assertThat(ack.status()).isEqualTo(200);
    assertThat(fixture.gateway.events().getEvent(eventId)).get().extracting(Event::acknowledged).isEqualTo(true);
    Scada.Received action = scada.await(r -> r.topic().equals("alerts/info/user"));
    assertThat(action.details()).containsEntry("user_id", "op-7");
    assertThat(call("POST", "/api/events/nope/ack", "").status()).isEqualTo(404);

    Answer cleared = call("DELETE", "/api/events?older_than_days=0", "");
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(((Number) cleared.json().get("cleared")).intValue()).isGreaterThanOrEqualTo(2);
    assertThat(call("DELETE", "/api/events?older_than_days=x", "").status()).isEqualTo(400);
  }

  @Test
  void alarms_areListed_shelvedAndUnshelved_andLatchedOnesReset() throws Exception {
    Scada scada = fixture.scada("scada", "alerts/#");
    Scada alarms = fixture.scada("alarms", "alarms/#");
    breach(scada);
    Answer listed = call("GET", "/api/alarms", "");
    assertThat(listed.body()).contains("\"rule_id\":\"line-temp\"").contains("active_unacknowledged");

    assertThat(call("POST", "/api/alarms/line-temp/shelve", "{\"duration\": \"30m\"}").status())
        .isEqualTo(400);
    assertThat(call("POST", "/api/alarms/line-temp/shelve", "{\"duration\": \"9d\", \"reason\": \"x\"}").status())
        .isEqualTo(400);
    assertThat(call("POST", "/api/alarms/nope/shelve", "{}").status()).isEqualTo(404);
    Answer shelved =
        call("POST", "/api/alarms/line-temp/shelve",
            "{\"duration\": \"30m\", \"reason\": \"sensor being replaced\"}", "op-7", ADMIN_PASSWORD);
    assertThat(shelved.status()).isEqualTo(200);
    alarms.await(r -> r.payload().contains("\"state\":\"shelved\"")
        && r.payload().contains("sensor being replaced"));
    scada.await(r -> r.payload().contains("shelve_alarm") && r.payload().contains("op-7"));

    Answer unshelved = call("POST", "/api/alarms/line-temp/unshelve", "{}");
    assertThat(unshelved.status()).isEqualTo(200);
    // Still breaching: announced again, as a new unacknowledged alarm.
    scada.await(r -> r.topic().equals("alerts/warning/threshold")
        && r.payload().contains("unshelved by admin"));
    assertThat(call("POST", "/api/alarms/line-temp/unshelve", "{}").status()).isEqualTo(404);

    assertThat(call("POST", "/api/alarms/line-temp/reset", "{}").status()).isEqualTo(409);
    publish(fixture.device("oven"), "plant/oven/temperature", "250");
    publish(fixture.device("oven2"), "plant/oven/temperature", "150");
    alarms.await(r -> r.payload().contains("\"rule_id\":\"oven\"") && r.payload().contains("\"latched\":true"));
    Answer reset = call("POST", "/api/alarms/oven/reset", "{}");
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.body()).contains("returned_unacknowledged");
  }

  @Test
  void shelving_endsByItself_andAnAlarmStillActiveIsAnnouncedAgain() throws Exception {
    Scada scada = fixture.scada("scada", "alerts/#");
    breach(scada);

    assertThat(
            call("POST", "/api/alarms/line-temp/shelve",
                    "{\"duration\": \"1s\", \"reason\": \"calibration\"}")
                .status())
        .isEqualTo(200);

    Scada.Received again =
        scada.await(r -> r.topic().equals("alerts/warning/threshold")
            && r.payload().contains("shelving ended"));
    assertThat(again.details()).containsEntry("alarm_state", "active_unacknowledged");
  }

  @Test
  void escalationTiers_raiseAtEachTierAndLowerBack() throws Exception {
    Answer applied =
        call("PUT", "/api/rules",
            """
            rules:
              - id: oven-temp
                topic: plant/oven/temperature
                comparison: greater_than
                limits:
                  - {level: H, value: 200, severity: warning}
                  - {level: HH, value: 250, severity: critical, deadband: 5}
            """);
    assertThat(applied.status()).isEqualTo(200);
    Scada scada = fixture.scada("scada", "alerts/#");
    Scada alarms = fixture.scada("alarms", "alarms/#");
    var oven = fixture.device("oven");

    publish(oven, "plant/oven/temperature", "210");
    scada.await(r -> r.topic().equals("alerts/warning/threshold") && r.payload().contains("\"level\":\"H\""));
    publish(oven, "plant/oven/temperature", "260");
    Scada.Received hh = scada.await(r -> r.topic().equals("alerts/critical/threshold"));
    assertThat(hh.details())
        .containsEntry("level", "HH")
        .containsEntry("from_level", "H")
        .containsEntry("threshold", 250.0);
    alarms.await(r -> r.payload().contains("\"level\":\"HH\"") && r.payload().contains("\"severity\":\"critical\""));
    publish(oven, "plant/oven/temperature", "240");
    Scada.Received lowered = scada.awaitMessage("alerts/warning/threshold", "Threshold lowered");
    assertThat(lowered.details()).containsEntry("level", "H").containsEntry("from_level", "HH");
  }

  @Test
  void rules_areReadAndReplaced_andAnInvalidFileIs400WithEveryProblem() throws Exception {
    Answer rules = call("GET", "/api/rules", "");
    assertThat(rules.status()).isEqualTo(200);
    assertThat(rules.json()).containsEntry("text", RULES);
    String sha = (String) rules.json().get("sha256");

    Answer invalid =
        call("PUT", "/api/rules", "rules:\n  - id: x\n    topic: a/#/b\n    comparison: bigger\n");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("error")).isEqualTo("3 problem(s) in the rules; nothing was changed");
    @SuppressWarnings("unchecked")
    List<String> problems = (List<String>) invalid.json().get("problems");
    assertThat(problems)
        .anyMatch(p -> p.endsWith(":3:12: rule 'x': topic is not a valid MQTT topic filter: '#' must be the whole last level of a topic filter, but the filter is 'a/#/b'"))
        .anyMatch(p -> p.contains(":4:17: rule 'x': comparison must be one of"))
        .anyMatch(p -> p.contains(":2:5: rule 'x': value (the threshold) is required"));
    assertThat(Files.readString(dir.resolve("rules.yaml"))).isEqualTo(RULES);
    assertThat(fixture.gateway.reloader().appliedSha256()).isEqualTo(sha);

    String next = RULES.replace("value: 25.0", "value: 27.0");
    Answer applied = call("PUT", "/api/rules", next, "op-7", ADMIN_PASSWORD);
    assertThat(applied.status()).isEqualTo(200);
    assertThat(applied.json())
        .containsEntry("status", "applied")
        .containsEntry("changed", List.of("line-temp"));
    assertThat(Files.readString(dir.resolve("rules.yaml"))).isEqualTo(next);
    assertThat(fixture.gateway.rules().get("line-temp")).get()
        .extracting(r -> r.threshold()).isEqualTo(27.0);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> lastRulesRecordBy().equals(Optional.of("op-7")));
    assertThat(call("PUT", "/api/rules", next).json()).containsEntry("status", "unchanged");
  }

  @Test
  void aRuleFileWhoseProblemsQuoteAHugeValue_isStill400_andItsErrorEventIsJournaledWithThemCut()
      throws Exception {
    Scada scada = fixture.scada("scada", "alerts/#");
    // Each of this rule's four problems quotes its 900,000-character id: listed whole, three
    // times, the event would be larger than a journal record, and so could not be published.
    String id = "x".repeat(900_000);
    String text = "rules:\n  - id: " + id + "\n    topic: a/#/b\n    comparison: bigger\n";

    Answer invalid = call("PUT", "/api/rules", text);

    assertThat(invalid.status()).isEqualTo(400);
    // The answer lists each problem whole (its strings are too long for EventJson to read back).
    assertThat(invalid.body())
        .contains("4 problem(s) in the rules; nothing was changed")
        .contains("rule '" + id + "': topic is not a valid MQTT topic filter");
    Scada.Received error = scada.awaitMessage("alerts/error/error", "InvalidRules");
    @SuppressWarnings("unchecked")
    List<String> listed = (List<String>) error.details().get("problems");
    assertThat(listed)
        .hasSize(4)
        .allMatch(p -> p.length() < 1_100 && p.endsWith(" more characters)"))
        .allMatch(p -> p.contains(": rule '" + "x".repeat(900)));
    assertThat(error.details()).doesNotContainKey("problems_not_listed");
    assertThat(Files.readString(dir.resolve("rules.yaml"))).isEqualTo(RULES);
    assertThat(journaledErrorTypes()).contains("InvalidRules");
  }

  private List<Object> journaledErrorTypes() {
    List<Object> types = new java.util.ArrayList<>();
    try (JournalReader reader = fixture.gateway.journal().reader()) {
      for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        if (e.get().record() instanceof JournalRecord.EventRecord event
            && event.category().equals("error")) {
          Map<String, Object> json = EventJson.readObject(event.json());
          types.add(((Map<?, ?>) json.get("details")).get("error_type"));
        }
      }
    }
    return types;
  }

  private Optional<String> lastRulesRecordBy() {
    String who = null;
    try (JournalReader reader = fixture.gateway.journal().reader()) {
      for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        if (e.get().record() instanceof JournalRecord.RulesRecord rules) {
          who = rules.who();
        }
      }
    }
    return Optional.ofNullable(who);
  }
}
