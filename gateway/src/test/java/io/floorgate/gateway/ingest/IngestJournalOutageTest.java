package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.journal.JournalContents;
import io.floorgate.journal.JournalRecord;
import io.floorgate.journal.JournalUnavailableException;
import io.floorgate.journal.RefusingDisk;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import io.floorgate.rules.eval.AlarmSnapshot;
import io.floorgate.rules.eval.AlarmState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ingest thread decided to publish reaches the journal even when the journal refuses
 * writes for a while (a full disk): the ingest thread holds it and tries again, as it does for
 * telemetry's alarm transitions.
 */
class IngestJournalOutageTest {
  @TempDir Path dir;

  private final RefusingDisk disk = new RefusingDisk();
  private Ingests.JournaledIngest gateway;

  @AfterEach
  void close() {
    disk.refuseWrites(false);
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aReloadThatRemovesAnAlarmsRule_whileTheJournalRefuses_journalsTheClearOnceItTakesWrites()
      throws Exception {
    startWithAnAlarm();
    Ingest ingest = gateway.ingest;

    disk.refuseWrites(true);
    CompletableFuture<Ingest.RuleChange> change = ingest.replaceRules(pressureRuleOnly());

    await().atMost(Duration.ofSeconds(10)).until(ingest::journalBlocked);
    assertThat(change).isNotDone();
    disk.refuseWrites(false);

    Ingest.RuleChange done = change.get(10, TimeUnit.SECONDS);
    assertThat(done.removed()).containsExactly("t");
    assertThat(done.alarmsDropped()).isEqualTo(1);
    assertThat(ingest.journalBlocked()).isFalse();
    assertThat(gateway.thresholdEvents())
        .extracting(Event::message)
        .last()
        .asString()
        .startsWith("Alarm cleared: ")
        .contains(Ingests.JournaledIngest.TOPIC, "rule 't' was removed");
    assertThat(JournalContents.records(gateway.journal))
        .filteredOn(JournalRecord.EventRecord.class::isInstance)
        .extracting(r -> ((JournalRecord.EventRecord) r).category())
        .containsExactly("threshold", "threshold");
  }

  @Test
  void anAcknowledgement_whoseUserActionTheJournalRefuses_isHeldAndCompletesOnceItTakesWrites()
      throws Exception {
    String raise = startWithAnAlarm();
    Ingest ingest = gateway.ingest;

    disk.refuseWritesAfter(1); // the acknowledgement's record, then the disk is full
    Ingest.Pending<Ingest.AckOutcome> ack = ingest.acknowledge(raise, "op-7", "http");

    await().atMost(Duration.ofSeconds(10)).until(ingest::journalBlocked);
    assertThat(ack).isNotDone();
    assertThat(ack.withdraw()).as("withdrawn after it began").isFalse();
    disk.refuseWrites(false);

    assertThat(ack.get(10, TimeUnit.SECONDS)).isEqualTo(Ingest.AckOutcome.ACKNOWLEDGED);
    assertThat(journaledRecords()).containsExactly("event threshold", "ack " + raise, "event user");
    assertThat(gateway.published)
        .filteredOn(e -> e.category() == EventCategory.USER)
        .singleElement()
        .satisfies(action -> assertThat(action.details()).containsEntry("user_id", "op-7"));
  }

  @Test
  void anAcknowledgementOnTheAckTopic_whoseRecordTheJournalRefuses_isHeldAndAppliedOnceItTakesWrites()
      throws Exception {
    String raise = startWithAnAlarm();
    Ingest ingest = gateway.ingest;

    disk.refuseWrites(true);
    gateway.send("alerts/ack", "{\"event_id\": \"" + raise + "\", \"user_id\": \"op-7\"}");
    await().atMost(Duration.ofSeconds(10)).until(ingest::journalBlocked);
    disk.refuseWrites(false);

    await().atMost(Duration.ofSeconds(10)).until(() -> journaledRecords().size() == 3);
    assertThat(journaledRecords()).containsExactly("event threshold", "ack " + raise, "event user");
    assertThat(ingest.rejections().total(Rejection.INTERNAL_ERROR)).isZero();
    assertThat(alarmState()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
  }

  @Test
  void anAcknowledgementFromTheUpstream_whoseRecordTheJournalRefuses_isHeldUntilItTakesWrites()
      throws Exception {
    String raise = startWithAnAlarm();
    Ingest ingest = gateway.ingest;

    disk.refuseWrites(true);
    CompletableFuture<Ingest.AckOutcome> ack = ingest.acknowledgeHeld(raise, "op-7", "bridge");
    await().atMost(Duration.ofSeconds(10)).until(ingest::journalBlocked);
    assertThat(ack).isNotDone();
    disk.refuseWrites(false);

    assertThat(ack.get(10, TimeUnit.SECONDS)).isEqualTo(Ingest.AckOutcome.ACKNOWLEDGED);
    assertThat(journaledRecords()).containsExactly("event threshold", "ack " + raise, "event user");
  }

  @Test
  void anAcknowledgementOverHttp_whoseRecordTheJournalRefuses_failsAtOnceAndChangesNothing()
      throws Exception {
    String raise = startWithAnAlarm();
    Ingest ingest = gateway.ingest;

    disk.refuseWrites(true);
    CompletableFuture<Ingest.AckOutcome> ack = ingest.acknowledge(raise, "op-7", "http");

    assertThat(ack)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(JournalUnavailableException.class)
        .withMessageContaining("cannot append");
    disk.refuseWrites(false);
    assertThat(journaledRecords()).containsExactly("event threshold");
    assertThat(alarmState()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(gateway.published).noneMatch(e -> e.category() == EventCategory.USER);
  }

  @Test
  void aCommandWithdrawnWhileTheIngestThreadIsHeld_neverRuns() throws Exception {
    String raise = startWithAnAlarm();
    Ingest ingest = gateway.ingest;

    disk.refuseWrites(true);
    gateway.send(Ingests.JournaledIngest.STATE_TOPIC, "{\"system_status\": \"running\"}");
    await().atMost(Duration.ofSeconds(10)).until(ingest::journalBlocked);
    Ingest.Pending<Ingest.AckOutcome> ack = ingest.acknowledge(raise, "op-7", "http");
    assertThat(ack.withdraw()).isTrue();
    disk.refuseWrites(false);

    ingest.alarms().get(10, TimeUnit.SECONDS); // queued after the ack: the thread is past it
    assertThat(ack).isCancelled();
    assertThat(journaledRecords()).containsExactly("event threshold", "event system");
    assertThat(alarmState()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void aTwinStateChange_whileTheJournalRefuses_isHeldAndPublishedOnce() {
    start();
    Ingest ingest = gateway.ingest;

    disk.refuseWrites(true);
    gateway.send(Ingests.JournaledIngest.STATE_TOPIC, "{\"system_status\": \"running\"}");
    await().atMost(Duration.ofSeconds(10)).until(ingest::journalBlocked);
    gateway.send(Ingests.JournaledIngest.STATE_TOPIC, "{\"system_status\": \"running\"}");
    gateway.send(Ingests.JournaledIngest.STATE_TOPIC, "{\"system_status\": \"stopped\"}");
    disk.refuseWrites(false);

    List<Event> changes =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> gateway.published.stream()
                    .filter(e -> e.category() == EventCategory.SYSTEM)
                    .toList(),
                events -> events.size() >= 2);
    assertThat(changes)
        .extracting(e -> e.details().get("previous_state") + " -> " + e.details().get("new_state"))
        .containsExactly("unknown -> running", "running -> stopped");
    assertThat(ingest.journalBlocked()).isFalse();
    assertThat(JournalContents.records(gateway.journal))
        .filteredOn(JournalRecord.EventRecord.class::isInstance)
        .extracting(r -> ((JournalRecord.EventRecord) r).category())
        .containsExactly("system", "system");
  }

  /** Starts as {@link #start} does and raises an alarm; returns the raising event's id. */
  private String startWithAnAlarm() {
    start();
    return gateway.raise().eventId();
  }

  /** Starts the gateway's ingest over a journal on the refusing disk. */
  private void start() {
    gateway = Ingests.JournaledIngest.on(disk, dir);
  }

  /** What the journal holds, rule sets left out, as {@link #describe} puts it. */
  private List<String> journaledRecords() {
    return JournalContents.records(gateway.journal).stream()
        .filter(r -> !(r instanceof JournalRecord.RulesRecord))
        .map(IngestJournalOutageTest::describe)
        .toList();
  }

  private AlarmState alarmState() throws Exception {
    return gateway.ingest.alarms().get(10, TimeUnit.SECONDS).stream()
        .map(AlarmSnapshot::state)
        .findFirst()
        .orElseThrow();
  }

  private static String describe(JournalRecord record) {
    if (record instanceof JournalRecord.EventRecord event) {
      return "event " + event.category();
    }
    if (record instanceof JournalRecord.AckRecord ack) {
      return "ack " + ack.eventId();
    }
    return record.getClass().getSimpleName();
  }

  private static RuleSet pressureRuleOnly() {
    return RuleFile.parse(
            "rules:\n  - {id: p, topic: plant/+/+/pressure, comparison: greater_than, value: 5}\n",
            "rules.yaml",
            List.of())
        .rules()
        .orElseThrow();
  }
}
