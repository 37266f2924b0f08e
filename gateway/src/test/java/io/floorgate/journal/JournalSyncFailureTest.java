package io.floorgate.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.floorgate.events.Event;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A disk that refuses to force: with {@code sync: always} every event is still journaled and
 * delivered; with either policy the failures are counted and logged at most every 30 s. The disk
 * is the one part stood in ({@link RefusingDisk}).
 */
class JournalSyncFailureTest {
  @TempDir Path dir;

  private final RefusingDisk disk = new RefusingDisk();
  private final Logger journalLog = (Logger) LoggerFactory.getLogger(Journal.class);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    log.start();
    journalLog.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    journalLog.detachAppender(log);
  }

  /** The message of the one error logged so far; fails if there were none or several. */
  private String theOneErrorLogged() {
    List<ILoggingEvent> errors =
        log.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    assertThat(errors).hasSize(1);
    return errors.get(0).getFormattedMessage();
  }

  @Test
  void aRefusedForce_leavesEveryEventJournaledAndDelivered_countedAndLoggedOnce() {
    try (Journal journal = disk.open(JournalOptions.defaults(dir).withSync(SyncPolicy.ALWAYS))) {
      EventManager events = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
      List<String> delivered = new CopyOnWriteArrayList<>();
      events.subscribe(event -> delivered.add(event.message()));
      disk.refuseForces(true);

      // As the ingest thread announces a batch of alarm transitions: one after the other.
      for (String message : List.of("raise line1", "raise line2", "clear line1")) {
        assertThat(events.publish(Event.builder().message(message).build())).isTrue();
      }

      assertThat(delivered).containsExactly("raise line1", "raise line2", "clear line1");
      assertThat(JournalContents.records(journal)).hasSize(3);
      assertThat(journal.syncFailures()).isEqualTo(3);
      assertThat(theOneErrorLogged())
          .contains("journal " + dir, "did not confirm them", "1 failed force(s)")
          .contains("Input/output error");
    }
  }

  @Test
  void withBatchSync_aDiskThatKeepsRefusing_isCountedEachTime_andLoggedOnce() {
    JournalOptions batch =
        new JournalOptions(dir, SyncPolicy.BATCH, Duration.ofMillis(10), 0, Clock.systemUTC());
    try (Journal journal = disk.open(batch)) {
      EventManager events = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
      disk.refuseForces(true);
      try {
        events.publish(Event.builder().message("while the disk fails").build());

        // The background sync tries again every 10 ms, for the record is still not forced.
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.syncFailures() >= 5);
        assertThat(theOneErrorLogged())
            .contains("journal " + dir, "did not confirm them", "Input/output error");
      } finally {
        disk.refuseForces(false);
      }
    }
  }

  @Test
  void afterARefusedForce_theNextPublishForcesAgain() {
    try (Journal journal = disk.open(JournalOptions.defaults(dir).withSync(SyncPolicy.ALWAYS))) {
      EventManager events = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
      disk.refuseForces(true);
      events.publish(Event.builder().message("while the disk fails").build());
      disk.refuseForces(false);
      int before = disk.forced();

      events.publish(Event.builder().message("after").build());

      assertThat(disk.forced()).isGreaterThan(before);
      assertThat(journal.syncFailures()).isEqualTo(1);
    }
    try (Journal reopened = Journal.open(JournalOptions.defaults(dir))) {
      assertThat(JournalContents.records(reopened)).hasSize(2);
    }
  }
}
