package io.floorgate.gateway;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.floorgate.gateway.broker.security.PasswordFile;
import io.floorgate.gateway.broker.security.PasswordHash;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A gateway on port 0 with its journal, broker data and rules in a temporary directory, plus
 * real MQTT clients connected to it. Closes everything it opened.
 */
final class GatewayFixture implements AutoCloseable {
  final Path dir;
  final Gateway gateway;
  private final List<AutoCloseable> clients = new ArrayList<>();

  private GatewayFixture(Path dir, Gateway gateway) {
    this.dir = dir;
    this.gateway = gateway;
  }

  /** The configuration YAML a fixture uses: port 0, everything under {@code dir}. */
  static String config(Path dir, String extraYaml) {
    return config(dir, "", extraYaml);
  }

  /**
   * As {@link #config(Path, String)}, with {@code brokerYaml} lines added to the broker section.
   * Writes the admin password file it names ({@link #adminPasswordFile()}) if it is missing.
   */
  static String config(Path dir, String brokerYaml, String extraYaml) {
    Path passwords = dir.resolve("admin.passwd");
    try {
      if (!Files.exists(passwords)) {
        Files.writeString(passwords, adminPasswordFile(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return """
        gateway_id: test-gw
        broker:
          port: 0
          data_dir: %s
        %s
        rules:
          file: %s
        journal:
          dir: %s
        ingest:
          error_report_interval: 60s
        admin:
          port: 0
          password_file: %s
        """
            .formatted(
                dir.resolve("broker"),
                brokerYaml.indent(2).stripTrailing(),
                dir.resolve("rules.yaml"),
                dir.resolve("journal"),
                dir.resolve("admin.passwd"))
        + extraYaml;
  }

  static GatewayFixture start(Path dir, String rulesYaml) {
    return start(dir, rulesYaml, "");
  }

  /** Starts a gateway with {@code rulesYaml}; {@code extraYaml} adds top-level sections. */
  static GatewayFixture start(Path dir, String rulesYaml, String extraYaml) {
    return start(dir, rulesYaml, "", extraYaml);
  }

  /** As {@link #start(Path, String, String)}, with lines for the broker section. */
  static GatewayFixture start(Path dir, String rulesYaml, String brokerYaml, String extraYaml) {
    try {
      Files.writeString(dir.resolve("rules.yaml"), rulesYaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GatewayConfig config =
        ConfigLoader.parse(config(dir, brokerYaml, extraYaml), "test.yaml", Optional.empty())
            .orThrow();
    return new GatewayFixture(dir, Gateway.start(config));
  }

  /**
   * The rule most tests use: a warning when any line's temperature is above 25.0, clearing at or
   * below 24.5.
   */
  static final String LINE_TEMP_RULES =
      """
      rules:
        - id: line-temp
          name: Line temperature
          topic: plant/+/+/temperature
          comparison: greater_than
          value: 25.0
          deadband: 0.5
      """;

  /** The admin user every fixture has. */
  static final String ADMIN_USER = "admin";

  /** Its password. */
  static final String ADMIN_PASSWORD = "correct horse battery staple";

  /** A password file with {@link #ADMIN_USER} and the operator {@code op-7} (same password). */
  static String adminPasswordFile() {
    String text = "";
    for (String user : List.of(ADMIN_USER, "op-7")) {
      text =
          PasswordFile.withUser(
              text,
              user,
              PasswordHash.Pbkdf2.create(
                  ADMIN_PASSWORD.getBytes(StandardCharsets.UTF_8), 1000, new SecureRandom()));
    }
    return text;
  }

  int port() {
    return gateway.mqttPort();
  }

  /** A device: an MQTT 3.1.1 client (HiveMQ), connected. */
  Mqtt3BlockingClient device(String id) {
    Mqtt3BlockingClient client =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port())
            .buildBlocking();
    client.connect();
    clients.add(client::disconnect);
    return client;
  }

  /** A SCADA subscriber on {@code filter}, QoS 1, connected and subscribed. */
  Scada scada(String id, String filter) {
    Scada scada = Scada.connect(id, port(), filter);
    clients.add(scada);
    return scada;
  }

  static void publish(Mqtt3BlockingClient client, String topic, String payload) {
    client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .send();
  }

  @Override
  public void close() {
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception ignored) {
        // already disconnected
      }
    }
    gateway.close();
  }
}
