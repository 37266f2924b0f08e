package io.floorgate.gateway.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.events.WindowReplay;
import io.floorgate.gateway.ingest.AlarmHistory;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalRecord;
import io.floorgate.rules.eval.AlarmState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * A start from a checkpoint plus the records after it ends where a replay of the whole journal
 * ends: the checkpoint, written to a file and read back, carries everything the two folds need.
 */
class CheckpointPropertyTest {

  private static final List<String> IDS = List.of("e0", "e1", "e2", "e3", "e4", "e5", "e6");
  private static final List<String> RULES = List.of("r1", "r2");
  private static final List<String> TOPICS = List.of("t/1", "t/2");

  /** What the two folds reach after {@code records}, fed one by one from {@code from}. */
  private record Folded(List<WindowReplay.Entry> window, List<AlarmHistory.Entry> alarms) {}

  private static Folded fold(WindowReplay window, AlarmHistory alarms, List<JournalEntry> records) {
    for (JournalEntry entry : records) {
      window.accept(entry);
      alarms.accept(entry);
    }
    return new Folded(window.entries(), alarms.entries());
  }

  @Property(tries = 500)
  void checkpointPlusTail_equalsTheWholeReplay(
      @ForAll("journals") List<JournalRecord> records,
      @ForAll @IntRange(min = 1, max = 6) int maxEvents,
      @ForAll @IntRange(min = 0, max = 100) int splitPercent)
      throws IOException {
    List<JournalEntry> entries = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      entries.add(new JournalEntry(1000L + 3 * i, records.get(i)));
    }
    int split = entries.size() * splitPercent / 100;

    Folded whole = fold(new WindowReplay(maxEvents), new AlarmHistory(), entries);

    Folded head =
        fold(new WindowReplay(maxEvents), new AlarmHistory(), entries.subList(0, split));
    Checkpoint written =
        new Checkpoint(split, "record", maxEvents, "ab12", 7, head.window(), head.alarms());
    Path file = Files.createTempFile("checkpoint", ".json");
    Checkpoint read;
    try {
      written.write(file);
      read = Checkpoint.read(file);
    } finally {
      Files.deleteIfExists(file);
    }
    assertThat(read).isEqualTo(written);
    Folded resumed =
        fold(
            WindowReplay.of(maxEvents, read.window()),
            AlarmHistory.of(read.alarms()),
            entries.subList(split, entries.size()));

    assertThat(resumed.window()).isEqualTo(whole.window());
    assertThat(resumed.alarms()).containsExactlyInAnyOrderElementsOf(whole.alarms());
    Statistics.label("open alarms at the checkpoint").collect(head.alarms().size());
    Statistics.label("window at the checkpoint").collect(head.window().size());
    Statistics.label("open alarms at the end").collect(whole.alarms().size());
  }

  @Provide
  Arbitrary<List<JournalRecord>> journals() {
    Arbitrary<String> ids = Arbitraries.of(IDS);
    Arbitrary<Long> micros = Arbitraries.longs().between(0, 1000);
    Arbitrary<JournalRecord> alarmEvent =
        Combinators.combine(
                ids,
                Arbitraries.of(RULES),
                Arbitraries.of(TOPICS),
                Arbitraries.frequency(
                    net.jqwik.api.Tuple.of(4, AlarmState.ACTIVE_UNACKNOWLEDGED),
                    net.jqwik.api.Tuple.of(2, AlarmState.RETURNED_UNACKNOWLEDGED),
                    net.jqwik.api.Tuple.of(2, AlarmState.NORMAL),
                    net.jqwik.api.Tuple.of(1, AlarmState.ACTIVE_ACKNOWLEDGED),
                    net.jqwik.api.Tuple.of(1, AlarmState.SHELVED),
                    net.jqwik.api.Tuple.of(1, AlarmState.OUT_OF_SERVICE)),
                ids.injectNull(0.5),
                Arbitraries.doubles().between(-50, 150).edgeCases(e -> e.includeOnly(0.0)),
                Arbitraries.of(true, false),
                micros)
            .as(CheckpointPropertyTest::alarmEvent);
    Arbitrary<JournalRecord> userAck =
        Combinators.combine(ids, ids, Arbitraries.of("op-1", "op-2"), micros)
            .as(
                (id, acked, user, at) ->
                    event(
                        id,
                        "user",
                        at,
                        "{\"action\":\"acknowledge_event\",\"user_id\":\""
                            + user
                            + "\",\"action_details\":{\"event_id\":\""
                            + acked
                            + "\"}}"));
    Arbitrary<JournalRecord> otherEvent =
        Combinators.combine(ids, micros).as((id, at) -> event(id, "system", at, "{}"));
    Arbitrary<JournalRecord> ack =
        Combinators.combine(micros, ids).as((at, id) -> new JournalRecord.AckRecord(at, id));
    Arbitrary<JournalRecord> clear =
        Combinators.combine(micros, Arbitraries.longs().between(0, 300).injectNull(0.1))
            .as(
                (at, cutoff) ->
                    new JournalRecord.ClearRecord(at, cutoff == null ? Long.MAX_VALUE : cutoff));
    Arbitrary<JournalRecord> rules =
        micros.map(at -> new JournalRecord.RulesRecord(at, "file", "ab", new byte[0]));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, alarmEvent),
            net.jqwik.api.Tuple.of(2, userAck),
            net.jqwik.api.Tuple.of(2, otherEvent),
            net.jqwik.api.Tuple.of(3, ack),
            net.jqwik.api.Tuple.of(1, clear),
            net.jqwik.api.Tuple.of(1, rules))
        .list()
        .ofMinSize(5)
        .ofMaxSize(60);
  }

  private static JournalRecord alarmEvent(
      String id,
      String rule,
      String topic,
      AlarmState state,
      String raisedBy,
      double value,
      boolean latched,
      long at) {
    String details =
        "{\"rule_id\":\""
            + rule
            + "\",\"topic\":\""
            + topic
            + "\",\"alarm_state\":\""
            + state.name().toLowerCase(Locale.ROOT)
            + "\",\"raised_event_id\":"
            + (raisedBy == null ? "null" : "\"" + raisedBy + "\"")
            + ",\"level\":\"high\",\"actual_value\":"
            + value
            + ",\"latched\":"
            + latched
            + "}";
    return event(id, "threshold", at, details);
  }

  private static JournalRecord event(String id, String category, long at, String details) {
    String json = "{\"event_id\":\"" + id + "\",\"details\":" + details + "}";
    return new JournalRecord.EventRecord(
        at, id, category, "warning", json.getBytes(StandardCharsets.UTF_8));
  }
}
