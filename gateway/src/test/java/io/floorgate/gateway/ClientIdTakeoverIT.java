package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
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
        // Connects (a refused CONNACK throws), then publishes at QoS 1 (waits for the PUBACK).
        Mqtt3BlockingClient device = fixture.device("press-7");
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

      Mqtt3BlockingClient second = fixture.device("press-7");

      await().atMost(Duration.ofSeconds(10)).until(() -> firstDisconnected.get() == 1);
      assertThat(first.getState().isConnected()).isFalse();
      reading(second, "{\"value\": 31.5}");
      assertThat(scada.await(r -> r.topic().equals("alerts/warning/threshold")).payload())
          .contains("31.5");
      assertThat(second.getState().isConnected()).isTrue();
    }
  }

  private static void reading(Mqtt3BlockingClient device, String json) {
    GatewayFixture.publish(device, "plant/line1/press/temperature", json);
  }
}
