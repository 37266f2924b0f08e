package io.floorgate.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.rules.Comparison;
import io.floorgate.rules.Limit;
import io.floorgate.rules.Mode;
import io.floorgate.rules.Rule;
import io.floorgate.rules.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shelving (ISA-18.2): a shelved alarm keeps evaluating but announces nothing until unshelved. */
class EvaluatorShelvingTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long UNTIL = T0 + 60_000;
  private static final String RULE = "line1-temp-high";
  private static final String S1 = "plant/line1/s1/temperature";
  private static final String S2 = "plant/line1/s2/temperature";
  private static final Limit H = new Limit("H", 25, Severity.WARNING, 0.5);
  private static final Limit HH = new Limit("HH", 30, Severity.CRITICAL, 0.5);

  /** H above 25, HH above 30; each clears 0.5 below its limit. */
  private static final Rule TIERED =
      new Rule(
          RULE,
          "Production Line Temperature",
          List.of("plant/line1/+/temperature"),
          "value",
          Comparison.GREATER_THAN,
          List.of(H, HH),
          Duration.ZERO,
          Duration.ZERO,
          Mode.ALARM,
          false,
          false);

  private static final AlarmKey KEY1 = new AlarmKey(RULE, S1);
  private static final AlarmKey KEY2 = new AlarmKey(RULE, S2);
  private static final Shelf SHELF = new Shelf(RULE, null, UNTIL, "sensor maintenance", "op-7");

  private final Evaluator evaluator = new Evaluator();

  private List<Transition> read(String topic, double value, long at) {
    List<Transition> out = new ArrayList<>();
    evaluator.onReading(TIERED, new Reading(topic, value, null, null, at), at, out);
    return out;
  }

  private List<Transition> read(double value, long at) {
    return read(S1, value, at);
  }

  private List<Transition> advance(long at) {
    List<Transition> out = new ArrayList<>();
    evaluator.advance(at, out);
    return out;
  }

  private static Transition only(List<Transition> transitions) {
    assertThat(transitions).hasSize(1);
    return transitions.get(0);
  }

  private AlarmState state(AlarmKey key) {
    return evaluator.alarm(key).map(AlarmSnapshot::state).orElse(AlarmState.NORMAL);
  }

  @Test
  void shelve_activeAlarm_isShelvedWithTheShelf() {
    read(26, T0);

    Transition shelved = only(evaluator.shelve(SHELF, T0 + 1_000));

    assertThat(shelved.kind()).isEqualTo(Transition.Kind.SHELVED);
    assertThat(shelved.note()).isEqualTo("sensor maintenance");
    assertThat(shelved.alarm().key()).isEqualTo(KEY1);
    assertThat(shelved.alarm().state()).isEqualTo(AlarmState.SHELVED);
    assertThat(shelved.alarm().shelf()).isEqualTo(SHELF);
    assertThat(shelved.alarm().sinceMillis()).isEqualTo(T0 + 1_000);
    assertThat(state(KEY1)).isEqualTo(AlarmState.SHELVED);
    assertThat(evaluator.shelves()).containsExactly(SHELF);
  }

  @Test
  void whileShelved_breachesClearsAndEscalationsAnnounceNothing() {
    read(26, T0);
    evaluator.shelve(SHELF, T0 + 1_000);

    List<Transition> all = new ArrayList<>();
    all.addAll(read(31, T0 + 2_000)); // escalation
    all.addAll(read(27, T0 + 3_000)); // lowering
    all.addAll(read(20, T0 + 4_000)); // clear
    all.addAll(read(26, T0 + 5_000)); // new breach
    all.addAll(read(S2, 26, T0 + 6_000)); // new breach on another topic
    all.addAll(advance(UNTIL - 1));

    // Nothing is announced; the new alarm on the other topic is only shown as shelved.
    assertThat(all)
        .extracting(Transition::kind, t -> t.alarm().topic())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Transition.Kind.SHELVED, S2));
    assertThat(state(KEY1)).isEqualTo(AlarmState.SHELVED);
    assertThat(state(KEY2)).isEqualTo(AlarmState.SHELVED);
  }

  @Test
  void whileShelved_theTierIsTracked_andAnnouncedWhenTheShelvingEnds() {
    read(26, T0);
    evaluator.shelve(SHELF, T0 + 1_000);
    read(31, T0 + 2_000);

    assertThat(evaluator.alarm(KEY1)).map(AlarmSnapshot::limit).hasValue(HH);
    Transition raised = only(advance(UNTIL));

    assertThat(raised.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(raised.limit()).isEqualTo(HH);
    assertThat(raised.note()).isEqualTo("shelving ended");
  }

  @Test
  void shelvingEnds_alarmStillBreaching_raisesAgainUnacknowledged() {
    read(26, T0);
    evaluator.attachEvent(KEY1, "e-1");
    evaluator.acknowledge("e-1", "op-7", T0 + 500);
    evaluator.shelve(SHELF, T0 + 1_000);
    read(27, T0 + 2_000);

    assertThat(evaluator.nextDeadline()).hasValue(UNTIL);
    Transition raised = only(advance(UNTIL));

    assertThat(raised.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(raised.note()).isEqualTo("shelving ended");
    assertThat(raised.limit()).isEqualTo(H);
    assertThat(raised.reading().value()).isEqualTo(27);
    assertThat(raised.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(raised.alarm().acknowledgedBy()).isNull();
    assertThat(raised.alarm().shelf()).isNull();
    assertThat(raised.alarm().sinceMillis()).isEqualTo(UNTIL);
    assertThat(evaluator.shelves()).isEmpty();
    assertThat(evaluator.nextDeadline()).isEmpty();
  }

  @Test
  void shelvingEnds_valueBackToNormal_isUnshelvedAndNormal() {
    read(26, T0);
    evaluator.attachEvent(KEY1, "e-1");
    evaluator.shelve(SHELF, T0 + 1_000);
    read(20, T0 + 2_000);

    Transition unshelved = only(advance(UNTIL));

    assertThat(unshelved.kind()).isEqualTo(Transition.Kind.UNSHELVED);
    assertThat(unshelved.note()).isEqualTo("shelving ended");
    assertThat(unshelved.alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(unshelved.alarm().shelf()).isNull();
    assertThat(evaluator.alarm(KEY1)).isEmpty();
    assertThat(evaluator.size()).isZero();
    assertThat(evaluator.acknowledge("e-1", "op-7", UNTIL + 1)).isEmpty();
    assertThat(only(read(26, UNTIL + 2)).kind())
        .as("a later breach raises")
        .isEqualTo(Transition.Kind.RAISED);
  }

  @Test
  void shelvingEnds_valueBackToNormalAfterAnAcknowledgement_isUnshelvedAndNormal() {
    read(26, T0);
    evaluator.attachEvent(KEY1, "e-1");
    evaluator.acknowledge("e-1", "op-7", T0 + 500);
    evaluator.shelve(SHELF, T0 + 1_000);
    read(20, T0 + 2_000);

    Transition unshelved = only(advance(UNTIL));

    assertThat(unshelved.kind()).isEqualTo(Transition.Kind.UNSHELVED);
    assertThat(unshelved.alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void unshelve_byAnOperator_raisesAStillBreachingAlarm() {
    read(26, T0);
    evaluator.shelve(SHELF, T0 + 1_000);

    Transition raised = only(evaluator.unshelve(RULE, null, "op-8", T0 + 2_000));

    assertThat(raised.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(raised.note()).isEqualTo("unshelved by op-8");
    assertThat(raised.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(evaluator.shelves()).isEmpty();
    assertThat(evaluator.nextDeadline()).as("the shelving's end is no longer due").isEmpty();
    assertThat(advance(UNTIL)).isEmpty();
  }

  @Test
  void unshelve_byAnOperator_valueBackToNormal_isUnshelvedAndNormal() {
    read(26, T0);
    evaluator.shelve(SHELF, T0 + 1_000);
    read(20, T0 + 2_000);

    Transition unshelved = only(evaluator.unshelve(RULE, null, "op-8", T0 + 3_000));

    assertThat(unshelved.kind()).isEqualTo(Transition.Kind.UNSHELVED);
    assertThat(unshelved.note()).isEqualTo("unshelved by op-8");
    assertThat(unshelved.alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(evaluator.alarm(KEY1)).isEmpty();
    assertThat(advance(UNTIL)).isEmpty();
  }

  @Test
  void unshelve_whenNothingIsShelved_isEmpty() {
    read(26, T0);

    assertThat(evaluator.unshelve(RULE, null, "op-8", T0 + 1_000)).isEmpty();
    assertThat(state(KEY1)).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void shelvingOneTopicOfAWildcardRule_leavesTheOtherTopicsAnnouncing() {
    read(S1, 26, T0);
    read(S2, 26, T0);
    Shelf s1Only = new Shelf(RULE, S1, UNTIL, "s1 is being recalibrated", "op-7");

    assertThat(evaluator.shelve(s1Only, T0 + 1_000))
        .extracting(t -> t.alarm().key())
        .containsExactly(KEY1);

    assertThat(read(S1, 31, T0 + 2_000)).isEmpty();
    assertThat(only(read(S2, 31, T0 + 2_000)).limit()).isEqualTo(HH);
    assertThat(only(read(S2, 20, T0 + 3_000)).kind()).isEqualTo(Transition.Kind.CLEARED);
    assertThat(state(KEY1)).isEqualTo(AlarmState.SHELVED);
    assertThat(state(KEY2)).isEqualTo(AlarmState.RETURNED_UNACKNOWLEDGED);
  }

  @Test
  void shelvingARuleWithNoAlarmYet_silencesItsFirstBreach() {
    assertThat(evaluator.shelve(SHELF, T0)).isEmpty();
    assertThat(evaluator.nextDeadline()).hasValue(UNTIL);

    // Not announced: only shown as shelved (on the retained alarm topic).
    assertThat(read(26, T0 + 1_000))
        .extracting(Transition::kind)
        .containsExactly(Transition.Kind.SHELVED);

    assertThat(evaluator.alarm(KEY1))
        .hasValueSatisfying(
            a -> {
              assertThat(a.state()).isEqualTo(AlarmState.SHELVED);
              assertThat(a.limit()).isEqualTo(H);
              assertThat(a.shelf()).isEqualTo(SHELF);
            });
    assertThat(only(advance(UNTIL)).kind()).isEqualTo(Transition.Kind.RAISED);
  }

  @Test
  void shelvingARuleWithNoAlarmYet_breachThatReturnsBeforeTheEnd_leavesNothing() {
    evaluator.shelve(SHELF, T0);
    read(26, T0 + 1_000);
    read(20, T0 + 2_000);

    List<Transition> ended = advance(UNTIL);

    assertThat(ended).extracting(t -> t.alarm().state()).containsOnly(AlarmState.NORMAL);
    assertThat(ended).extracting(Transition::kind).doesNotContain(Transition.Kind.RAISED);
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void shelveAgain_sameScope_replacesTheEarlierShelving() {
    read(26, T0);
    evaluator.shelve(SHELF, T0 + 1_000);
    Shelf longer = new Shelf(RULE, null, UNTIL + 60_000, "still in maintenance", "op-8");

    evaluator.shelve(longer, T0 + 2_000);

    assertThat(evaluator.shelves()).containsExactly(longer);
    assertThat(advance(UNTIL)).as("the first shelving no longer ends anything").isEmpty();
    assertThat(state(KEY1)).isEqualTo(AlarmState.SHELVED);
    assertThat(evaluator.nextDeadline()).hasValue(UNTIL + 60_000);
    assertThat(only(advance(UNTIL + 60_000)).kind()).isEqualTo(Transition.Kind.RAISED);
  }

  @Test
  void delaysKeepRunningWhileShelved() {
    Rule delayed =
        new Rule(
            RULE,
            "T",
            List.of("plant/line1/+/temperature"),
            "value",
            Comparison.GREATER_THAN,
            List.of(H, HH),
            Duration.ofSeconds(2),
            Duration.ZERO,
            Mode.ALARM,
            false,
            false);
    evaluator.shelve(SHELF, T0);
    List<Transition> out = new ArrayList<>();
    evaluator.onReading(delayed, new Reading(S1, 26, null, null, T0 + 1_000), T0 + 1_000, out);

    assertThat(evaluator.nextDeadline()).hasValue(T0 + 3_000);
    assertThat(advance(T0 + 3_000))
        .extracting(Transition::kind)
        .containsExactly(Transition.Kind.SHELVED);
    assertThat(evaluator.alarm(KEY1)).map(AlarmSnapshot::limit).hasValue(H);
    assertThat(evaluator.nextDeadline()).hasValue(UNTIL);
  }
}
