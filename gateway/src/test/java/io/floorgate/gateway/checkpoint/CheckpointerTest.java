package io.floorgate.gateway.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.WindowReplay;
import io.floorgate.gateway.ingest.AlarmHistory;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.JournalRecord;
import io.floorgate.rules.eval.AlarmState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery from a checkpoint and the journal records after it, with a real journal. */
class CheckpointerTest {
  @TempDir Path dir;

  private Journal open() {
    return Journal.open(JournalOptions.defaults(dir));
  }

  private static void raise(Journal journal, String eventId, String rule, String topic) {
    alarm(journal, eventId, rule, topic, "active_unacknowledged", null);
  }

  private static void alarm(
      Journal journal, String eventId, String rule, String topic, String state, String raisedBy) {
    String json =
        "{\"event_id\":\""
            + eventId
            + "\",\"details\":{\"rule_id\":\""
            + rule
            + "\",\"topic\":\""
            + topic
            + "\",\"alarm_state\":\""
            + state
            + "\",\"raised_event_id\":"
            + (raisedBy == null ? "null" : "\"" + raisedBy + "\"")
            + ",\"level\":\"high\",\"actual_value\":26.5}}";
    journal.append(
        new JournalRecord.EventRecord(
            System.currentTimeMillis() * 1000,
            eventId,
            "threshold",
            "warning",
            json.getBytes(StandardCharsets.UTF_8)));
  }

  private static void other(Journal journal, String eventId) {
    journal.append(
        new JournalRecord.EventRecord(
            System.currentTimeMillis() * 1000,
            eventId,
            "system",
            "info",
            ("{\"event_id\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> windowIds(Checkpointer recovered) {
    return recovered.window().stream().map(WindowReplay.Entry::eventId).toList();
  }

  /** What a start without any checkpoint recovers from this journal. */
  private Checkpointer wholeReplay(Journal journal, int maxEvents) throws IOException {
    Files.deleteIfExists(dir.resolve(Checkpointer.FILE));
    return Checkpointer.recover(journal, maxEvents);
  }

  @Test
  void aCleanStop_leavesACheckpoint_thatTheNextStartReadsInsteadOfTheJournal() {
    try (Journal journal = open()) {
      Checkpointer first = Checkpointer.recover(journal, 3);
      assertThat(first.fromCheckpoint()).isFalse();
      raise(journal, "e1", "r1", "t/1");
      journal.append(new JournalRecord.AckRecord(System.currentTimeMillis() * 1000, "e1"));
      for (int i = 2; i <= 5; i++) {
        other(journal, "e" + i);
      }
      first.close();
    }
    assertThat(dir.resolve(Checkpointer.FILE)).isRegularFile();

    try (Journal journal = open();
        Checkpointer next = Checkpointer.recover(journal, 3)) {
      assertThat(next.fromCheckpoint()).isTrue();
      assertThat(next.recordsRead()).isZero();
      assertThat(next.rulesSha256()).as("no rules record").isEmpty();
      assertThat(windowIds(next)).containsExactly("e3", "e4", "e5");
      assertThat(next.alarms())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.eventId()).isEqualTo("e1");
                assertThat(a.state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
              });
    }
  }

  @Test
  void afterACrash_theStartReadsTheRecordsAfterTheCheckpoint_andEndsWhereTheWholeReplayEnds()
      throws IOException {
    try (Journal journal = open()) {
      Checkpointer running = Checkpointer.recover(journal, 4);
      journal.append(new JournalRecord.RulesRecord(0, "file", "sha-1", new byte[0]));
      raise(journal, "e1", "r1", "t/1");
      raise(journal, "e2", "r1", "t/2");
      other(journal, "e3");
      assertThat(running.checkpoint()).isTrue();
      alarm(journal, "e4", "r1", "t/1", "normal", "e1");
      journal.append(new JournalRecord.RulesRecord(0, "admin", "sha-2", new byte[0]));
      raise(journal, "e5", "r2", "t/1");
      journal.append(new JournalRecord.AckRecord(System.currentTimeMillis() * 1000, "e2"));
      other(journal, "e6");
      // Killed here: no close, so the checkpoint on disk covers the first four records only.
    }

    try (Journal journal = open()) {
      Checkpointer recovered = Checkpointer.recover(journal, 4);
      assertThat(recovered.fromCheckpoint()).isTrue();
      assertThat(recovered.recordsRead()).isEqualTo(5);
      assertThat(recovered.rulesSha256()).isEqualTo("sha-2");
      Checkpointer whole = wholeReplay(journal, 4);
      assertThat(whole.recordsRead()).isEqualTo(9);
      assertThat(whole.rulesSha256()).isEqualTo("sha-2");

      assertThat(recovered.window()).isEqualTo(whole.window());
      assertThat(windowIds(recovered)).containsExactly("e3", "e4", "e5", "e6");
      assertThat(recovered.alarms()).containsExactlyInAnyOrderElementsOf(whole.alarms());
      assertThat(recovered.alarms())
          .extracting(AlarmHistory.Entry::eventId, AlarmHistory.Entry::state)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("e2", AlarmState.ACTIVE_ACKNOWLEDGED),
              org.assertj.core.groups.Tuple.tuple("e5", AlarmState.ACTIVE_UNACKNOWLEDGED));
    }
  }

  @Test
  void aCheckpointIsWrittenOnlyWhenRecordsWereAppendedSinceTheLast() throws IOException {
    try (Journal journal = open()) {
      Checkpointer running = Checkpointer.recover(journal, 10);
      assertThat(running.checkpoint()).as("empty journal").isFalse();
      other(journal, "e1");
      assertThat(running.checkpoint()).isTrue();
      assertThat(running.checkpoint()).as("nothing new").isFalse();
      other(journal, "e2");
      assertThat(running.checkpoint()).isTrue();
      running.close();
      assertThat(running.checkpoint()).as("closed").isFalse();
    }
  }

  @Test
  void aCheckpointOfAnotherJournal_isNotUsed_andTheWholeJournalIsRead() throws IOException {
    Path elsewhere = dir.resolve("other");
    try (Journal journal = Journal.open(JournalOptions.defaults(elsewhere))) {
      other(journal, "x1");
      raise(journal, "x2", "r1", "t/1");
      Checkpointer.recover(journal, 10).close();
    }
    try (Journal journal = open()) {
      other(journal, "e1");
      other(journal, "e2");
    }
    Files.copy(elsewhere.resolve(Checkpointer.FILE), dir.resolve(Checkpointer.FILE));

    try (Journal journal = open()) {
      Checkpointer recovered = Checkpointer.recover(journal, 10);
      assertThat(recovered.fromCheckpoint()).isFalse();
      assertThat(recovered.recordsRead()).isEqualTo(2);
      assertThat(windowIds(recovered)).containsExactly("e1", "e2");
      assertThat(recovered.alarms()).isEmpty();
    }
  }

  @Test
  void aCheckpointForAnotherMaxEvents_isNotUsed() {
    try (Journal journal = open()) {
      for (int i = 1; i <= 5; i++) {
        other(journal, "e" + i);
      }
      Checkpointer.recover(journal, 2).close();
    }
    try (Journal journal = open()) {
      Checkpointer recovered = Checkpointer.recover(journal, 4);
      assertThat(recovered.fromCheckpoint()).isFalse();
      assertThat(windowIds(recovered)).containsExactly("e2", "e3", "e4", "e5");
    }
  }

  @Test
  void aDamagedCheckpoint_isNotUsed_andTheWholeJournalIsRead() throws IOException {
    try (Journal journal = open()) {
      raise(journal, "e1", "r1", "t/1");
      other(journal, "e2");
      Checkpointer.recover(journal, 10).close();
    }
    Path file = dir.resolve(Checkpointer.FILE);
    String whole = Files.readString(file);
    for (String damaged :
        List.of(
            whole.substring(0, whole.length() / 2),
            whole.replace("\"format\":1", "\"format\":2"),
            whole.replace("\"active_unacknowledged\"", "\"normal\""),
            "")) {
      Files.writeString(file, damaged);
      try (Journal journal = open()) {
        Checkpointer recovered = Checkpointer.recover(journal, 10);
        assertThat(recovered.fromCheckpoint()).as(damaged).isFalse();
        assertThat(recovered.recordsRead()).isEqualTo(2);
        assertThat(windowIds(recovered)).containsExactly("e1", "e2");
        assertThat(recovered.alarms())
            .extracting(AlarmHistory.Entry::eventId)
            .containsExactly("e1");
      }
    }
  }

  @Test
  void checkpointRead_namesTheFieldThatIsWrong() throws IOException {
    Path file = dir.resolve(Checkpointer.FILE);
    Files.writeString(
        file,
        "{\"format\":1,\"index\":5,\"record\":\"event e1\",\"max_events\":10,"
            + "\"rules_sha256\":\"\",\"rules_index\":-1,\"window\":[[\"e1\",1,5,\"yes\"]],\"alarms\":[]}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Checkpoint.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window[0] must be [event_id, timestamp_us, index, acknowledged]");
    Files.writeString(
        file,
        "{\"format\":1,\"index\":5,\"record\":\"event e1\",\"max_events\":10,"
            + "\"rules_sha256\":\"\",\"rules_index\":-1,\"window\":[],"
            + "\"alarms\":[{\"rule_id\":\"r1\",\"topic\":\"t\",\"state\":\"active_acknowledged\","
            + "\"level\":\"\",\"latched\":false,\"value\":1,\"event_id\":\"e1\"}]}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Checkpoint.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alarms[0]: since_ms is missing");
    Files.writeString(
        file,
        "{\"format\":1,\"index\":5,\"record\":\"event e1\",\"max_events\":4294967296,"
            + "\"rules_sha256\":\"\",\"rules_index\":-1,\"window\":[],\"alarms\":[]}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Checkpoint.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_events must be between 1 and 2147483647, but was 4294967296");
  }

  @Test
  void checkpointFile_keepsWhatJsonCannotSayPlainly() throws IOException {
    Path file = dir.resolve(Checkpointer.FILE);
    List<AlarmHistory.Entry> alarms = new java.util.ArrayList<>();
    double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e-300};
    for (int i = 0; i < values.length; i++) {
      alarms.add(
          new AlarmHistory.Entry(
              "r" + i,
              "t/\"quoted\"/" + i,
              AlarmState.values()[1 + i % 5],
              i == 0 ? "" : "high",
              i % 2 == 0,
              values[i],
              Long.MAX_VALUE - i,
              "e" + i,
              i % 2 == 0 ? null : "op \u00e9"));
    }
    Checkpoint written =
        new Checkpoint(
            Long.MAX_VALUE,
            "event e\u00e9",
            7,
            "sha",
            Long.MIN_VALUE,
            List.of(
                new WindowReplay.Entry("e0", Long.MIN_VALUE, 0x5134_0000_0001L, true),
                new WindowReplay.Entry("e\n1", -1, Long.MAX_VALUE, false)),
            alarms);

    written.write(file);

    assertThat(Checkpoint.read(file)).isEqualTo(written);
  }

  /** A checkpoint at {@code days} days ago, as if written then: one open alarm, one event. */
  private void oldCheckpoint(int daysAgo, long sequence) throws IOException {
    long cycle = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toEpochDay() - daysAgo;
    long index = (cycle << 32) | sequence;
    new Checkpoint(
            index,
            "event old-2",
            10,
            "old-rules",
            index - 1,
            List.of(new WindowReplay.Entry("old-2", 1, index, false)),
            List.of(
                new AlarmHistory.Entry(
                    "r1",
                    "t/1",
                    AlarmState.ACTIVE_UNACKNOWLEDGED,
                    "high",
                    false,
                    26.5,
                    1,
                    "old-1",
                    null)))
        .write(dir.resolve(Checkpointer.FILE));
  }

  @Test
  void aCheckpointWhoseDayRetentionDeleted_isStillUsed_andItsAlarmsOutliveTheDay()
      throws IOException {
    try (Journal journal = open()) {
      other(journal, "e1");
    }
    oldCheckpoint(40, 7); // retention is 30 days

    try (Journal journal = open()) {
      Checkpointer recovered = Checkpointer.recover(journal, 10);
      assertThat(recovered.fromCheckpoint()).isTrue();
      assertThat(recovered.recordsRead()).isEqualTo(1);
      assertThat(recovered.alarms()).extracting(AlarmHistory.Entry::eventId).containsExactly("old-1");
      assertThat(windowIds(recovered)).containsExactly("old-2", "e1");
      assertThat(recovered.rulesSha256()).as("its rules record went with the day").isEmpty();
    }
  }

  @Test
  void aCheckpointPastTheJournalsEnd_isNotUsed() throws IOException {
    try (Journal journal = open()) {
      other(journal, "e1");
    }
    oldCheckpoint(0, 1000); // today, but the journal holds one record: cut short

    try (Journal journal = open()) {
      Checkpointer recovered = Checkpointer.recover(journal, 10);
      assertThat(recovered.fromCheckpoint()).isFalse();
      assertThat(recovered.alarms()).isEmpty();
      assertThat(windowIds(recovered)).containsExactly("e1");
    }
  }

  @Test
  void aCheckpointWithinRetentionWhoseDayIsGone_isNotUsed() throws IOException {
    try (Journal journal = open()) {
      other(journal, "e1");
    }
    oldCheckpoint(3, 7); // deleted by hand, not by retention

    try (Journal journal = open()) {
      assertThat(Checkpointer.recover(journal, 10).fromCheckpoint()).isFalse();
    }
  }

  @Test
  void theThread_checkpointsOnceStarted_andClosingWritesTheLastCheckpoint() throws IOException {
    try (Journal journal = open()) {
      Checkpointer running = Checkpointer.recover(journal, 10);
      other(journal, "e1");
      running.start();
      // The first run starts at once: it takes the record appended before start().
      await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> Files.exists(dir.resolve(Checkpointer.FILE)));
      other(journal, "e2");
      running.close();
      running.start(); // after close: starts nothing
      await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () ->
                  Thread.getAllStackTraces().keySet().stream()
                      .noneMatch(t -> t.getName().equals("floorgate-checkpoint")));
    }
    try (Journal journal = open()) {
      Checkpointer next = Checkpointer.recover(journal, 10);
      assertThat(next.recordsRead()).isZero();
      assertThat(windowIds(next)).containsExactly("e1", "e2");
    }
  }
}
