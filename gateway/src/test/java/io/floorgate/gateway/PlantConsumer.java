package io.floorgate.gateway;

import org.awaitility.Awaitility;

import io.floorgate.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * The plant side: an Eclipse Paho MQTT 5 client subscribed upstream, as an MES or historian would
 * be, with a persistent session (QoS 1, clean start off) so that it misses nothing while the
 * upstream broker restarts.
 */
final class PlantConsumer implements AutoCloseable {
  /** One message received upstream. */
  record Received(
      String topic, byte[] payload, String contentType, Map<String, String> userProperties) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    String eventId() {
      return (String) EventJson.readObject(payload).get("event_id");
    }
  }

  private final MqttClient client;
  private final MqttConnectionOptions options;
  private final String filter;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private PlantConsumer(MqttClient client, MqttConnectionOptions options, String filter) {
    this.client = client;
    this.options = options;
    this.filter = filter;
  }

  static PlantConsumer connect(String id, int port, String filter, String user, String password)
      throws MqttException {
    MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(false);
    options.setSessionExpiryInterval(3600L);
    options.setAutomaticReconnect(false);
    if (user != null) {
      options.setUserName(user);
      options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    PlantConsumer consumer = new PlantConsumer(client, options, filter);
    client.setCallback(consumer.callback());
    client.connect(options);
    client.subscribe(filter, 1);
    return consumer;
  }

  private MqttCallback callback() {
    return new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse response) {}

      @Override
      public void mqttErrorOccurred(MqttException exception) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        MqttProperties properties = message.getProperties();
        Map<String, String> user = new LinkedHashMap<>();
        for (UserProperty p : properties.getUserProperties()) {
          user.put(p.getKey(), p.getValue());
        }
        received.add(
            new Received(topic, message.getPayload(), properties.getContentType(), user));
      }

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    };
  }

  /** After the upstream restarted: connects again, resuming the session it kept. */
  void reconnect() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(
            () -> {
              if (!client.isConnected()) {
                client.connect(options);
                client.subscribe(filter, 1);
              }
              return client.isConnected();
            });
  }

  /** Publishes (QoS 1), e.g. an acknowledgement. */
  void publish(String topic, String payload) throws MqttException {
    client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Waits (up to 20 s) for a message matching {@code predicate}. */
  Received await(Predicate<Received> predicate) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(predicate));
    return received.stream().filter(predicate).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close(true);
    } catch (MqttException ignored) {
      // the broker is gone already
    }
  }
}
