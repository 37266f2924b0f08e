package io.floorgate.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.gateway.config.BrokerConfig;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.gateway.config.SecurityConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients publish reaches the sink on Moquette's own threads, complete and in order. */
class InlineInterceptionIT {
  private static final int PER_CLIENT = 100;

  @TempDir Path dir;

  private final Queue<InboundMessage> received = new ConcurrentLinkedQueue<>();
  private final Set<String> sinkThreads = ConcurrentHashMap.newKeySet();
  private Broker broker;

  private void start() {
    BrokerConfig config = ConfigLoader.defaults().broker().withPlainListener(0, dir.resolve("broker"));
    MessageSink sink =
        message -> {
          sinkThreads.add(Thread.currentThread().getName());
          received.add(message);
          return true;
        };
    broker =
        new Broker(config, SecurityConfig.LOOPBACK_DEFAULTS, sink, RefusalSink.NONE, Clock.systemUTC());
    broker.start();
  }

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void publishesOfTwoClients_reachTheSinkOnTheSessionLoops_eachClientsInOrder() throws Exception {
    start();
    List<MqttClient> clients = List.of(connect("device-a"), connect("device-b"));
    try {
      for (int seq = 0; seq < PER_CLIENT; seq++) {
        for (MqttClient client : clients) {
          // QoS 0 and 1 take different paths through Moquette's post office.
          client.publish(
              "plant/" + client.getClientId() + "/temperature",
              Integer.toString(seq).getBytes(StandardCharsets.US_ASCII),
              seq % 2,
              false);
        }
      }

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(received).hasSize(2 * PER_CLIENT));
      for (MqttClient client : clients) {
        List<Integer> sequence =
            received.stream()
                .filter(m -> m.clientId().equals(client.getClientId()))
                .map(m -> Integer.parseInt(new String(m.payload(), StandardCharsets.US_ASCII)))
                .collect(Collectors.toList());
        assertThat(sequence).as(client.getClientId()).isSorted().hasSize(PER_CLIENT).doesNotHaveDuplicates();
      }
      // Not on Moquette's interceptor pool, whose thread is "pool-N-thread-M".
      assertThat(sinkThreads).allSatisfy(name -> assertThat(name).startsWith("Session Executor "));
    } finally {
      for (MqttClient client : clients) {
        client.disconnect();
        client.close();
      }
    }
  }

  private MqttClient connect(String clientId) throws Exception {
    MqttClient client =
        new MqttClient("tcp://127.0.0.1:" + broker.port(), clientId, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setMaxInflight(1_000);
    client.connect(options);
    return client;
  }
}
