package io.floorgate.gateway;

import static io.floorgate.gateway.GatewayFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.SyncPolicy;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge in a gateway process that is killed with SIGKILL during an upstream outage. */
class BridgeProcessIT {
  @TempDir Path dir;

  @BeforeAll
  static void mosquittoIsInstalled() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Mosquitto.installed(),
        "skipped: these tests need Debian's mosquitto at /usr/sbin/mosquitto (.ci/run installs it)");
  }

  @Test
  void killNineDuringAnOutage_thenRestart_everyJournaledEventArrivesUpstream() throws Exception {
    int inFlight = 20;
    try (Mosquitto upstream = Mosquitto.start(dir.resolve("mosquitto"))) {
      Files.writeString(dir.resolve("rules.yaml"), BridgeIT.RULES);
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config,
          GatewayFixture.config(
              dir, BridgeIT.bridgeYaml(upstream.port(), "in_flight: " + inFlight)));
      PlantConsumer plant =
          PlantConsumer.connect("mes", upstream.port(), "floorgate/test-gw/alerts/#", null, null);
      try {
        try (GatewayProcess gateway = GatewayProcess.start(config)) {
          gateway.awaitLine("bridge connected to");
          Mqtt3BlockingClient device = device(gateway.port());
          for (int i = 0; i < 100; i++) {
            publish(device, "plant/l1/s1/temperature", "{\"value\": 30, \"seq\": " + i + "}");
          }
          await().atMost(Duration.ofSeconds(20)).until(() -> plant.received().size() >= 100);

          upstream.stop();
          gateway.awaitLine("the connection to the upstream was lost");
          for (int i = 100; i < 400; i++) {
            publish(device, "plant/l1/s1/temperature", "{\"value\": 30, \"seq\": " + i + "}");
          }
          // Until the last of them is journaled: its alert is published locally.
          Scada scada = Scada.connect("scada", gateway.port(), "alerts/#");
          publish(device, "plant/l1/s1/temperature", "{\"value\": 30, \"seq\": 400}");
          scada.await(r -> r.payload().contains("\"seq\":400"));
          scada.close();

          assertThat(gateway.kill9()).isEqualTo(137);
        }
        Set<String> journaled = journaledEventIds();
        assertThat(journaled).hasSizeGreaterThanOrEqualTo(401);

        upstream.start();
        plant.reconnect();
        try (GatewayProcess restarted = GatewayProcess.start(config)) {
          restarted.awaitLine("bridge connected to");
          await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(
                  () ->
                      assertThat(plant.received().stream().map(PlantConsumer.Received::eventId))
                          .as("every event journaled before the kill, upstream")
                          .containsAll(journaled));

          // The status, as an operator asks for it.
          Cli status = cli(restarted, "bridge", "status", "--user", "admin");
          assertThat(status.exitCode()).as(status.output()).isZero();
          assertThat(status.output())
              .contains("upstream:        127.0.0.1:" + upstream.port() + "  connected (MQTT 5)")
              .contains("backlog:         0 event(s)");
          Cli json = cli(restarted, "bridge", "status", "--user", "admin", "--json");
          assertThat(json.output()).contains("\"connected\":true");
          assertThat(cli(restarted, "bridge", "status", "--user", "nobody").exitCode()).isOne();

          upstream.stop();
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> cli(restarted, "bridge", "status", "--user", "admin").exitCode() == 3);
          restarted.terminate();
        }
        Map<String, Long> copies =
            plant.received().stream()
                .collect(
                    Collectors.groupingBy(PlantConsumer.Received::eventId, Collectors.counting()));
        assertThat(copies.values().stream().filter(n -> n > 1).count())
            .as("duplicates only among the events in flight when the upstream went away")
            .isLessThanOrEqualTo(inFlight);
      } finally {
        plant.close();
      }
    }
  }

  private record Cli(int exitCode, String output) {}

  /** {@code floorgate ARGS} in a child JVM, against the gateway's admin API. */
  private Cli cli(GatewayProcess gateway, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of("-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    String url =
        gateway.lines().stream()
            .filter(l -> l.contains("admin API on http://"))
            .reduce((first, last) -> last)
            .map(l -> l.substring(l.indexOf("http://")).replaceAll("/\\s*$", ""))
            .orElseThrow(() -> new IllegalStateException("no admin API line: " + gateway.lines()));
    command.addAll(List.of("--url", url));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("FLOORGATE_PASSWORD", GatewayFixture.ADMIN_PASSWORD);
    Process process = builder.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("floorgate " + String.join(" ", args) + " did not end");
    }
    return new Cli(process.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  private static Mqtt3BlockingClient device(int port) {
    Mqtt3BlockingClient client =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier("sensor")
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildBlocking();
    client.connect();
    return client;
  }

  private Set<String> journaledEventIds() {
    try (Journal journal =
        Journal.open(
            new JournalOptions(
                dir.resolve("journal"), SyncPolicy.NONE, Duration.ofSeconds(1), 0,
                Clock.systemUTC()))) {
      return BridgeIT.journaledEventIds(journal);
    }
  }
}
