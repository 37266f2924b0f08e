package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.gateway.ingest.Rejection;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber that stops taking what is sent to it is disconnected after {@code
 * broker.slow_consumer_timeout}, so the broker does not queue its messages without a bound; one
 * that keeps reading is not.
 */
class SlowConsumerIT {
  private static final String NO_RULES = "rules: []\n";

  @TempDir Path dir;
  private GatewayFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aQos1SubscriberThatNeverAcknowledges_isDisconnected_andOneThatDoes_isNot() throws Exception {
    fixture = GatewayFixture.start(dir, NO_RULES, "slow_consumer_timeout: 1s\n", "");
    Scada reading = fixture.scada("reading", "flood/#");
    Mqtt3BlockingClient press = fixture.device("press");
    try (Socket stalled = subscribeAndStopReading("stalled", "flood/#", 1)) {
      for (int i = 0; i < 30; i++) {
        press.publishWith().topic("flood/a").qos(MqttQos.AT_LEAST_ONCE)
            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> total() == 1);
      assertThat(readUntilClosed(stalled)).as("the stalled connection was closed").isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> reading.on("flood/a").size() == 30);
    // The reading subscriber outlives several timeouts with messages coming and going.
    ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    try {
      publisher.scheduleAtFixedRate(
          () -> press.publishWith().topic("flood/a").qos(MqttQos.AT_LEAST_ONCE)
              .payload("more".getBytes(StandardCharsets.UTF_8)).send(),
          0, 50, TimeUnit.MILLISECONDS);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> total() == 1 && fixture.gateway.broker().openConnections() == 2);
    } finally {
      publisher.shutdownNow();
    }
    assertThat(reading.on("flood/a").size()).isGreaterThan(50);
  }

  @Test
  void aSubscriberWhoseConnectionStaysFull_isDisconnected() throws Exception {
    fixture = GatewayFixture.start(dir, NO_RULES, "slow_consumer_timeout: 1s\n", "");
    Scada reading = fixture.scada("reading", "flood/#");
    Mqtt3BlockingClient press = fixture.device("press");
    byte[] payload = new byte[32 * 1024];
    try (Socket stalled = subscribeAndStopReading("stalled", "flood/#", 0)) {
      // 12.8 MB at QoS 0 for the stalled client: more than the socket buffers between us hold.
      for (int i = 0; i < 400; i++) {
        press.publishWith().topic("flood/big").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> total() == 1);
      assertThat(readUntilClosed(stalled)).isTrue();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> reading.on("flood/big").size() == 400);
    assertThat(fixture.gateway.broker().openConnections()).isEqualTo(2);
  }

  @Test
  void aTimeoutOfZero_neverDisconnects() throws Exception {
    fixture = GatewayFixture.start(dir, NO_RULES, "slow_consumer_timeout: 0\n", "");
    Mqtt3BlockingClient press = fixture.device("press");
    try (Socket stalled = subscribeAndStopReading("stalled", "flood/#", 1)) {
      for (int i = 0; i < 30; i++) {
        press.publishWith().topic("flood/a").qos(MqttQos.AT_LEAST_ONCE)
            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
      }

      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .until(() -> fixture.gateway.broker().openConnections() == 2);
      assertThat(total()).isZero();
    }
  }

  private long total() {
    return fixture.gateway.ingest().rejections().total(Rejection.SLOW_CONSUMER);
  }

  /**
   * An MQTT 3.1.1 client on a raw socket with a small receive buffer: connects (clean session),
   * subscribes to {@code filter} at {@code qos}, and from then on reads nothing and acknowledges
   * nothing.
   */
  private Socket subscribeAndStopReading(String clientId, String filter, int qos)
      throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", fixture.port()), 5_000);
    socket.setSoTimeout(5_000);
    OutputStream out = socket.getOutputStream();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    out.write(MqttFuzzer.connect(clientId, null, null));
    byte[] connack = new byte[4];
    in.readFully(connack);
    assertThat(connack).containsExactly(0x20, 0x02, 0x00, 0x00);
    out.write(MqttFuzzer.subscribe(1, filter, qos));
    byte[] suback = new byte[5];
    in.readFully(suback);
    assertThat(suback).containsExactly(0x90, 0x03, 0x00, 0x01, qos);
    return socket;
  }

  /** Reads whatever was buffered; true when the server then closed the connection. */
  private static boolean readUntilClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[64 * 1024];
    try {
      while (true) {
        if (in.read(buffer) < 0) {
          return true;
        }
      }
    } catch (SocketException reset) {
      return true; // closed with data unread: a reset is a close too
    }
  }
}
