package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An essential thread killed by an error its loop does not survive: the gateway, half-working
 * from then on, says so in its health and asks to be stopped ({@code floorgate run} exits, and
 * systemd restarts it).
 */
class EssentialThreadIT {
  @TempDir Path dir;

  /** Makes the next evaluated reading kill the ingest thread, as a bug would. */
  private static void killIngestWithTheNextReading(GatewayFixture fixture) {
    fixture.gateway.ingest().onReading(
        (topic, path, value, millis) -> {
          throw new AssertionError("a bug in a reading's observer");
        });
    Mqtt3BlockingClient device = fixture.device("line1");
    GatewayFixture.publish(device, "plant/line1/sensor1/temperature", "{\"value\": 20.0}");
  }

  @Test
  void theIngestThreadDying_makesTheGatewayUnready_andAsksForTheStopOnce() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(dir, GatewayFixture.LINE_TEMP_RULES)) {
      Gateway gateway = fixture.gateway;
      CountDownLatch stopAsked = new CountDownLatch(1);
      AtomicInteger stops = new AtomicInteger();
      gateway.onFatal(
          () -> {
            stops.incrementAndGet();
            stopAsked.countDown();
          });
      assertThat(gateway.health()).containsEntry("ready", true);
      assertThat(ingestHealth(gateway)).containsEntry("running", true);
      assertThat(gateway.health()).containsEntry("alerts", Map.of("running", true));

      killIngestWithTheNextReading(fixture);

      assertThat(stopAsked.await(10, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.ingest().alive());
      assertThat(gateway.health()).containsEntry("ready", false);
      assertThat(ingestHealth(gateway)).containsEntry("running", false);
      // Asked again, or by someone else: never a second time.
      gateway.onFatal(stops::incrementAndGet);
      assertThat(stops).hasValue(1);
    }
  }

  @Test
  void aStopAskedForAfterTheDeath_isAskedAtOnce() {
    try (GatewayFixture fixture = GatewayFixture.start(dir, GatewayFixture.LINE_TEMP_RULES)) {
      Gateway gateway = fixture.gateway;

      killIngestWithTheNextReading(fixture);
      await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.ingest().alive());

      AtomicInteger stops = new AtomicInteger();
      gateway.onFatal(stops::incrementAndGet);
      assertThat(stops).hasValue(1);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> ingestHealth(Gateway gateway) {
    return (Map<String, Object>) gateway.health().get("ingest");
  }
}
