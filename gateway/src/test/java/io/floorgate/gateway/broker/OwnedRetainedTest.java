package io.floorgate.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.moquette.broker.IRetainedRepository;
import io.moquette.broker.RetainedMessage;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.persistence.H2RetainedRepository;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against Moquette's own H2 store, as the gateway runs it with persistence on. */
class OwnedRetainedTest {
  private static final Topic ALARM = new Topic("alarms/line-temp/plant/l1/s1/temperature");
  private static final Topic STATUS = new Topic("plant/l1/press-7/status");

  @TempDir Path dir;
  private MVStore mvStore;
  private IRetainedRepository store;

  @BeforeEach
  void openStore() {
    mvStore = new MVStore.Builder().fileName(dir.resolve("moquette_store.h2").toString()).open();
    store = new H2RetainedRepository(mvStore);
  }

  @AfterEach
  void closeStore() {
    mvStore.close();
  }

  @Test
  void whatTheGatewayRetains_staysOutOfTheStore_butReachesSubscribers() {
    OwnedRetained retained = new OwnedRetained(store);

    retained.asGateway(() -> retain(retained, ALARM, "active"));

    assertThat(store.isEmpty()).isTrue();
    assertThat(retained.isEmpty()).isFalse();
    assertThat(payloads(retained.retainedOnTopic("alarms/#"))).containsExactly("active");
    assertThat(retained.retainedOnTopic("plant/#")).isEmpty();
    assertThat(retained.inMemory()).isEqualTo(1);
  }

  @Test
  void whatAClientRetains_goesToTheStore() {
    OwnedRetained retained = new OwnedRetained(store);

    retain(retained, STATUS, "running");

    assertThat(payloads(store.retainedOnTopic("plant/#"))).containsExactly("running");
    assertThat(payloads(retained.retainedOnTopic("#"))).containsExactly("running");
    assertThat(retained.inMemory()).isZero();
  }

  @Test
  void theGatewaysRemoval_removesOnlyItsOwnMessage() {
    OwnedRetained retained = new OwnedRetained(store);
    retain(retained, STATUS, "running");
    retained.asGateway(() -> retain(retained, ALARM, "active"));

    retained.asGateway(() -> clean(retained, ALARM));

    assertThat(payloads(retained.retainedOnTopic("#"))).containsExactly("running");
  }

  @Test
  void theLatestRetainOnATopicWins_whoeverPublishedIt() {
    OwnedRetained retained = new OwnedRetained(store);

    retain(retained, ALARM, "from a client");
    retained.asGateway(() -> retain(retained, ALARM, "from the gateway"));
    assertThat(payloads(retained.retainedOnTopic("alarms/#"))).containsExactly("from the gateway");

    retain(retained, ALARM, "from a client again");
    assertThat(payloads(retained.retainedOnTopic("alarms/#")))
        .containsExactly("from a client again");
  }

  @Test
  void theGatewaysRemoval_alsoRemovesWhatTheStoreHeldOnThatTopicBeforeTheStart() {
    retain(store, ALARM, "left by an earlier version");
    OwnedRetained retained = new OwnedRetained(store);
    retained.asGateway(() -> retain(retained, ALARM, "active"));
    assertThat(payloads(retained.retainedOnTopic("alarms/#"))).containsExactly("active");

    retained.asGateway(() -> clean(retained, ALARM));

    assertThat(retained.retainedOnTopic("alarms/#")).isEmpty();
    assertThat(store.isEmpty()).isTrue();
  }

  @Test
  void aClientsRemoval_removesTheGatewaysMessageOnThatTopic() {
    OwnedRetained retained = new OwnedRetained(store);
    retained.asGateway(() -> retain(retained, ALARM, "active"));

    retained.cleanRetained(ALARM);

    assertThat(retained.retainedOnTopic("#")).isEmpty();
    assertThat(retained.isEmpty()).isTrue();
  }

  private static boolean retain(IRetainedRepository repository, Topic topic, String payload) {
    MqttPublishMessage message =
        MqttMessageBuilders.publish()
            .topicName(topic.toString())
            .retained(true)
            .qos(MqttQoS.AT_LEAST_ONCE)
            .payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
            .build();
    try {
      repository.retain(topic, message);
    } finally {
      message.release();
    }
    return true;
  }

  private static boolean clean(IRetainedRepository repository, Topic topic) {
    repository.cleanRetained(topic);
    return true;
  }

  private static List<String> payloads(List<RetainedMessage> messages) {
    return messages.stream()
        .map(m -> new String(m.getPayload(), StandardCharsets.UTF_8))
        .toList();
  }
}
