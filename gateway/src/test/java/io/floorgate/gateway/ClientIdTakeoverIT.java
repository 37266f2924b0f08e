package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device that comes back with its client ID, through the front door. MQTT 3.1.1 (3.1.4-2): a
 * CONNECT with the ID of a connected client takes its session over and closes the old connection.
 */
class ClientIdTakeoverIT {

  @TempDir Path dir;

  @Test
  void aDeviceReconnectingWithItsClientId_isAcceptedEveryTime() {
    try (GatewayFixture fixture = GatewayFixture.start(dir, GatewayFixture.LINE_TEMP_RULES);
        Scada scada = Scada.connect("scada", fixture.port(), "alerts/#")) {
      for (int i = 1; i <= 50; i++) {
        Mqtt3BlockingClient device = device(fixture, "press-7");
        assertThat(device.connect().getReturnCode()).as("CONNACK of connect %d", i)
            .isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        reading(device, "{\"value\": " + (30 + i) + ".5}");
        reading(device, "{\"value\": 20}");
        device.disconnect();
      }
      // Every session could publish: one alert per breach, the last one with its own value.
      await().atMost(Duration.ofSeconds(10))
          .until(() -> scada.on("alerts/warning/threshold").size() == 50);
      assertThat(scada.on("alerts/warning/threshold").get(49).payload()).contains("80.5");
    }
  }

  @Test
  void aSecondClientWithTheSameId_takesTheSessionOver_andTheFirstIsDisconnected() {
    try (GatewayFixture fixture = GatewayFixture.start(dir, GatewayFixture.LINE_TEMP_RULES);
        Scada scada = Scada.connect("scada", fixture.port(), "alerts/#")) {
      AtomicInteger firstDisconnected = new AtomicInteger();
      Mqtt3BlockingClient first =
          MqttClient.builder()
              .useMqttVersion3()
              .identifier("press-7")
              .serverHost("127.0.0.1")
              .serverPort(fixture.port())
              .addDisconnectedListener(context -> firstDisconnected.incrementAndGet())
              .buildBlocking();
      first.connect();
      Mqtt3BlockingClient second = device(fixture, "press-7");

      assertThat(second.connect().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);

      await().atMost(Duration.ofSeconds(10)).until(() -> firstDisconnected.get() == 1);
      assertThat(first.getState().isConnected()).isFalse();
      reading(second, "{\"value\": 31.5}");
      assertThat(scada.await(r -> r.topic().equals("alerts/warning/threshold")).payload())
          .contains("31.5");
      assertThat(second.getState().isConnected()).isTrue();
      second.disconnect();
    }
  }

  private static Mqtt3BlockingClient device(GatewayFixture fixture, String clientId) {
    return MqttClient.builder()
        .useMqttVersion3()
        .identifier(clientId)
        .serverHost("127.0.0.1")
        .serverPort(fixture.port())
        .buildBlocking();
  }

  private static void reading(Mqtt3BlockingClient device, String json) {
    device.publishWith()
        .topic("plant/line1/press/temperature")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(json.getBytes(StandardCharsets.UTF_8))
        .send();
  }
}
