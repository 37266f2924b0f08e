package io.floorgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floorgate.events.EventCategory;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import io.floorgate.journal.SyncPolicy;
import io.floorgate.rules.tree.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway configuration: defaults, the shipped file, and whole-file validation. */
class ConfigLoaderTest {
  @TempDir Path dir;

  // --- defaults and the shipped file --------------------------------------------------------

  @Test
  void defaults_areWhatConfigGatewayYamlDocuments() {
    GatewayConfig config = ConfigLoader.defaults();

    assertThat(config.source()).isEmpty();
    assertThat(config.describeSource()).isEqualTo("embedded defaults");
    assertThat(config.gatewayId()).isEqualTo("floorgate");
    assertThat(config.broker())
        .isEqualTo(
            new BrokerConfig(
                "127.0.0.1",
                1883,
                65_536,
                Path.of("data/broker"),
                true,
                1000,
                128,
                1024,
                0.0,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Optional.empty()));
    assertThat(config.security()).isEqualTo(SecurityConfig.LOOPBACK_DEFAULTS);
    assertThat(config.rules())
        .isEqualTo(new RulesConfig(Path.of("config/rules.yaml"), List.of("twin/+/state"), true));
    assertThat(config.ingest())
        .isEqualTo(
            new IngestConfig(
                131_072,
                IngestConfig.DEFAULT_QUEUE_BYTES,
                List.of("twin/+/simulation"),
                List.of("twin/+/optimization"),
                Duration.ofSeconds(60),
                32,
                10_000));
    assertThat(config.journal())
        .isEqualTo(
            new JournalConfig(
                Path.of("data/journal"), 30, SyncPolicy.BATCH, Duration.ofSeconds(1)));
    assertThat(config.alerts())
        .isEqualTo(
            new AlertsConfig(
                "alerts/{severity}/{category}",
                1,
                "alerts/ack",
                "alarms/{rule_id}",
                Duration.ofSeconds(60)));
    assertThat(config.alertTopic().toString()).isEqualTo("alerts/{severity}/{category}");
    assertThat(config.alertTopic().placeholders()).containsExactly("severity", "category");
    assertThat(config.alarmTopic().toString()).isEqualTo("alarms/{rule_id}");
    assertThat(config.alarmTopic().placeholders()).containsExactly("rule_id");
    assertThat(config.eventNotification()).isEqualTo(EventNotificationConfig.DEFAULTS);
    assertThat(config.eventNotification())
        .isEqualTo(
            new EventNotificationConfig(true, 1000, EventSeverity.WARNING, true, true, true));
    assertThat(config.log())
        .isEqualTo(LogConfig.DEFAULTS)
        .isEqualTo(new LogConfig(LogConfig.Level.INFO, LogConfig.Format.TEXT));
    assertThat(config.bridge())
        .isEqualTo(BridgeConfig.disabled("floorgate"))
        .isEqualTo(
            new BridgeConfig(
                false,
                "",
                1883,
                Optional.empty(),
                Optional.empty(),
                new BridgeConfig.Password.None(),
                "floorgate-floorgate",
                BridgeConfig.MqttVersion.AUTO,
                TopicTemplate.parse(
                    "floorgate/{gateway_id}/alerts/{severity}/{category}", ALERT),
                Set.of(EventSeverity.values()),
                Set.of(EventCategory.values()),
                new BridgeConfig.Telemetry(
                    List.of(), "floorgate/{gateway_id}/telemetry/{topic}", 0),
                "floorgate/floorgate/ack",
                100,
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofHours(24)));
  }

  @Test
  void defaults_areEqualEachTime() {
    assertThat(ConfigLoader.defaults()).isEqualTo(ConfigLoader.defaults());
    assertThat(ConfigLoader.defaults().hashCode()).isEqualTo(ConfigLoader.defaults().hashCode());
  }

  @Test
  void shippedGatewayYaml_isExactlyTheDefaultsApartFromSource() {
    Path shipped = shippedGatewayYaml();

    ConfigLoader.Result result = ConfigLoader.load(shipped);

    assertThat(result.problems()).isEmpty();
    assertThat(result.ok()).isTrue();
    GatewayConfig loaded = result.orThrow();
    assertThat(loaded.source()).contains(shipped);
    assertThat(loaded.describeSource()).isEqualTo(shipped.toString());
    assertThat(withoutSource(loaded)).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void emptyFile_givesTheDefaults() throws IOException {
    Path file = write("gateway.yaml", "");

    GatewayConfig config = ConfigLoader.load(file).orThrow();

    assertThat(config.source()).contains(file);
    assertThat(withoutSource(config)).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void commentsOnlyAndEmptySections_giveTheDefaults() {
    ConfigLoader.Result result =
        parse("# nothing set here\nbroker:\nrules:\nEVENT_NOTIFICATION:\n");

    assertThat(result.problems()).isEmpty();
    assertThat(result.config()).contains(ConfigLoader.defaults());
  }

  // --- values read --------------------------------------------------------------------------

  @Test
  void everyEventNotificationSwitch_isRead() {
    GatewayConfig config =
        parse(
                """
                EVENT_NOTIFICATION:
                  persistence_enabled: false
                  max_events: 5
                  default_alert_severity: CRITICAL
                  publish_state_changes: false
                  publish_threshold_breaches: false
                  publish_simulation_results: false
                """)
            .orThrow();

    assertThat(config.eventNotification())
        .isEqualTo(
            new EventNotificationConfig(false, 5, EventSeverity.CRITICAL, false, false, false));
  }

  @Test
  void defaultAlertSeverity_isReadInAnyCase() {
    for (String text : List.of("critical", "CRITICAL", "Critical", "cRiTiCaL")) {
      GatewayConfig config =
          parse("EVENT_NOTIFICATION:\n  default_alert_severity: " + text + "\n").orThrow();

      assertThat(config.eventNotification().defaultAlertSeverity())
          .as(text)
          .isEqualTo(EventSeverity.CRITICAL);
    }
  }

  @Test
  void everySection_isRead() {
    GatewayConfig config =
        parse(
                """
                gateway_id: cell-7.a_b
                broker:
                  host: 0.0.0.0
                  port: 0
                  max_payload_bytes: 1024
                  data_dir: /var/lib/floorgate/broker
                  persistence: false
                  max_connections: 50
                  max_client_id_length: 23
                  max_topic_length: 200
                  max_messages_per_second: 2.5
                  connect_timeout: 3s
                  slow_consumer_timeout: 0
                security:
                  allow_anonymous: true
                rules:
                  file: /etc/floorgate/rules.yaml
                  state_topics:
                    - plant/+/state
                    - twin/#
                ingest:
                  queue_capacity: 10
                  queue_bytes: 2000000
                  simulation_topics: sim/+
                  optimization_topics: []
                  error_report_interval: 5m
                  max_json_depth: 4
                  max_json_tokens: 100
                journal:
                  dir: /var/lib/floorgate/journal
                  retention_days: 0
                  sync: ALWAYS
                  sync_interval: 250ms
                alerts:
                  topic: "{gateway_id}/alerts/{severity}/{category}/{source}"
                  qos: 2
                  ack_topic: scada/ack
                  alarm_topic: "{gateway_id}/alarms/{rule_id}"
                  replay_after_crash: 5m
                log:
                  level: DEBUG
                  format: Json
                """)
            .orThrow();

    assertThat(config.gatewayId()).isEqualTo("cell-7.a_b");
    assertThat(config.broker())
        .isEqualTo(
            new BrokerConfig(
                "0.0.0.0",
                0,
                1024,
                Path.of("/var/lib/floorgate/broker"),
                false,
                50,
                23,
                200,
                2.5,
                Duration.ofSeconds(3),
                Duration.ZERO,
                Optional.empty()));
    assertThat(config.security())
        .isEqualTo(
            new SecurityConfig(Optional.empty(), Optional.empty(), Optional.of(true), true, false));
    assertThat(config.rules())
        .isEqualTo(
            new RulesConfig(
                Path.of("/etc/floorgate/rules.yaml"), List.of("plant/+/state", "twin/#"), true));
    assertThat(config.ingest())
        .isEqualTo(
            new IngestConfig(
                10, 2_000_000, List.of("sim/+"), List.of(), Duration.ofMinutes(5), 4, 100));
    assertThat(config.journal())
        .isEqualTo(
            new JournalConfig(
                Path.of("/var/lib/floorgate/journal"),
                0,
                SyncPolicy.ALWAYS,
                Duration.ofMillis(250)));
    assertThat(config.alerts())
        .isEqualTo(
            new AlertsConfig(
                "{gateway_id}/alerts/{severity}/{category}/{source}",
                2,
                "scada/ack",
                "{gateway_id}/alarms/{rule_id}",
                Duration.ofMinutes(5)));
    assertThat(
            config
                .alertTopic()
                .render(
                    Map.of(
                        "gateway_id", "cell-7.a_b",
                        "severity", "critical",
                        "category", "threshold",
                        "source", "digital_twin")))
        .isEqualTo("cell-7.a_b/alerts/critical/threshold/digital_twin");
    assertThat(config.alarmTopic().render(Map.of("gateway_id", "g", "rule_id", "r1")))
        .isEqualTo("g/alarms/r1");
    assertThat(config.eventNotification()).isEqualTo(EventNotificationConfig.DEFAULTS);
    assertThat(config.log())
        .isEqualTo(new LogConfig(LogConfig.Level.DEBUG, LogConfig.Format.JSON));
  }

  @Test
  void everyLogLevelAndFormat_isReadInAnyCase() {
    for (LogConfig.Level level : LogConfig.Level.values()) {
      for (LogConfig.Format format : LogConfig.Format.values()) {
        String yaml =
            "log:\n  level: " + level.name() + "\n  format: " + format.value() + "\n";

        assertThat(parse(yaml).orThrow().log()).as(yaml).isEqualTo(new LogConfig(level, format));
      }
    }
  }

  @Test
  void badLogKeys_areEachReportedWithLocationAndTheAllowedValues() {
    ConfigLoader.Result result =
        parse(
            """
            log:
              level: verbose
              format: xml
              file: /var/log/floorgate.log
            """);

    assertThat(result.config()).isEmpty();
    assertThat(result.problems().stream().map(Problem::toString))
        .containsExactlyInAnyOrder(
            "c.yaml:2:10: log.level: level must be one of [error, warn, info, debug, trace],"
                + " but was 'verbose'",
            "c.yaml:3:11: log.format: format must be one of [text, json], but was 'xml'",
            "c.yaml:4:3: unknown key 'log.file'; allowed: format, level");
  }

  @Test
  void queueBytesTooSmallForTheLargestPayload_isAProblem() {
    String yaml = "broker:\n  max_payload_bytes: 4096\ningest:\n  queue_bytes: 4000\n";

    assertThat(parse(yaml).problems().stream().map(Problem::toString))
        .containsExactly(
            "c.yaml:4:16: ingest.queue_bytes must be at least broker.max_payload_bytes + 120"
                + " (4216), or the largest payload could never be evaluated, but was 4000");
    assertThat(parse(yaml.replace("4000", "4216")).problems()).isEmpty();
  }

  @Test
  void queueBytesUnset_growsWithALargerMaximumPayload() {
    GatewayConfig config = parse("broker:\n  max_payload_bytes: 33554432\n").orThrow();

    assertThat(config.ingest().queueBytes()).isEqualTo(33_554_432L + 120);
    assertThat(parse("").orThrow().ingest().queueBytes()).isEqualTo(IngestConfig.DEFAULT_QUEUE_BYTES);
  }

  @Test
  void logSectionThatIsNotAMapping_isAProblem() {
    assertThat(parse("log: debug\n").problems().stream().map(Problem::toString))
        .containsExactly("c.yaml:1:6: log must be a mapping, but was 'debug'");
  }

  @Test
  void systemdExampleConfig_isValid_andKeepsEveryPathInTheUnitsDirectories() {
    Path example = shippedGatewayYaml().resolveSibling("examples/floorgate-systemd.yaml");

    GatewayConfig config = ConfigLoader.load(example).orThrow();

    // The sandboxed service may write only below its StateDirectory and reads /etc/floorgate.
    assertThat(config.broker().dataDir()).isEqualTo(Path.of("/var/lib/floorgate/broker"));
    assertThat(config.journal().dir()).isEqualTo(Path.of("/var/lib/floorgate/journal"));
    assertThat(config.rules().file()).isEqualTo(Path.of("/etc/floorgate/rules.yaml"));
    assertThat(config.broker().host()).isEqualTo("127.0.0.1");
    assertThat(config.log()).isEqualTo(LogConfig.DEFAULTS);
  }

  // --- problems -----------------------------------------------------------------------------

  @Test
  void fileWithManyProblems_reportsEveryOneWithKeyAndLocation_andNoConfig() throws IOException {
    Path file =
        write(
            "bad.yaml",
            """
            gateway_id: edge1
            bogus: 1
            broker:
              host: 0.0.0.0
              port: abc
              colour: red
              port: 1884
            rules:
              state_topics: [twin/+/state, a/#/b]
            ingest:
              - queue_capacity: 5
            journal:
              sync: fsync
            alerts:
              topic: alerts/{foo}
              qos: 3
              ack_topic: alerts/+/ack
              alarm_topic: alarms/x
            EVENT_NOTIFICATION:
              max_events: 0
              default_alert_severity: fatal
            """);
    String f = file.toString();

    ConfigLoader.Result result = ConfigLoader.load(file);

    assertThat(result.ok()).isFalse();
    assertThat(result.config()).isEmpty();
    assertThat(result.problems().stream().map(Problem::toString))
        .containsExactlyInAnyOrder(
            f + ":7:3: duplicate key 'port' (first at line 5)",
            f
                + ":2:1: unknown key 'bogus'; allowed: EVENT_NOTIFICATION, admin, alerts, bridge,"
                + " broker, gateway_id, ingest, journal, log, rules, security",
            f
                + ":6:3: unknown key 'broker.colour'; allowed: connect_timeout, data_dir, host,"
                + " max_client_id_length, max_connections, max_messages_per_second,"
                + " max_payload_bytes, max_topic_length, persistence, port, slow_consumer_timeout,"
                + " tls",
            f
                + ":4:9: broker.host '0.0.0.0' is not a loopback address, so clients must log in"
                + " there: set security.password_file (see docs/security.md), or"
                + " security.allow_anonymous: true to let anyone in",
            f + ":5:9: broker.port must be an integer, but was 'abc'",
            f
                + ":9:32: rules.state_topics: '#' must be the whole last level of a topic filter,"
                + " but the filter is 'a/#/b'",
            f + ":11:3: ingest must be a mapping, but was a list",
            f + ":13:9: journal.sync: sync must be one of [none, batch, always], but was 'fsync'",
            f
                + ":15:10: alerts.topic: unknown placeholder {foo} in 'alerts/{foo}'; allowed:"
                + " {category}, {gateway_id}, {severity}, {source}",
            f + ":16:8: alerts.qos must be in [0, 2], but was 3",
            f
                + ":17:14: alerts.ack_topic: a topic name must not contain '+' or '#', but was"
                + " 'alerts/+/ack'",
            f + ":18:16: alerts.alarm_topic must contain {rule_id}, but was 'alarms/x'",
            f + ":20:15: EVENT_NOTIFICATION.max_events must be in [1, 10000000], but was 0",
            f
                + ":21:27: EVENT_NOTIFICATION.default_alert_severity: severity must be one of"
                + " [info, warning, error, critical], but was 'fatal'");
    assertThat(result.problems()).hasSize(14);
    assertThat(result.problems()).allSatisfy(p -> assertThat(p.location().file()).isEqualTo(f));
    assertThatThrownBy(result::orThrow).isInstanceOf(ConfigException.class);
  }

  @Test
  void moreWrongValues_areEachReported() {
    ConfigLoader.Result result =
        parse(
            """
            gateway_id: bad id
            broker:
              host: ""
              max_payload_bytes: 0
              data_dir: ''
              persistence: "yes"
            ingest:
              queue_capacity: 1.5
              error_report_interval: soon
              simulation_topics: [1, x/+]
            journal:
              retention_days: -1
              sync_interval: 0
            alerts:
              topic: 'alerts/{severity'
              alarm_topic: 'alarms/{severity}'
            EVENT_NOTIFICATION:
              persistence_enabled: "false"
              publish_state_changes: 1
            """);

    assertThat(result.config()).isEmpty();
    assertThat(result.problems().stream().map(Problem::toString))
        .containsExactlyInAnyOrder(
            "c.yaml:1:13: gateway_id must be 1 to 64 letters, digits, '_', '.' or '-', but was"
                + " 'bad id'",
            "c.yaml:3:9: broker.host must not be empty",
            "c.yaml:4:22: broker.max_payload_bytes must be in [1, 268435456], but was 0",
            "c.yaml:5:13: broker.data_dir must not be empty",
            "c.yaml:6:16: broker.persistence must be true or false, but was 'yes'",
            "c.yaml:8:19: ingest.queue_capacity must be an integer, but was 1.5",
            "c.yaml:9:26: ingest.error_report_interval must be a duration such as 500ms, 2s, 5m"
                + " or 1h (>= 0), but was 'soon'",
            "c.yaml:10:23: ingest.simulation_topics must hold strings, but has 1",
            "c.yaml:12:19: journal.retention_days must be in [0, 3650], but was -1",
            "c.yaml:13:18: journal.sync_interval must be > 0, but was 0",
            "c.yaml:15:10: alerts.topic: malformed placeholder in 'alerts/{severity'; placeholders"
                + " look like {severity}",
            "c.yaml:16:16: alerts.alarm_topic: unknown placeholder {severity} in"
                + " 'alarms/{severity}'; allowed: {gateway_id}, {rule_id}",
            "c.yaml:18:24: EVENT_NOTIFICATION.persistence_enabled must be true or false, but was"
                + " 'false'",
            "c.yaml:19:26: EVENT_NOTIFICATION.publish_state_changes must be true or false, but"
                + " was 1");
  }

  @Test
  void badFilterInABlockList_isReportedAtTheItem() {
    ConfigLoader.Result result =
        parse(
            """
            rules:
              state_topics:
                - twin/+/state
                - a/#/b
                - ''
            """);

    assertThat(result.problems().stream().map(Problem::toString))
        .containsExactly(
            "c.yaml:4:7: rules.state_topics: '#' must be the whole last level of a topic filter,"
                + " but the filter is 'a/#/b'",
            "c.yaml:5:7: rules.state_topics: a topic must not be empty");
  }

  @Test
  void sectionThatIsNotAMapping_isAProblem() {
    assertThat(parse("broker: 5\n").problems().stream().map(Problem::toString))
        .containsExactly("c.yaml:1:9: broker must be a mapping, but was 5");
  }

  @Test
  void documentThatIsNotAMapping_isAProblem() {
    assertThat(parse("hello\n").problems().stream().map(Problem::toString))
        .containsExactly(
            "c.yaml:1:1: the configuration must be a mapping of sections, but was 'hello'");
    assertThat(parse("- 1\n- 2\n").problems().stream().map(Problem::toString))
        .containsExactly(
            "c.yaml:1:1: the configuration must be a mapping of sections, but was a list");
  }

  @Test
  void missingFile_isOneProblemNamingThePath_neverADefault() {
    Path missing = dir.resolve("nowhere/gateway.yaml");

    ConfigLoader.Result result = ConfigLoader.load(missing);

    assertThat(result.config()).isEmpty();
    assertThat(result.problems()).hasSize(1);
    Problem problem = result.problems().get(0);
    assertThat(problem.location().file()).isEqualTo(missing.toString());
    assertThat(problem.toString())
        .startsWith(missing + ":1:1: cannot read the configuration file: NoSuchFileException")
        .contains(missing.toString());
    assertThatThrownBy(result::orThrow)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void directoryInsteadOfAFile_isAProblem() {
    ConfigLoader.Result result = ConfigLoader.load(dir);

    assertThat(result.config()).isEmpty();
    assertThat(result.problems()).hasSize(1);
    assertThat(result.problems().get(0).toString())
        .startsWith(dir + ":1:1: cannot read the configuration file");
  }

  @Test
  void invalidYaml_isAProblemWithItsLine() throws IOException {
    Path file = write("broken.yaml", "broker:\n  port: 1883\n  host: [127.0.0.1\n");

    ConfigLoader.Result result = ConfigLoader.load(file);

    assertThat(result.config()).isEmpty();
    assertThat(result.problems()).hasSize(1);
    Problem problem = result.problems().get(0);
    assertThat(problem.location().file()).isEqualTo(file.toString());
    assertThat(problem.location().line()).isGreaterThanOrEqualTo(3);
    assertThat(problem.message()).startsWith("not valid YAML");
  }

  @Test
  void mappingValueInAScalar_isAProblemAtItsLine() {
    ConfigLoader.Result result = parse("broker: b\n  port: 1883\n");

    assertThat(result.config()).isEmpty();
    assertThat(result.problems().stream().map(Problem::toString))
        .containsExactly("c.yaml:2:7: not valid YAML: mapping values are not allowed here");
  }

  @Test
  void configException_listsEveryProblemOnItsOwnLine() {
    ConfigLoader.Result result =
        parse("broker:\n  port: abc\nalerts:\n  qos: 3\nbogus: true\n");

    assertThat(result.problems()).hasSize(3);
    assertThatThrownBy(result::orThrow)
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems()).isEqualTo(result.problems());
              assertThat(e.getMessage().lines().toList())
                  .containsExactly(
                      "c.yaml has 3 problem(s):",
                      "  " + result.problems().get(0),
                      "  " + result.problems().get(1),
                      "  " + result.problems().get(2));
              assertThat(e.getMessage())
                  .contains("c.yaml:2:9: broker.port must be an integer, but was 'abc'")
                  .contains("c.yaml:4:8: alerts.qos must be in [0, 2], but was 3")
                  .contains("c.yaml:5:1: unknown key 'bogus'");
            });
  }

  // --- TopicTemplate ------------------------------------------------------------------------

  private static final Set<String> ALERT = ConfigLoader.ALERT_PLACEHOLDERS;

  @Test
  void topicTemplate_rendersValues() {
    TopicTemplate template = TopicTemplate.parse("alerts/{severity}/{category}", ALERT);

    assertThat(template.render(Map.of("severity", "critical", "category", "threshold")))
        .isEqualTo("alerts/critical/threshold");
    assertThat(template.placeholders()).containsExactly("severity", "category");
    assertThat(template.toString()).isEqualTo("alerts/{severity}/{category}");
  }

  @Test
  void topicTemplate_adjacentAndRepeatedPlaceholders() {
    TopicTemplate template =
        TopicTemplate.parse("{gateway_id}-{severity}{category}/{severity}", ALERT);

    assertThat(
            template.render(Map.of("gateway_id", "g", "severity", "info", "category", "system")))
        .isEqualTo("g-infosystem/info");
  }

  @Test
  void topicTemplate_missingValueRendersUnknown() {
    assertThat(TopicTemplate.parse("alerts/{source}", ALERT).render(Map.of()))
        .isEqualTo("alerts/unknown");
  }

  @Test
  void topicTemplate_unsafeCharactersInValuesBecomeUnderscores() {
    TopicTemplate template = TopicTemplate.parse("alerts/{source}/{category}", ALERT);

    assertThat(template.render(Map.of("source", "a/b+c#d", "category", "x\0y")))
        .isEqualTo("alerts/a_b_c_d/x_y");
    assertThat(template.render(Map.of("source", "#", "category", "+")))
        .isEqualTo("alerts/_/_");
  }

  @Test
  void topicTemplate_unknownPlaceholder_isRejectedWithTheAllowedList() {
    assertThatThrownBy(() -> TopicTemplate.parse("alerts/{foo}", ALERT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown placeholder {foo} in 'alerts/{foo}'; allowed: {category}, {gateway_id},"
                + " {severity}, {source}");
    assertThatThrownBy(
            () -> TopicTemplate.parse("alarms/{severity}", ConfigLoader.ALARM_PLACEHOLDERS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown placeholder {severity} in 'alarms/{severity}'; allowed: {gateway_id},"
                + " {rule_id}");
  }

  @Test
  void topicTemplate_malformedPlaceholder_isRejected() {
    for (String template :
        List.of("alerts/{severity", "alerts/severity}", "alerts/{}", "alerts/{Severity}", "{")) {
      assertThatThrownBy(() -> TopicTemplate.parse(template, ALERT))
          .as(template)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "malformed placeholder in '" + template + "'; placeholders look like {severity}");
    }
  }

  @Test
  void topicTemplate_producingWildcardsOrNothing_isRejected() {
    assertThatThrownBy(() -> TopicTemplate.parse("alerts/#", ALERT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'alerts/#' is not a valid topic: ")
        .hasMessageContaining("must not contain '+' or '#'");
    assertThatThrownBy(() -> TopicTemplate.parse("alerts/+/{severity}", ALERT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'alerts/+/{severity}' is not a valid topic: ");
    assertThatThrownBy(() -> TopicTemplate.parse("", ALERT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'' is not a valid topic: a topic must not be empty");
  }

  @Test
  void topicTemplate_equalWhenTheTextIs() {
    assertThat(TopicTemplate.parse("alerts/{severity}", ALERT))
        .isEqualTo(TopicTemplate.parse("alerts/{severity}", ALERT))
        .hasSameHashCodeAs(TopicTemplate.parse("alerts/{severity}", ALERT))
        .isNotEqualTo(TopicTemplate.parse("alerts/{category}", ALERT));
  }

  // --- helpers ------------------------------------------------------------------------------

  // --- security: fail closed ------------------------------------------------------------------

  private static final String HASH =
      "$7$101$LMUz9zqh3hB/vNSD$WWW2YWWK54oS7B4Ls9fWIQ0y2Wj4MEqPih7Dd2Q74T8aIdYqxztnJchZP0tDtHh5VJNc3gjKMe0QsFjKSGj28w==";

  private static List<String> problems(ConfigLoader.Result result) {
    return result.problems().stream().map(Problem::toString).toList();
  }

  @Test
  void listenerOffLoopback_withPasswordFileAndAcl_readsBoth_andRefusesAnonymous() throws IOException {
    Path passwd = write("passwd", "dev1:" + HASH + "\n");
    Path acl = write("acl", "user dev1\ntopic write plant/dev1/#\n");

    GatewayConfig config =
        parse("broker:\n  host: 0.0.0.0\nsecurity:\n  password_file: %s\n  acl_file: %s\n"
                .formatted(passwd, acl))
            .orThrow();

    assertThat(config.security().passwordFile().orElseThrow().users()).containsOnlyKeys("dev1");
    assertThat(config.security().acl().orElseThrow().hasUser("dev1")).isTrue();
    assertThat(config.security().allowAnonymous()).isEmpty();
    assertThat(config.security().plainAnonymous()).isFalse();
  }

  @Test
  void listenerOffLoopback_withoutAnyWayToLogIn_isAProblem_unlessAnonymousIsExplicit() {
    assertThat(problems(parse("broker:\n  host: 0.0.0.0\n")))
        .containsExactly(
            "c.yaml:2:9: broker.host '0.0.0.0' is not a loopback address, so clients must log in"
                + " there: set security.password_file (see docs/security.md), or"
                + " security.allow_anonymous: true to let anyone in");
    GatewayConfig open =
        parse("broker:\n  host: 0.0.0.0\nsecurity:\n  allow_anonymous: true\n").orThrow();
    assertThat(open.security().plainAnonymous()).isTrue();
    assertThat(open.security().allowAnonymous()).contains(true);
  }

  @Test
  void allowAnonymousFalse_withoutPasswordFile_isAProblem_evenOnLoopback() {
    assertThat(problems(parse("security:\n  allow_anonymous: false\n")))
        .containsExactly(
            "c.yaml:2:20: security.allow_anonymous is false, but security.password_file is not"
                + " set, so no client could log in on the plain listener");
  }

  @Test
  void loopbackNames_areLoopback() {
    for (String host : List.of("127.0.0.1", "127.0.1.1", "localhost", "::1")) {
      assertThat(parse("broker:\n  host: '" + host + "'\n").ok()).as(host).isTrue();
    }
  }

  @Test
  void missingPasswordAndAclFiles_areProblemsNamingTheFiles_neverAnAllowAll() {
    Path passwd = dir.resolve("missing/passwd");
    Path acl = dir.resolve("missing/acl");

    ConfigLoader.Result result =
        parse("security:\n  password_file: %s\n  acl_file: %s\n".formatted(passwd, acl));

    assertThat(result.config()).isEmpty();
    assertThat(problems(result))
        .satisfiesExactly(
            p -> assertThat(p).startsWith("c.yaml:2:18: security.password_file '" + passwd
                + "': cannot read the password file: NoSuchFileException"),
            p -> assertThat(p).startsWith("c.yaml:3:13: security.acl_file '" + acl
                + "': cannot read the ACL file: NoSuchFileException"));
  }

  @Test
  void problemsInsidePasswordAndAclFiles_areListedWithTheirOwnLines_besideTheConfigsOwn()
      throws IOException {
    Path passwd = write("passwd", "ok:" + HASH + "\nplain:secret\n");
    Path acl = write("acl", "user x\ntopic read a/#/b\n");

    ConfigLoader.Result result =
        parse("gateway_id: 'bad id'\nsecurity:\n  password_file: %s\n  acl_file: %s\n"
            .formatted(passwd, acl));

    assertThat(problems(result))
        .containsExactlyInAnyOrder(
            "c.yaml:1:13: gateway_id must be 1 to 64 letters, digits, '_', '.' or '-', but was"
                + " 'bad id'",
            passwd + ":2:7: user 'plain': the password is not hashed (plain text?); hash it with"
                + " mosquitto_passwd -U FILE or floorgate passwd FILE USER",
            acl + ":2:1: topic 'a/#/b': '#' must be the whole last level of a topic filter, but"
                + " the filter is 'a/#/b'");
    assertThat(result.problems().toString()).doesNotContain("secret");
  }

  @Test
  void tlsSection_isCheckedWhenEnabled_everyMissingPieceNamed() {
    assertThat(parse("broker:\n  tls:\n    enabled: false\n    port: 99999\n").ok())
        .as("a disabled TLS section is not validated beyond its keys")
        .isTrue();
    assertThat(problems(parse("broker:\n  tls:\n    enabled: true\n")))
        .containsExactly(
            "c.yaml:3:5: broker.tls is enabled, so it needs cert_file and key_file (PEM) or"
                + " keystore (PKCS#12)");
    assertThat(problems(parse(
            "broker:\n  tls:\n    enabled: true\n    cert_file: /nonexistent/server.crt\n"
                + "    key_file: /nonexistent/server.key\n")))
        .containsExactly(
            "c.yaml:4:16: broker.tls: cannot read the certificate file /nonexistent/server.crt:"
                + " no such file");
    assertThat(problems(parse(
            "broker:\n  tls:\n    enabled: true\n    keystore: /nonexistent/server.p12\n"
                + "    client_auth: required\n")))
        .containsExactly(
            "c.yaml:5:18: broker.tls.client_auth is required, so broker.tls.ca_file must name the"
                + " CA that signs client certificates");
    assertThat(problems(parse(
            "broker:\n  tls:\n    enabled: true\n    keystore: /x.p12\n    cert_file: /x.crt\n")))
        .containsExactly(
            "c.yaml:4:15: broker.tls: set either cert_file and key_file (PEM) or keystore"
                + " (PKCS#12), not both");
    assertThat(problems(parse("broker:\n  tls:\n    enabled: true\n    client_auth: sometimes\n"
            + "    keystore: /nonexistent.p12\n    colour: red\n")))
        .contains(
            "c.yaml:6:5: unknown key 'broker.tls.colour'; allowed: ca_file, cert_file, client_auth,"
                + " enabled, host, key_file, keystore, keystore_password, port",
            "c.yaml:4:18: broker.tls.client_auth: client_auth must be one of [none, optional,"
                + " required], but was 'sometimes'");
  }

  @Test
  void keystorePassword_isNeverPrinted() {
    TlsConfig tls =
        new TlsConfig("h", 1, Optional.empty(), Optional.empty(), Optional.of(Path.of("k.p12")),
            "hunter2", Optional.empty(), io.floorgate.gateway.broker.security.ClientAuth.NONE);

    assertThat(tls.toString()).doesNotContain("hunter2").contains("keystorePassword=***");
  }

  @Test
  void newLimits_areRangeChecked() {
    assertThat(problems(parse(
            "broker:\n  max_connections: 0\n  max_client_id_length: 70000\n"
                + "  max_topic_length: 0\n  max_messages_per_second: -1\n  connect_timeout: 0\n"
                + "ingest:\n  max_json_depth: 0\n  max_json_tokens: 0\n")))
        .containsExactlyInAnyOrder(
            "c.yaml:2:20: broker.max_connections must be in [1, 1000000], but was 0",
            "c.yaml:3:25: broker.max_client_id_length must be in [1, 65535], but was 70000",
            "c.yaml:4:21: broker.max_topic_length must be in [1, 65535], but was 0",
            "c.yaml:5:28: broker.max_messages_per_second must be >= 0 (0 = no limit), but was -1.0",
            "c.yaml:6:20: broker.connect_timeout must be > 0, but was 0",
            "c.yaml:8:19: ingest.max_json_depth must be in [1, 63], but was 0",
            "c.yaml:9:20: ingest.max_json_tokens must be in [1, 100000000], but was 0");
  }

  @Test
  void shippedExampleGatewayYaml_loads_withItsPasswordAndAclFiles() throws IOException {
    Path examples = shippedGatewayYaml().getParent().resolve("examples");
    String yaml =
        Files.readString(examples.resolve("gateway.yaml"))
            .replace("/etc/floorgate/passwd", examples.resolve("passwd").toString())
            .replace("/etc/floorgate/acl", examples.resolve("acl").toString());

    GatewayConfig config = ConfigLoader.parse(yaml, "examples/gateway.yaml", Optional.empty()).orThrow();

    assertThat(config.broker().host()).isEqualTo("0.0.0.0");
    assertThat(config.security().plainAnonymous()).isFalse();
    assertThat(config.security().passwordFile().orElseThrow().users())
        .containsOnlyKeys("admin", "scada", "press-7", "press-8");
    assertThat(config.security().acl().orElseThrow().userNames()).containsExactly("scada", "admin");
  }

  private static ConfigLoader.Result parse(String yaml) {
    return ConfigLoader.parse(yaml, "c.yaml", Optional.empty());
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** config/gateway.yaml, whether the tests run in the gateway module or at the top. */
  private static Path shippedGatewayYaml() {
    for (String candidate : List.of("../config/gateway.yaml", "config/gateway.yaml")) {
      Path path = Path.of(candidate);
      if (Files.isRegularFile(path)
          && Files.isDirectory(path.getParent().resolveSibling("gateway"))) {
        return path;
      }
    }
    throw new AssertionError(
        "config/gateway.yaml not found from " + Path.of("").toAbsolutePath());
  }

  private static GatewayConfig withoutSource(GatewayConfig c) {
    return new GatewayConfig(
        Optional.empty(),
        c.gatewayId(),
        c.broker(),
        c.security(),
        c.rules(),
        c.ingest(),
        c.journal(),
        c.alerts(),
        c.alertTopic(),
        c.alarmTopic(),
        c.eventNotification(),
        c.admin(),
        c.bridge(),
        c.log());
  }

  @Test
  void pathWithANulCharacter_isAProblemAtTheKey_notAnException() {
    ConfigLoader.Result result =
        ConfigLoader.parse(
            "broker: {data_dir: \"a\\0b\"}\nsecurity: {acl_file: \"x\\0y\"}\n",
            "gateway.yaml",
            Optional.empty());

    assertThat(result.ok()).isFalse();
    assertThat(result.problems())
        .extracting(p -> p.toString())
        .anySatisfy(p -> assertThat(p).contains("gateway.yaml:1:").contains("broker.data_dir is not a valid path"))
        .anySatisfy(p -> assertThat(p).contains("gateway.yaml:2:").contains("security.acl_file is not a valid path"));
  }
}
