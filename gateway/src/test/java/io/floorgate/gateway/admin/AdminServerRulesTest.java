package io.floorgate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.events.EventSeverity;
import io.floorgate.gateway.alerts.AlarmBoard;
import io.floorgate.gateway.config.TopicTemplate;
import io.floorgate.gateway.ingest.Ingests;
import io.floorgate.gateway.reload.RuleReloader;
import io.floorgate.gateway.reload.RuleReloaders;
import io.floorgate.journal.RefusingDisk;
import io.floorgate.rules.Rule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code PUT /api/rules} tells the admin the truth while the journal refuses writes. */
class AdminServerRulesTest {
  private static final String T_RULE = RuleReloaders.T_RULE;
  private static final String T_AND_P_RULES = RuleReloaders.T_AND_P_RULES;

  @TempDir Path dir;

  private final RefusingDisk disk = new RefusingDisk();
  private final HttpClient http = HttpClient.newHttpClient();
  private Ingests.JournaledIngest gateway;
  private RuleReloader reloader;
  private AdminServer admin;
  private Path file;

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("rules.yaml");
    Files.writeString(file, T_RULE);
    gateway = Ingests.JournaledIngest.on(disk, dir.resolve("journal"));
    reloader = RuleReloaders.started(file, gateway, Duration.ofSeconds(30));
    AlarmBoard board =
        new AlarmBoard(
            TopicTemplate.parse("alarms/{rule_id}", Set.of("rule_id", "gateway_id")),
            "gw",
            1,
            (topic, payload, qos, retain) -> true,
            EventSeverity.WARNING);
    admin =
        new AdminServer(
            "127.0.0.1",
            0,
            (user, password) -> user.equals("admin") && Arrays.equals(password, "pw".toCharArray()),
            gateway.events,
            gateway.ingest,
            reloader,
            board,
            () -> Map.of("ready", true),
            Map::of,
            null,
            null,
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    disk.refuseWrites(false);
    admin.close();
    reloader.close();
    gateway.close();
  }

  @Test
  void aRuleFilePut_whileTheJournalRefusesWrites_is503AndChangesNothing() throws Exception {
    disk.refuseWrites(true);
    HttpResponse<String> refused = putRules(T_AND_P_RULES);

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body())
        .contains("the journal refuses writes, so nothing was changed (the rule file neither)")
        .contains("cannot append");
    assertThat(Files.readString(file)).isEqualTo(T_RULE);
    assertThat(gateway.ingest.rules().rules()).extracting(Rule::id).containsExactly("t");

    disk.refuseWrites(false);
    HttpResponse<String> applied = putRules(T_AND_P_RULES);
    assertThat(applied.statusCode()).isEqualTo(200);
    assertThat(applied.body()).contains("\"status\":\"applied\"");
    assertThat(gateway.ingest.rules().rules()).extracting(Rule::id).containsExactly("t", "p");
  }

  private HttpResponse<String> putRules(String text) throws Exception {
    String auth = Base64.getEncoder().encodeToString("admin:pw".getBytes(StandardCharsets.UTF_8));
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/api/rules"))
            .header("Authorization", "Basic " + auth)
            .PUT(HttpRequest.BodyPublishers.ofString(text))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
