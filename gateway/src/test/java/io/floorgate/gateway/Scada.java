package io.floorgate.gateway;

import org.awaitility.Awaitility;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.floorgate.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** A SCADA stand-in: an MQTT 3.1.1 subscriber that records what it receives. */
final class Scada implements AutoCloseable {
  /** One message received. */
  record Received(String topic, String payload, boolean retained) {
    Map<String, Object> json() {
      return EventJson.readObject(payload.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> details() {
      return (Map<String, Object>) json().get("details");
    }
  }

  private final Mqtt3AsyncClient client;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private Scada(Mqtt3AsyncClient client) {
    this.client = client;
  }

  static Scada connect(String id, int port, String filter) {
    return connect(id, port, filter, null, null);
  }

  /** As {@link #connect(String, int, String)}, logging in as {@code user} when it is not null. */
  static Scada connect(
      String id, int port, String filter, @Nullable String user, @Nullable String password) {
    Mqtt3AsyncClient client =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildAsync();
    Scada scada = new Scada(client);
    if (user == null) {
      client.connect().join();
    } else {
      client
          .connectWith()
          .simpleAuth()
          .username(user)
          .password(password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth()
          .send()
          .join();
    }
    client
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(
            publish ->
                scada.received.add(
                    new Received(
                        publish.getTopic().toString(),
                        new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8),
                        publish.isRetain())))
        .send()
        .join();
    return scada;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<Received> on(String topic) {
    return received.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  List<Received> matching(Predicate<Received> predicate) {
    return received.stream().filter(predicate).toList();
  }

  /** Waits (up to 10 s) until a message matching {@code predicate} arrived, and returns it. */
  Received await(Predicate<Received> predicate) {
    List<Received> found = new ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              found.clear();
              found.addAll(matching(predicate));
              return !found.isEmpty();
            });
    return found.get(0);
  }

  /** Waits until a message on {@code topic} whose JSON message contains {@code text} arrived. */
  Received awaitMessage(String topic, String text) {
    return await(r -> r.topic().equals(topic) && r.payload().contains(text));
  }

  @Override
  public void close() {
    if (client.getState().isConnected()) {
      client.disconnect().join();
    }
  }
}
