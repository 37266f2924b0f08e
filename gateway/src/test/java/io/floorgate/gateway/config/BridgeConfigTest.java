package io.floorgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floorgate.events.EventCategory;
import io.floorgate.events.EventSeverity;
import io.floorgate.rules.tree.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code bridge} section: every key, every problem, and no password in any text. */
class BridgeConfigTest {

  private static ConfigLoader.Result parse(String yaml) {
    return ConfigLoader.parse(yaml, "c.yaml", Optional.empty());
  }

  private static List<String> problems(String yaml) {
    return parse(yaml).problems().stream().map(Problem::toString).toList();
  }

  @Test
  void everyBridgeKey_isRead() {
    BridgeConfig bridge =
        parse(
                """
                gateway_id: cell-7
                bridge:
                  enabled: true
                  host: mqtt.plant.example
                  port: 18883
                  tls:
                    enabled: true
                    ca_file: /etc/floorgate/ca.pem
                    cert_file: /etc/floorgate/bridge.crt
                    key_file: /etc/floorgate/bridge.key
                  username: cell-7
                  password_env: UPSTREAM_PW
                  client_id: edge-{gateway_id}-a
                  mqtt_version: 5
                  topic: "plant/{gateway_id}/{severity}/{category}/{source}"
                  severities: [WARNING, critical]
                  categories: threshold
                  telemetry:
                    topics: [plant/+/temperature, twin/#]
                    topic: "up/{gateway_id}/t/{topic}/raw"
                    qos: 1
                  ack_topic: "acks/{gateway_id}"
                  in_flight: 1000
                  keep_alive: 30s
                  connect_timeout: 5s
                  reconnect_min_delay: 250ms
                  reconnect_max_delay: 5m
                  retention_warning: 48h
                """)
            .orThrow()
            .bridge();

    assertThat(bridge)
        .isEqualTo(
            new BridgeConfig(
                true,
                "mqtt.plant.example",
                18883,
                Optional.of(
                    new BridgeConfig.Tls(
                        Optional.of(Path.of("/etc/floorgate/ca.pem")),
                        Optional.of(Path.of("/etc/floorgate/bridge.crt")),
                        Optional.of(Path.of("/etc/floorgate/bridge.key")))),
                Optional.of("cell-7"),
                new BridgeConfig.Password.FromEnvironment("UPSTREAM_PW"),
                "edge-cell-7-a",
                BridgeConfig.MqttVersion.V5,
                TopicTemplate.parse(
                    "plant/{gateway_id}/{severity}/{category}/{source}",
                    BridgeConfig.TOPIC_PLACEHOLDERS),
                Set.of(EventSeverity.WARNING, EventSeverity.CRITICAL),
                Set.of(EventCategory.THRESHOLD),
                new BridgeConfig.Telemetry(
                    List.of("plant/+/temperature", "twin/#"), "up/{gateway_id}/t/{topic}/raw", 1),
                "acks/cell-7",
                1000,
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofMillis(250),
                Duration.ofMinutes(5),
                Duration.ofHours(48)));
    assertThat(bridge.upstream()).isEqualTo("mqtt.plant.example:18883");
    assertThat(bridge.forwards("critical", "threshold")).isTrue();
    assertThat(bridge.forwards("info", "threshold")).isFalse();
    assertThat(bridge.forwards("critical", "user")).isFalse();
  }

  @Test
  void tlsWithoutAPort_defaultsTo8883_andWithoutTlsTo1883() {
    assertThat(
            parse("bridge:\n  enabled: true\n  host: h\n  tls:\n    enabled: true\n")
                .orThrow()
                .bridge()
                .port())
        .isEqualTo(8883);
    assertThat(parse("bridge:\n  enabled: true\n  host: h\n").orThrow().bridge().port())
        .isEqualTo(1883);
  }

  @Test
  void inlineAndFilePasswords_areRead_andNoTextEverShowsAnInlinePassword() {
    GatewayConfig inline =
        parse("bridge:\n  enabled: true\n  host: h\n  username: u\n  password: s3cret-pw\n")
            .orThrow();
    assertThat(inline.bridge().password())
        .isEqualTo(new BridgeConfig.Password.Inline("s3cret-pw"));
    assertThat(inline.toString()).doesNotContain("s3cret-pw");
    assertThat(inline.bridge().toString()).doesNotContain("s3cret-pw").contains("Inline[****]");

    assertThat(
            parse("bridge:\n  username: u\n  password_file: /etc/floorgate/pw\n")
                .orThrow()
                .bridge()
                .password())
        .isEqualTo(new BridgeConfig.Password.FromFile(Path.of("/etc/floorgate/pw")));
  }

  @Test
  void emptyAckTopic_turnsUpstreamAcknowledgementsOff() {
    assertThat(parse("bridge:\n  ack_topic: ''\n").orThrow().bridge().ackTopic()).isEmpty();
  }

  @Test
  void enabledBridge_withoutHost_isAProblem() {
    assertThat(problems("bridge:\n  enabled: true\n"))
        .containsExactly("c.yaml:2:3: bridge.host is required when bridge.enabled is true");
  }

  @Test
  void invalidGatewayId_isOneProblem_notAnExceptionFromTheBridgeTopics() {
    // Found by ParserPropertiesTest: the default ack topic rendered with this id is no topic.
    assertThat(problems("gateway_id: c#ell-7\nbridge:\n  enabled: true\n  host: h\n"))
        .containsExactly(
            "c.yaml:1:13: gateway_id must be 1 to 64 letters, digits, '_', '.' or '-', but was"
                + " 'c#ell-7'");
  }

  @Test
  void enabledBridge_withoutTheJournal_isAProblem() {
    assertThat(
            problems(
                """
                bridge:
                  enabled: true
                  host: h
                EVENT_NOTIFICATION:
                  persistence_enabled: false
                """))
        .containsExactly(
            "c.yaml:2:12: bridge.enabled needs EVENT_NOTIFICATION.persistence_enabled: true (the"
                + " bridge forwards from the journal)");
  }

  @Test
  void everyBadBridgeValue_isReportedWithItsLocation() {
    assertThat(
            problems(
                """
                bridge:
                  enabled: yes please
                  port: 0
                  colour: red
                  tls:
                    ca_file: /ca.pem
                    cert_file: /c.pem
                    pem: x
                  password: a
                  password_file: /pw
                  client_id: "x-{rule_id}"
                  mqtt_version: 4
                  topic: "up/{rule_id}"
                  severities: [warning, fatal]
                  categories: []
                  telemetry:
                    topics: [a/#/b]
                    topic: up/{gateway_id}
                    qos: 2
                  ack_topic: acks/+
                  in_flight: 0
                  keep_alive: 100000s
                  connect_timeout: 0
                  reconnect_min_delay: 10s
                  reconnect_max_delay: 1s
                  retention_warning: soon
                """))
        .containsExactlyInAnyOrder(
            "c.yaml:2:12: bridge.enabled must be true or false, but was 'yes please'",
            "c.yaml:3:9: bridge.port must be in [1, 65535], but was 0",
            "c.yaml:4:3: unknown key 'bridge.colour'; allowed: ack_topic, categories, client_id,"
                + " connect_timeout, enabled, host, in_flight, keep_alive, mqtt_version, password,"
                + " password_env, password_file, port, reconnect_max_delay, reconnect_min_delay,"
                + " retention_warning, severities, telemetry, tls, topic, username",
            "c.yaml:8:5: unknown key 'bridge.tls.pem'; allowed: ca_file, cert_file, enabled,"
                + " key_file",
            "c.yaml:6:5: bridge.tls has files but bridge.tls.enabled is not true; set it to true"
                + " to use TLS",
            "c.yaml:7:16: bridge.tls.cert_file and bridge.tls.key_file go together, but only"
                + " cert_file was given",
            "c.yaml:10:18: bridge: give one of password, password_env and password_file, but"
                + " password and password_file were given",
            "c.yaml:9:13: bridge.password needs bridge.username",
            "c.yaml:11:14: bridge.client_id may hold only the placeholder {gateway_id}, but was"
                + " 'x-{rule_id}'",
            "c.yaml:12:17: bridge.mqtt_version: mqtt_version must be one of [auto, 5, 3.1.1], but"
                + " was '4'",
            "c.yaml:13:10: bridge.topic: unknown placeholder {rule_id} in 'up/{rule_id}'; allowed:"
                + " {category}, {gateway_id}, {severity}, {source}",
            "c.yaml:14:25: bridge.severities: severity must be one of [info, warning, error,"
                + " critical], but was 'fatal'",
            "c.yaml:15:15: bridge.categories must not be empty (disable the bridge instead)",
            "c.yaml:17:14: bridge.telemetry.topics: '#' must be the whole last level of a topic"
                + " filter, but the filter is 'a/#/b'",
            "c.yaml:18:12: bridge.telemetry.topic must contain {topic} once, but was"
                + " 'up/{gateway_id}'",
            "c.yaml:19:10: bridge.telemetry.qos must be in [0, 1], but was 2",
            "c.yaml:20:14: bridge.ack_topic: 'acks/+' is not a valid topic: a topic name must"
                + " not contain '+' or '#', but was 'acks/+'",
            "c.yaml:21:14: bridge.in_flight must be in [1, 65535], but was 0",
            "c.yaml:22:15: bridge.keep_alive must be at most 65535s, but was 100000s",
            "c.yaml:23:20: bridge.connect_timeout must be > 0, but was 0",
            "c.yaml:25:24: bridge.reconnect_max_delay must be >= bridge.reconnect_min_delay"
                + " (10000 ms), but was 1000 ms",
            "c.yaml:26:22: bridge.retention_warning must be a duration such as 500ms, 2s, 5m or"
                + " 1h (>= 0), but was 'soon'");
  }

  @Test
  void badPasswordEnvironmentVariableName_isAProblem() {
    assertThat(problems("bridge:\n  username: u\n  password_env: 'my var'\n"))
        .containsExactly(
            "c.yaml:3:17: bridge.password_env must name an environment variable, but was 'my"
                + " var'");
  }

  @Test
  void recordFactory_rejectsWhatTheLoaderRejects_namingFieldAndValue() {
    BridgeConfig ok = BridgeConfig.disabled("g");
    assertThatThrownBy(
            () ->
                new BridgeConfig(
                    true, " ", ok.port(), ok.tls(), ok.username(), ok.password(), ok.clientId(),
                    ok.mqttVersion(), ok.topic(), ok.severities(), ok.categories(),
                    ok.telemetry(), ok.ackTopic(), ok.inFlight(), ok.keepAlive(),
                    ok.connectTimeout(), ok.reconnectMinDelay(), ok.reconnectMaxDelay(),
                    ok.retentionWarning()))
        .hasMessage("bridge.host is required when the bridge is enabled");
    assertThatThrownBy(
            () ->
                new BridgeConfig(
                    false, "h", 70000, ok.tls(), ok.username(), ok.password(), ok.clientId(),
                    ok.mqttVersion(), ok.topic(), ok.severities(), ok.categories(),
                    ok.telemetry(), ok.ackTopic(), ok.inFlight(), ok.keepAlive(),
                    ok.connectTimeout(), ok.reconnectMinDelay(), ok.reconnectMaxDelay(),
                    ok.retentionWarning()))
        .hasMessage("bridge.port must be in [1, 65535], but was 70000");
    assertThatThrownBy(
            () -> new BridgeConfig.Tls(Optional.empty(), Optional.empty(), Optional.of(Path.of("k"))))
        .hasMessage(
            "bridge.tls.cert_file and bridge.tls.key_file go together, but only key_file was"
                + " given");
    assertThatThrownBy(() -> new BridgeConfig.Telemetry(List.of("a/#"), "up/x", 0))
        .hasMessage("bridge.telemetry.topic must contain {topic} once, but was 'up/x'");
    assertThatThrownBy(() -> BridgeConfig.MqttVersion.parse("v5"))
        .hasMessage("mqtt_version must be one of [auto, 5, 3.1.1], but was 'v5'");
  }

  /** A bridge section with every key, as the mutations below start from. */
  private static final String FULL_BRIDGE =
      """
      gateway_id: cell-7
      bridge:
        enabled: true
        host: mqtt.plant.example
        port: 8883
        tls:
          enabled: true
          ca_file: /etc/ca.pem
          cert_file: /etc/c.pem
          key_file: /etc/k.pem
        username: floorgate
        password_env: FLOORGATE_BRIDGE_PASSWORD
        client_id: floorgate-{gateway_id}
        mqtt_version: auto
        topic: floorgate/{gateway_id}/alerts/{severity}/{category}/{source}
        severities: [warning, error, critical]
        categories: [threshold, error]
        telemetry:
          topics: [plant/#, twin/+/state]
          topic: floorgate/{gateway_id}/telemetry/{topic}
          qos: 1
        ack_topic: floorgate/{gateway_id}/ack
        in_flight: 100
        keep_alive: 60s
        connect_timeout: 10s
        reconnect_min_delay: 1s
        reconnect_max_delay: 60s
        retention_warning: 24h
      """;

  @Test
  void mutatedBridgeSections_giveAConfigOrProblems_neverAnException() {
    // The same seeded mutations as ParserPropertiesTest, on a bridge section with every key.
    Random random = new Random(7);
    int ok = 0;
    for (int i = 0; i < 5_000; i++) {
      String yaml = i == 0 ? FULL_BRIDGE : ParserPropertiesTest.mutate(FULL_BRIDGE, random);
      ConfigLoader.Result result = ConfigLoader.parse(yaml, "c.yaml", Optional.empty());
      assertThat(result.config().isPresent()).as(yaml).isEqualTo(result.problems().isEmpty());
      result.problems().forEach(p -> assertThat(p.message()).as(yaml).isNotBlank());
      ok += result.ok() ? 1 : 0;
    }
    assertThat(ok).as("the original and some mutations are valid").isGreaterThan(10);
  }
}
