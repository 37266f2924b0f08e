package io.floorgate.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import io.floorgate.gateway.config.BridgeConfig;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before journal retention could delete an event the upstream has not acknowledged, the bridge
 * warns with an error event. The upstream here is a socket of ours that accepts connections and
 * never answers, so nothing is ever acknowledged.
 */
class BridgeRetentionTest {
  @TempDir Path dir;
  private ServerSocket silent;
  private Journal journal;
  private EventManager events;

  @BeforeEach
  void open() throws Exception {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    journal = Journal.open(JournalOptions.defaults(dir.resolve("journal")).withRetentionDays(1));
    events = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
  }

  @AfterEach
  void close() throws Exception {
    events.close();
    journal.close();
    silent.close();
  }

  private BridgeConfig config() {
    return ConfigLoader.parse(
            """
            gateway_id: g1
            bridge:
              enabled: true
              host: 127.0.0.1
              port: %d
              connect_timeout: 1s
              retention_warning: 24h
            """
                .formatted(silent.getLocalPort()),
            "t.yaml",
            Optional.empty())
        .orThrow()
        .bridge();
  }

  private static final Bridge.Acknowledger NO_ACKS =
      (eventId, user) -> CompletableFuture.completedFuture(false);

  private void publishBreach() {
    events.publish(
        Event.builder()
            .category(EventCategory.THRESHOLD)
            .severity(EventSeverity.WARNING)
            .message("breach")
            .build());
  }

  @Test
  void retentionDeadline_isTheStartOfTheDayAfterRetentionDaysFullDays() {
    long index = events.publish(Event.builder().message("x").build()) ? journal.lastIndex() : -1;
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(journal.retentionDeadline(index))
        .contains(today.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant());
    try (Journal keepsEverything =
        Journal.open(JournalOptions.defaults(dir.resolve("other")).withRetentionDays(0))) {
      assertThat(keepsEverything.retentionDeadline(index)).isEmpty();
    }
  }

  @Test
  void backlogWithinRetentionWarningOfItsDeletion_publishesOneErrorEvent() {
    // A day later the unforwarded event is deleted at the start of tomorrow's tomorrow: < 24 h.
    Clock dayLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(1));
    try (Bridge bridge = Bridge.start(config(), "g1", journal, events, NO_ACKS, dayLater)) {
      publishBreach();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !events.getEvents(EventCategory.ERROR, null, 0).isEmpty());
      List<Event> warnings = events.getEvents(EventCategory.ERROR, null, 0);
      assertThat(warnings).hasSize(1);
      Event warning = warnings.get(0);
      assertThat(warning.severity()).isEqualTo(EventSeverity.ERROR);
      assertThat(warning.source()).isEqualTo(Bridge.SOURCE);
      Map<String, Object> details = warning.details();
      assertThat(details)
          .containsEntry("error_type", "BridgeBacklogAtRisk")
          .containsEntry("upstream", "127.0.0.1:" + silent.getLocalPort())
          .containsKey("oldest_event_id");
      assertThat((String) details.get("error_message"))
          .contains("not yet acknowledged by the upstream")
          .contains("deleted by journal retention (1 days)")
          .contains("raise journal.retention_days");
      await().atMost(Duration.ofSeconds(5)).until(() -> bridge.status().retentionAtRisk());
      BridgeStatus status = bridge.status();
      assertThat(status.connected()).isFalse();
      assertThat(status.backlog()).isGreaterThanOrEqualTo(1);
      assertThat(status.oldestUnsentAgeSeconds()).isGreaterThanOrEqualTo(86_000L);
    }
  }

  @Test
  void backlogFarFromItsDeletion_warnsNothing() {
    try (Bridge bridge =
        Bridge.start(config(), "g1", journal, events, NO_ACKS, Clock.systemUTC())) {
      publishBreach();
      await().atMost(Duration.ofSeconds(10)).until(() -> bridge.status().backlog() == 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> bridge.status().lastError() != null);
      assertThat(bridge.status().retentionAtRisk()).isFalse();
      assertThat(events.getEvents(EventCategory.ERROR, null, 0)).isEmpty();
      assertThat(Instant.now()).isBefore(journal.retentionDeadline(journal.lastIndex()).orElseThrow().minus(Duration.ofHours(24)));
    }
  }

  @Test
  void passwordFromAnUnsetEnvironmentVariable_stopsTheStartNamingTheVariable() {
    BridgeConfig withEnv =
        ConfigLoader.parse(
                """
                bridge:
                  enabled: true
                  host: 127.0.0.1
                  username: u
                  password_env: FLOORGATE_TEST_NOT_SET
                """,
                "t.yaml",
                Optional.empty())
            .orThrow()
            .bridge();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Bridge.start(
                    withEnv, "g1", journal, events, NO_ACKS, Clock.systemUTC(), name -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "bridge.password_env names FLOORGATE_TEST_NOT_SET, which is not set in the gateway's"
                + " environment");
  }

  @Test
  void unreadableTlsFile_stopsTheStartNamingKeyAndFile() {
    BridgeConfig withTls =
        ConfigLoader.parse(
                """
                bridge:
                  enabled: true
                  host: 127.0.0.1
                  tls:
                    enabled: true
                    ca_file: %s
                """
                    .formatted(dir.resolve("missing-ca.pem")),
                "t.yaml",
                Optional.empty())
            .orThrow()
            .bridge();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Bridge.start(withTls, "g1", journal, events, NO_ACKS, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "bridge.tls.ca_file "
                + dir.resolve("missing-ca.pem")
                + " cannot be read: NoSuchFileException");
  }
}
