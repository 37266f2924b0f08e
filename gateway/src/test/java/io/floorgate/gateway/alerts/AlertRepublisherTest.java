package io.floorgate.gateway.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.EventTimestamps;
import io.floorgate.gateway.ManualClock;
import io.floorgate.gateway.broker.MessagePublisher;
import io.floorgate.gateway.config.TopicTemplate;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The republisher's report of each alert's delay, against a real journal. */
class AlertRepublisherTest {
  private static final TopicTemplate TOPICS =
      TopicTemplate.parse(
          "alerts/{severity}/{category}", Set.of("severity", "category", "source", "gateway_id"));

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock();
  private final List<String> topics = new CopyOnWriteArrayList<>();
  private final List<Long> delays = new CopyOnWriteArrayList<>();
  private Journal journal;
  private AlertRepublisher republisher;

  @BeforeEach
  void openJournal() {
    journal = Journal.open(JournalOptions.defaults(dir));
  }

  @AfterEach
  void close() {
    if (republisher != null) {
      republisher.close();
    }
    journal.close();
  }

  @Test
  void eachEventTheBrokerTakes_isReportedWithTheMicrosFromItsTimestamp() {
    start((topic, payload, qos, retain) -> topics.add(topic));

    journal.append(event("e-1", clock.instant().minusNanos(3_500_000)));
    journal.append(event("e-2", clock.instant()));

    await().atMost(Duration.ofSeconds(10)).until(() -> delays.size() == 2);
    assertThat(delays).containsExactly(3_500L, 0L);
    assertThat(topics).containsExactly("alerts/warning/threshold", "alerts/warning/threshold");
  }

  @Test
  void anEventTheBrokerRefusesAtFirst_isReportedOnce_withItsWholeWait() {
    AtomicInteger attempts = new AtomicInteger();
    start(
        (topic, payload, qos, retain) -> {
          // Each attempt finds the clock 100 ms on; the first two are refused (a full queue).
          clock.advance(Duration.ofMillis(100));
          return attempts.incrementAndGet() > 2;
        });

    journal.append(event("e-1", clock.instant()));

    await().atMost(Duration.ofSeconds(10)).until(() -> republisher.republished() == 1);
    assertThat(attempts).hasValue(3);
    assertThat(delays).containsExactly(300_000L);
  }

  @Test
  void aWallClockSteppedBackSinceTheEvent_reportsNoDelay_notANegativeOne() {
    start((topic, payload, qos, retain) -> true);

    journal.append(event("e-1", clock.instant().plusSeconds(2)));

    await().atMost(Duration.ofSeconds(10)).until(() -> delays.size() == 1);
    assertThat(delays).containsExactly(0L);
  }

  @Test
  void anEventPublishedAgainAfterACrash_isReportedWithItsWholeDelay_restartIncluded() {
    AlertRepublisher first =
        AlertRepublisher.create(
            journal, TOPICS, "gw", 1, (t, p, q, r) -> true, Duration.ZERO, clock);
    first.start();
    journal.append(event("e-1", clock.instant()));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.republished() == 1);
    first.close();

    clock.advance(Duration.ofSeconds(90)); // the crash and the restart
    republisher =
        AlertRepublisher.create(
            journal, TOPICS, "gw", 1, (t, p, q, r) -> true, Duration.ofMinutes(1), clock);
    republisher.onPublished(delays::add); // before start: the replay comes first
    republisher.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> delays.size() == 1);
    assertThat(delays).containsExactly(90_000_000L);
  }

  private void start(MessagePublisher broker) {
    republisher = AlertRepublisher.create(journal, TOPICS, "gw", 1, broker, Duration.ZERO, clock);
    republisher.onPublished(delays::add);
    republisher.start();
  }

  private static JournalRecord.EventRecord event(String id, Instant timestamp) {
    byte[] json =
        ("{\"event_id\":\"" + id + "\",\"severity\":\"warning\",\"category\":\"threshold\"}")
            .getBytes(StandardCharsets.UTF_8);
    return new JournalRecord.EventRecord(
        EventTimestamps.micros(timestamp), id, "threshold", "warning", json);
  }
}
