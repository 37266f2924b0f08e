package io.floorgate.gateway;

import static io.floorgate.gateway.GatewayFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.events.EventJson;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import io.floorgate.journal.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway as a process: signals, kill -9, restart. */
class GatewayProcessIT {
  private static final String RULES = GatewayFixture.LINE_TEMP_RULES;

  @TempDir Path dir;

  private Path writeConfig() throws Exception {
    Files.writeString(dir.resolve("rules.yaml"), RULES);
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, GatewayFixture.config(dir, ""));
    return config;
  }

  @Test
  void sigterm_stopsInOrderWithExit143_andTheJournalKeepsTheEvents() throws Exception {
    Path config = writeConfig();
    String eventId;
    try (GatewayProcess gateway = GatewayProcess.start(config);
        Scada scada = Scada.connect("scada", gateway.port(), "alerts/#")) {
      Mqtt3BlockingClient device = device("sensor", gateway.port());
      publish(device, "plant/l1/s1/temperature", "26.5");
      eventId = (String) scada.await(r -> r.topic().endsWith("/threshold")).json().get("event_id");
      device.disconnect();

      assertThat(gateway.terminate()).isEqualTo(143);
      assertThat(gateway.lines())
          // `run` trims the C heap, or says why it cannot (not glibc, no such JVM command)
          .anyMatch(
              l -> l.contains("returning the C heap's free memory to the OS when the JIT is quiet")
                  || l.contains("native heap trimming off"))
          .anyMatch(l -> l.contains("stopped broker"))
          .anyMatch(l -> l.contains("stopped journal"))
          .anyMatch(l -> l.contains("Floorgate stopped"));
      assertThat(gateway.lines().stream().filter(l -> l.contains(" ERROR ")).toList()).isEmpty();
    }
    try (GatewayProcess restarted = GatewayProcess.start(config)) {
      restarted.awaitLine("alarms restored=1");
      restarted.terminate();
    }
    assertThat(journaledEventIds()).contains(eventId);
  }

  @Test
  void sigtermDuringTheStart_waitsForIt_thenClosesCleanly() throws Exception {
    Path config = writeConfig();
    try (GatewayProcess gateway = GatewayProcess.launch(config, Map.of())) {
      // Logged once stop signals are held, just before the journal and the broker open.
      gateway.awaitLine("logging at");

      assertThat(gateway.terminate()).isEqualTo(143);
      assertThat(gateway.lines())
          .anyMatch(l -> l.contains("started in"))
          .anyMatch(l -> l.contains("Floorgate stopped"))
          .noneMatch(l -> l.contains("Shutdown in progress"));
    }
    // A clean close removes the marker, so the next start is not treated as a crash recovery.
    assertThat(dir.resolve("journal").resolve(Gateway.RUNNING_MARKER)).doesNotExist();
  }

  @Test
  void sighup_reloadsTheRuleFile() throws Exception {
    Files.writeString(dir.resolve("rules.yaml"), RULES);
    Path config = dir.resolve("gateway.yaml");
    // Not watching the file: only the signal may reload it.
    Files.writeString(
        config, GatewayFixture.config(dir, "").replace("rules:\n", "rules:\n  watch: false\n"));
    try (GatewayProcess gateway = GatewayProcess.start(config)) {
      Files.writeString(dir.resolve("rules.yaml"), RULES.replace("value: 25.0", "value: 30.0"));

      gateway.hangUp();

      gateway.awaitLine("applied (sighup by file)");
      assertThat(gateway.lines())
          .filteredOn(l -> l.contains("applied ("))
          .singleElement()
          .asString()
          .contains("changed [line-temp]");
      assertThat(gateway.terminate()).isEqualTo(143);
    }
  }

  @Test
  void killNine_thenRestart_everyJournaledEventReachesAPersistentScadaSession() throws Exception {
    Path config = writeConfig();
    Set<String> received = ConcurrentHashMap.newKeySet();
    // SCADA has a persistent session (QoS 1, clean session off), known to the broker from an
    // earlier run, and is offline: what is published meanwhile must wait for it.
    try (GatewayProcess first = GatewayProcess.start(config)) {
      persistentScada(first.port(), received).disconnect().join();
      assertThat(first.terminate()).isEqualTo(143);
    }
    int breaches = 300;
    try (GatewayProcess gateway = GatewayProcess.start(config)) {
      Mqtt3BlockingClient device = device("sensor", gateway.port());
      for (int i = 0; i < breaches; i++) {
        publish(device, "plant/l1/s" + i + "/temperature", "{\"value\": 30, \"seq\": " + i + "}");
      }
      // Killed while events are still being journaled and republished.
      assertThat(gateway.kill9()).isEqualTo(137);
    }
    Set<String> journaled = journaledEventIds();
    assertThat(journaled).isNotEmpty();

    try (GatewayProcess restarted = GatewayProcess.start(config)) {
      restarted.awaitLine("did not stop cleanly");
      Mqtt3AsyncClient scada = persistentScada(restarted.port(), received);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(received)
                      .as(
                          "%d journaled, %d received, missing %s",
                          journaled.size(),
                          received.size(),
                          journaled.stream().filter(id -> !received.contains(id)).count())
                      .containsAll(journaled));
      scada.disconnect().join();
      restarted.terminate();
    }
  }

  private static Mqtt3BlockingClient device(String id, int port) {
    Mqtt3BlockingClient client =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildBlocking();
    client.connect();
    return client;
  }

  private static Mqtt3AsyncClient persistentScada(int port, Set<String> received) {
    Mqtt3AsyncClient client =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier("scada-persistent")
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildAsync();
    // Registered before connecting: a resumed session's queued messages arrive right after the
    // CONNACK, before a subscription's own callback exists (the HiveMQ client drops those).
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        p -> received.add((String) EventJson.readObject(p.getPayloadAsBytes()).get("event_id")));
    client.connectWith().cleanSession(false).send().join();
    client.subscribeWith().topicFilter("alerts/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
    return client;
  }

  private Set<String> journaledEventIds() {
    Set<String> ids = new HashSet<>();
    try (Journal journal =
            Journal.open(
                new JournalOptions(
                    dir.resolve("journal"), SyncPolicy.NONE, Duration.ofSeconds(1), 0,
                    Clock.systemUTC()));
        JournalReader reader = journal.reader()) {
      for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        if (e.get().record() instanceof JournalRecord.EventRecord event) {
          ids.add(event.eventId());
        }
      }
    }
    return ids;
  }
}
