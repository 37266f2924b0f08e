package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.ThresholdEvent;
import io.floorgate.gateway.bridge.Bridge;
import io.floorgate.gateway.config.BridgeConfig;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledgements from the upstream (a real Mosquitto) are applied on a thread of their own: one
 * that waits to be taken up (the gateway's ingest queue full, its journal refusing writes) holds
 * up neither the forwarding of events nor the client's other callbacks. The acknowledger here
 * waits on a latch, as the gateway's does on a full queue, which a test cannot hold full.
 */
class BridgeUpstreamAcksIT {
  @TempDir Path dir;
  private Mosquitto upstream;
  private PlantConsumer plant;

  @BeforeAll
  static void mosquittoIsInstalled() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Mosquitto.installed(),
        "skipped: these tests need Debian's mosquitto at /usr/sbin/mosquitto (.ci/run installs it)");
  }

  @AfterEach
  void stop() {
    if (plant != null) {
      plant.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void anAcknowledgementWaitingToBeApplied_doesNotHoldUpTheForwardingOfEvents() throws Exception {
    upstream = Mosquitto.start(dir.resolve("mosquitto"));
    plant = PlantConsumer.connect("mes", upstream.port(), "floorgate/#", null, null);
    BridgeConfig config =
        ConfigLoader.parse(
                "gateway_id: test-gw\n" + BridgeIT.bridgeYaml(upstream.port(), ""),
                "gateway.yaml",
                Optional.empty())
            .orThrow()
            .bridge();
    CountDownLatch applying = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Bridge.Acknowledger waiting =
        (eventId, user) -> {
          applying.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return CompletableFuture.completedFuture(true);
        };

    try (Journal journal = Journal.open(JournalOptions.defaults(dir.resolve("journal")));
        EventManager events = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
        Bridge bridge =
            Bridge.start(config, "test-gw", journal, events, waiting, Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> bridge.status().connected());
      // The ack topic is subscribed to once connected: ack until the subscription has one.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                plant.publish(
                    "floorgate/test-gw/ack", "{\"event_id\": \"e-1\", \"user_id\": \"mes-op-3\"}");
                return applying.await(200, TimeUnit.MILLISECONDS);
              });

      try {
        events.publish(breach());
        await().atMost(Duration.ofSeconds(10)).until(() -> bridge.status().forwarded() == 1);
        assertThat(bridge.status().backlog()).isZero();
        plant.await(r -> r.topic().equals("floorgate/test-gw/alerts/warning/threshold"));
        assertThat(bridge.status().acksApplied()).as("still waiting").isZero();
      } finally {
        release.countDown();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> bridge.status().acksApplied() >= 1);
    }
  }

  private static ThresholdEvent breach() {
    return ThresholdEvent.builder("Line temperature", 25.0, 26.5)
        .severity(EventSeverity.WARNING)
        .source("digital_twin")
        .details(Map.of("rule_id", "line-temp", "topic", "plant/l1/s1/temperature"))
        .build();
  }
}
