package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.events.EventCategory;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails, in any of the parts that start side by side (the rule file, the journal,
 * Moquette) or when the listener opens: it says what failed, and leaves nothing running that
 * would keep the JVM alive or hold the journal and the broker's store, so the next start works.
 */
class GatewayStartIT {
  @TempDir Path dir;

  @Test
  void aRuleFileWithProblems_failsTheStart_namingThem_andLeavesNothingRunning() throws IOException {
    Set<String> before = liveThreads();
    Files.writeString(
        dir.resolve("rules.yaml"),
        GatewayFixture.LINE_TEMP_RULES.replace("deadband: 0.5", "deadband: -1"),
        StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Gateway.start(config(GatewayFixture.config(dir, ""))))
        .isInstanceOf(GatewayStartException.class)
        .hasMessageContaining("line-temp")
        .hasMessageContaining("deadband");

    assertNothingLeftRunningBeyond(before);
    assertTheNextStartWorks();
  }

  @Test
  void aTakenPort_failsTheStart_namingTheAddress_andLeavesNothingRunning() throws IOException {
    Set<String> before = liveThreads();
    Files.writeString(
        dir.resolve("rules.yaml"), GatewayFixture.LINE_TEMP_RULES, StandardCharsets.UTF_8);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String yaml =
          GatewayFixture.config(dir, "")
              .replace("broker:\n  port: 0\n", "broker:\n  port: " + taken.getLocalPort() + "\n");
      assertThat(yaml).contains("port: " + taken.getLocalPort());

      assertThatThrownBy(() -> Gateway.start(config(yaml)))
          .isInstanceOf(GatewayStartException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
    }

    assertNothingLeftRunningBeyond(before);
    assertTheNextStartWorks();
  }

  private static GatewayConfig config(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", Optional.empty()).orThrow();
  }

  /** Non-daemon threads keep a JVM alive: none may be left behind (Moquette's included). */
  private static Set<String> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .map(t -> t.getName() + "#" + t.getId())
        .collect(Collectors.toSet());
  }

  private static void assertNothingLeftRunningBeyond(Set<String> before) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInSameThread()
        .untilAsserted(
            () ->
                assertThat(liveThreads())
                    .as("non-daemon threads left by the failed start")
                    .isSubsetOf(before));
  }

  private static int thresholdEvents(GatewayFixture fixture) {
    return fixture.gateway.events().getEvents(EventCategory.THRESHOLD, null, 0).size();
  }

  /** The journal and the broker's store are free again: a gateway starts on them and works. */
  private void assertTheNextStartWorks() throws IOException {
    try (GatewayFixture fixture = GatewayFixture.start(dir, GatewayFixture.LINE_TEMP_RULES)) {
      Mqtt3BlockingClient sensor = fixture.device("sensor");
      GatewayFixture.publish(sensor, "plant/l1/s1/temperature", "26");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> thresholdEvents(fixture) == 1);
    }
  }
}
