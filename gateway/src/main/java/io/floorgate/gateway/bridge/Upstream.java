package io.floorgate.gateway.bridge;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3Connect;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HiveMQ client towards the upstream broker, in one protocol version, without automatic
 * reconnect: the bridge decides when to connect again. Every method may be called from any thread;
 * futures complete on the client's callback thread.
 */
abstract sealed class Upstream permits Upstream.V5, Upstream.V3 {
  private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

  /**
   * How many messages (acknowledgements: the bridge subscribes to nothing else) an MQTT 5
   * upstream may send before the gateway has handled and PUBACKed the first: those the gateway
   * has not taken up yet then wait in the upstream broker, not in the gateway's memory. Under MQTT
   * 3.1.1 the broker's own in-flight limit does this.
   */
  static final int RECEIVE_MAXIMUM = 20;

  /**
   * How to reach the upstream.
   *
   * @param password the password bytes, or null for none (never logged)
   * @param onLost called (on a client thread) with the cause when an established connection ends
   */
  record Settings(
      String host,
      int port,
      String clientId,
      Optional<MqttClientSslConfig> ssl,
      Optional<String> username,
      byte @Nullable [] password,
      int keepAliveSeconds,
      long connectTimeoutMillis,
      MqttClientExecutorConfig executors,
      Consumer<Throwable> onLost) {

    MqttClientTransportConfig transport() {
      MqttClientTransportConfigBuilder transport =
          MqttClientTransportConfig.builder()
              .serverHost(host)
              .serverPort(port)
              .socketConnectTimeout(connectTimeoutMillis, TimeUnit.MILLISECONDS)
              .mqttConnectTimeout(connectTimeoutMillis, TimeUnit.MILLISECONDS);
      ssl.ifPresent(transport::sslConfig);
      return transport.build();
    }

    @Override
    public String toString() {
      return "Settings[" + host + ":" + port + ", client " + clientId + "]";
    }
  }

  /** {@code "5"} or {@code "3.1.1"}. */
  abstract String protocol();

  /** Connects with a clean session; fails with the client's exception when refused or cut. */
  abstract CompletableFuture<Void> connect();

  /**
   * Publishes; completes when the upstream acknowledged (QoS 1) or the message was written (QoS
   * 0), exceptionally when it was refused or the connection ended first. MQTT 3.1.1 carries no
   * content type or user properties: they are dropped there.
   */
  abstract CompletableFuture<Void> publish(
      String topic,
      byte[] payload,
      int qos,
      @Nullable String contentType,
      List<Map.Entry<String, String>> userProperties);

  /**
   * Subscribes with QoS 1; {@code onMessage} gets each payload on {@code executor}, one at a time,
   * and the message is acknowledged to the upstream (PUBACK) once it returns, so that the
   * upstream holds what was not handled yet (its receive maximum bounds how much).
   */
  abstract CompletableFuture<Void> subscribe(
      String filter, Executor executor, Consumer<byte[]> onMessage);

  /** Disconnects; a client that is not connected is left as it is. */
  abstract CompletableFuture<Void> disconnect();

  /** Whether the client holds an established connection now. */
  abstract boolean isConnected();

  /** What both protocol versions share: identity, transport, threads, loss reporting. */
  private static MqttClientBuilder builder(Settings settings) {
    return MqttClient.builder()
        .identifier(settings.clientId())
        .transportConfig(settings.transport())
        .executorConfig(settings.executors())
        .addDisconnectedListener(context -> settings.onLost().accept(context.getCause()));
  }

  /**
   * Hands a message to {@code onMessage}, then acknowledges it. The client sends PUBACKs in the
   * order messages came, so one never acknowledged would hold back every later one, and a
   * callback that throws would end its subscription's delivery: nothing gets past this.
   */
  private static void handle(
      String filter, byte[] payload, Runnable acknowledge, Consumer<byte[]> onMessage) {
    try {
      onMessage.accept(payload);
    } catch (RuntimeException e) {
      LOG.error("bridge: handling a message on '{}' failed: {}", filter, e.toString(), e);
    } finally {
      acknowledge.run();
    }
  }

  private static <T> CompletableFuture<T> failed(Throwable error) {
    return CompletableFuture.failedFuture(error);
  }

  /** MQTT 5: content type, payload format and user properties on every publish. */
  static final class V5 extends Upstream {
    private final Settings settings;
    private final Mqtt5AsyncClient client;

    V5(Settings settings) {
      this.settings = settings;
      this.client = builder(settings).useMqttVersion5().buildAsync();
    }

    @Override
    String protocol() {
      return "5";
    }

    @Override
    CompletableFuture<Void> connect() {
      Mqtt5ConnectBuilder connect =
          Mqtt5Connect.builder()
              .cleanStart(true)
              .sessionExpiryInterval(0)
              .keepAlive(settings.keepAliveSeconds())
              .restrictions()
              .receiveMaximum(RECEIVE_MAXIMUM)
              .applyRestrictions();
      if (settings.username().isPresent()) {
        var auth = connect.simpleAuth().username(settings.username().get());
        if (settings.password() != null) {
          auth.password(settings.password());
        }
        auth.applySimpleAuth();
      }
      return client.connect(connect.build()).thenApply(ack -> null);
    }

    @Override
    CompletableFuture<Void> publish(
        String topic,
        byte[] payload,
        int qos,
        @Nullable String contentType,
        List<Map.Entry<String, String>> userProperties) {
      Mqtt5PublishBuilder.Complete publish =
          Mqtt5Publish.builder().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload);
      if (contentType != null) {
        publish.contentType(contentType).payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8);
      }
      if (!userProperties.isEmpty()) {
        Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
        for (Map.Entry<String, String> property : userProperties) {
          properties.add(property.getKey(), property.getValue());
        }
        publish.userProperties(properties.build());
      }
      return client
          .publish(publish.build())
          .thenCompose(
              result ->
                  result.getError().isPresent()
                      ? failed(result.getError().get())
                      : CompletableFuture.completedFuture(null));
    }

    @Override
    CompletableFuture<Void> subscribe(
        String filter, Executor executor, Consumer<byte[]> onMessage) {
      return client
          .subscribeWith()
          .topicFilter(filter)
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(
              publish ->
                  handle(filter, publish.getPayloadAsBytes(), publish::acknowledge, onMessage))
          .executor(executor)
          .manualAcknowledgement(true)
          .send()
          .thenCompose(
              ack -> {
                Mqtt5SubAckReasonCode code = ack.getReasonCodes().get(0);
                return code.isError()
                    ? failed(
                        new IllegalStateException(
                            "the upstream refused the subscription to '" + filter + "': " + code))
                    : CompletableFuture.completedFuture(null);
              });
    }

    @Override
    boolean isConnected() {
      return client.getState().isConnected();
    }

    @Override
    CompletableFuture<Void> disconnect() {
      if (!client.getState().isConnectedOrReconnect()) {
        return CompletableFuture.completedFuture(null);
      }
      return client.disconnect().exceptionally(e -> null);
    }
  }

  /** MQTT 3.1.1: the payload only. */
  static final class V3 extends Upstream {
    private final Settings settings;
    private final Mqtt3AsyncClient client;

    V3(Settings settings) {
      this.settings = settings;
      this.client = builder(settings).useMqttVersion3().buildAsync();
    }

    @Override
    String protocol() {
      return "3.1.1";
    }

    @Override
    CompletableFuture<Void> connect() {
      Mqtt3ConnectBuilder connect =
          Mqtt3Connect.builder().cleanSession(true).keepAlive(settings.keepAliveSeconds());
      if (settings.username().isPresent()) {
        var auth = connect.simpleAuth().username(settings.username().get());
        if (settings.password() != null) {
          auth.password(settings.password());
        }
        auth.applySimpleAuth();
      }
      return client.connect(connect.build()).thenApply(ack -> null);
    }

    @Override
    CompletableFuture<Void> publish(
        String topic,
        byte[] payload,
        int qos,
        @Nullable String contentType,
        List<Map.Entry<String, String>> userProperties) {
      Mqtt3Publish publish =
          Mqtt3Publish.builder().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).build();
      return client.publish(publish).thenApply(published -> null);
    }

    @Override
    CompletableFuture<Void> subscribe(
        String filter, Executor executor, Consumer<byte[]> onMessage) {
      return client
          .subscribeWith()
          .topicFilter(filter)
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(
              publish ->
                  handle(filter, publish.getPayloadAsBytes(), publish::acknowledge, onMessage))
          .executor(executor)
          .manualAcknowledgement(true)
          .send()
          .thenCompose(
              ack ->
                  ack.getReturnCodes().get(0) == Mqtt3SubAckReturnCode.FAILURE
                      ? failed(
                          new IllegalStateException(
                              "the upstream refused the subscription to '" + filter + "'"))
                      : CompletableFuture.completedFuture(null));
    }

    @Override
    boolean isConnected() {
      return client.getState().isConnected();
    }

    @Override
    CompletableFuture<Void> disconnect() {
      if (!client.getState().isConnectedOrReconnect()) {
        return CompletableFuture.completedFuture(null);
      }
      return client.disconnect().exceptionally(e -> null);
    }
  }
}
