package io.floorgate.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.rules.Comparison;
import io.floorgate.rules.Mode;
import io.floorgate.rules.Rule;
import io.floorgate.rules.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String TOPIC = "plant/line1/s1/temperature";

  private final Evaluator evaluator = new Evaluator();

  /** Above 25 is an alarm; with deadband 0.5 it clears at 24.5 and below. */
  private static Rule rule(Duration onDelay, Duration offDelay, Mode mode) {
    return new Rule(
        "line1-temp-high",
        "Production Line Temperature",
        List.of("plant/line1/+/temperature"),
        "value",
        Comparison.GREATER_THAN,
        25.0,
        Severity.WARNING,
        0.5,
        onDelay,
        offDelay,
        mode);
  }

  private static final Rule IMMEDIATE = rule(Duration.ZERO, Duration.ZERO, Mode.ALARM);
  private static final Rule ON_DELAY = rule(Duration.ofSeconds(2), Duration.ZERO, Mode.ALARM);
  private static final Rule OFF_DELAY = rule(Duration.ZERO, Duration.ofSeconds(1), Mode.ALARM);
  private static final Rule EVERY_SAMPLE = rule(Duration.ZERO, Duration.ZERO, Mode.EVERY_SAMPLE);
  private static final AlarmKey KEY = new AlarmKey("line1-temp-high", TOPIC);

  private List<Transition> read(Rule rule, String topic, double value, long at) {
    List<Transition> out = new ArrayList<>();
    evaluator.onReading(rule, new Reading(topic, value, null, null, at), at, out);
    return out;
  }

  private List<Transition> read(Rule rule, double value, long at) {
    return read(rule, TOPIC, value, at);
  }

  private List<Transition> advance(long at) {
    List<Transition> out = new ArrayList<>();
    evaluator.advance(at, out);
    return out;
  }

  private static List<Transition.Kind> kinds(List<Transition> transitions) {
    return transitions.stream().map(Transition::kind).toList();
  }

  // --- restore after a restart --------------------------------------------------------------

  @Test
  void restore_activeAcknowledged_isKeptAndClearsOnANormalReading() {
    evaluator.restore(IMMEDIATE, TOPIC, AlarmState.ACTIVE_ACKNOWLEDGED, "", false, 26.5, T0, "e-1", "op-7");

    assertThat(evaluator.alarm(KEY))
        .hasValueSatisfying(
            a -> {
              assertThat(a.state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
              assertThat(a.eventId()).isEqualTo("e-1");
              assertThat(a.acknowledgedBy()).isEqualTo("op-7");
            });
    assertThat(read(IMMEDIATE, 26.0, T0 + 1)).isEmpty();
    List<Transition> cleared = read(IMMEDIATE, 24.0, T0 + 2);
    assertThat(kinds(cleared)).containsExactly(Transition.Kind.CLEARED);
    assertThat(cleared.get(0).alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void restore_activeUnacknowledged_canBeAcknowledgedByItsEventId() {
    evaluator.restore(IMMEDIATE, TOPIC, AlarmState.ACTIVE_UNACKNOWLEDGED, "", false, 26.5, T0, "e-1", null);

    assertThat(evaluator.acknowledge("e-1", "op-7", T0 + 5))
        .hasValueSatisfying(
            t -> assertThat(t.alarm().state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED));
  }

  @Test
  void awaitsAcknowledgement_holdsFromTheRaiseEventUntilTheAcknowledgement() {
    evaluator.restore(IMMEDIATE, TOPIC, AlarmState.ACTIVE_UNACKNOWLEDGED, "", false, 26.5, T0, "e-1", null);

    assertThat(evaluator.awaitsAcknowledgement("e-1")).isTrue();
    assertThat(evaluator.awaitsAcknowledgement("e-2")).as("no alarm raised by it").isFalse();
    evaluator.acknowledge("e-1", "op-7", T0 + 5);
    assertThat(evaluator.awaitsAcknowledgement("e-1")).isFalse();
  }

  @Test
  void holdsAlarmRaisedBy_staysTrueAfterTheAcknowledgement_untilTheAlarmIsNormalAndForgotten() {
    evaluator.restore(IMMEDIATE, TOPIC, AlarmState.ACTIVE_UNACKNOWLEDGED, "", false, 26.5, T0, "e-1", null);

    assertThat(evaluator.holdsAlarmRaisedBy("e-1")).isTrue();
    assertThat(evaluator.holdsAlarmRaisedBy("e-2")).as("no alarm raised by it").isFalse();
    evaluator.acknowledge("e-1", "op-7", T0 + 5);
    assertThat(evaluator.holdsAlarmRaisedBy("e-1")).as("active, acknowledged").isTrue();
    read(IMMEDIATE, 24.0, T0 + 6);
    assertThat(evaluator.holdsAlarmRaisedBy("e-1")).as("normal again, forgotten").isFalse();
  }

  @Test
  void restore_returnedUnacknowledged_reraisesOnANewBreach_andAckMakesItNormal() {
    evaluator.restore(IMMEDIATE, TOPIC, AlarmState.RETURNED_UNACKNOWLEDGED, "", false, 24.0, T0, "e-1", null);

    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .hasValue(AlarmState.RETURNED_UNACKNOWLEDGED);
    assertThat(evaluator.acknowledge("e-1", "op-7", T0 + 1)).isPresent();
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void restore_normalStatesAndEverySampleRules_areIgnored() {
    evaluator.restore(IMMEDIATE, TOPIC, AlarmState.NORMAL, "", false, 20.0, T0, "e-1", null);
    evaluator.restore(EVERY_SAMPLE, TOPIC, AlarmState.ACTIVE_UNACKNOWLEDGED, "", false, 30.0, T0, "e-2", null);

    assertThat(evaluator.size()).isZero();
  }

  // --- raise and clear -----------------------------------------------------------------------

  @Test
  void onReading_normalValue_emitsNothingAndKeepsNothing() {
    assertThat(read(IMMEDIATE, 20, T0)).isEmpty();
    assertThat(read(IMMEDIATE, 25, T0 + 1)).as("at the threshold is not above it").isEmpty();

    assertThat(evaluator.size()).isZero();
    assertThat(evaluator.alarms()).isEmpty();
    assertThat(evaluator.nextDeadline()).isEmpty();
  }

  @Test
  void onReading_breach_raisesOnceAsActiveUnacknowledged() {
    List<Transition> raised = read(IMMEDIATE, 26, T0);

    assertThat(raised).hasSize(1);
    Transition transition = raised.get(0);
    assertThat(transition.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(transition.rule()).isEqualTo(IMMEDIATE);
    assertThat(transition.reading().value()).isEqualTo(26);
    AlarmSnapshot alarm = transition.alarm();
    assertThat(alarm.key()).isEqualTo(KEY);
    assertThat(alarm.topic()).isEqualTo(TOPIC);
    assertThat(alarm.state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(alarm.value()).isEqualTo(26);
    assertThat(alarm.sinceMillis()).isEqualTo(T0);
    assertThat(alarm.eventId()).isNull();
    assertThat(alarm.acknowledgedBy()).isNull();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .contains(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void onReading_breachContinues_raisesOnlyOncePerExcursion() {
    List<Transition> all = new ArrayList<>();
    all.addAll(read(IMMEDIATE, 26, T0));
    all.addAll(read(IMMEDIATE, 27, T0 + 1_000));
    all.addAll(read(IMMEDIATE, 30, T0 + 2_000));
    all.addAll(read(IMMEDIATE, 25.1, T0 + 3_000));

    assertThat(kinds(all)).containsExactly(Transition.Kind.RAISED);
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::value).contains(25.1);
  }

  @Test
  void onReading_valueInsideDeadband_doesNotClear() {
    read(IMMEDIATE, 26, T0);

    assertThat(read(IMMEDIATE, 25, T0 + 1_000)).isEmpty();
    assertThat(read(IMMEDIATE, 24.8, T0 + 2_000)).isEmpty();
    assertThat(read(IMMEDIATE, 24.51, T0 + 3_000)).isEmpty();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .contains(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void onReading_valueBackPastDeadband_clears() {
    read(IMMEDIATE, 26, T0);
    read(IMMEDIATE, 24.8, T0 + 1_000);

    List<Transition> cleared = read(IMMEDIATE, 24.5, T0 + 2_000);

    assertThat(kinds(cleared)).containsExactly(Transition.Kind.CLEARED);
    assertThat(cleared.get(0).reading().value()).isEqualTo(24.5);
    assertThat(cleared.get(0).alarm().value()).isEqualTo(24.5);
    assertThat(cleared.get(0).alarm().sinceMillis()).isEqualTo(T0 + 2_000);
  }

  @Test
  void onReading_valueBetweenDeadbandAndThreshold_doesNotRaise() {
    // Hysteresis keeps an active alarm active; it does not raise a normal one.
    assertThat(read(IMMEDIATE, 24.8, T0)).isEmpty();
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void onReading_newExcursionAfterClear_raisesAgain() {
    List<Transition> all = new ArrayList<>();
    all.addAll(read(IMMEDIATE, 26, T0));
    all.addAll(read(IMMEDIATE, 20, T0 + 1_000));
    all.addAll(read(IMMEDIATE, 20, T0 + 2_000));
    all.addAll(read(IMMEDIATE, 26, T0 + 3_000));
    all.addAll(read(IMMEDIATE, 27, T0 + 4_000));

    assertThat(kinds(all))
        .containsExactly(
            Transition.Kind.RAISED, Transition.Kind.CLEARED, Transition.Kind.RAISED);
    assertThat(all.get(2).alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void onReading_lessThanRule_clearsAboveThresholdPlusDeadband() {
    Rule low =
        new Rule(
            "pressure-low",
            "Pressure",
            List.of("plant/pressure"),
            "value",
            Comparison.LESS_THAN,
            2.0,
            null,
            0.5,
            Duration.ZERO,
            Duration.ZERO,
            Mode.ALARM);

    assertThat(kinds(read(low, "plant/pressure", 1.5, T0))).containsExactly(Transition.Kind.RAISED);
    assertThat(read(low, "plant/pressure", 2.25, T0 + 1)).isEmpty();
    assertThat(kinds(read(low, "plant/pressure", 2.5, T0 + 2)))
        .containsExactly(Transition.Kind.CLEARED);
  }

  @Test
  void onReading_notEqualRuleWithDeadband_doesNotFlapOnASteadyValue() {
    Rule notRunning =
        new Rule(
            "mode-not-auto",
            "Mode",
            List.of("plant/mode"),
            "value",
            Comparison.NOT_EQUAL,
            25.0,
            null,
            0.5,
            Duration.ZERO,
            Duration.ZERO,
            Mode.ALARM);

    List<Transition> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.addAll(read(notRunning, "plant/mode", 24.75, T0 + i));
    }
    all.addAll(read(notRunning, "plant/mode", 25, T0 + 10));

    assertThat(kinds(all)).containsExactly(Transition.Kind.RAISED, Transition.Kind.CLEARED);
  }

  // --- on_delay --------------------------------------------------------------------------------

  @Test
  void onDelay_spikeShorterThanTheDelay_raisesNothing() {
    List<Transition> all = new ArrayList<>();
    all.addAll(read(ON_DELAY, 30, T0));
    all.addAll(read(ON_DELAY, 30, T0 + 1_000));
    all.addAll(read(ON_DELAY, 20, T0 + 1_500));
    all.addAll(advance(T0 + 2_000));
    all.addAll(advance(T0 + 10_000));

    assertThat(all).isEmpty();
    assertThat(evaluator.size()).isZero();
    assertThat(evaluator.nextDeadline()).isEmpty();
  }

  @Test
  void onDelay_breachBeforeTheDelay_raisesNothingYet() {
    assertThat(read(ON_DELAY, 26, T0)).isEmpty();
    assertThat(read(ON_DELAY, 27, T0 + 1_999)).isEmpty();
    assertThat(advance(T0 + 1_999)).isEmpty();

    assertThat(evaluator.alarm(KEY)).as("pending is not yet an alarm").isEmpty();
  }

  @Test
  void onDelay_conditionHolds_raisesOnAdvanceAtTheDeadline() {
    read(ON_DELAY, 26, T0);
    read(ON_DELAY, 26.5, T0 + 1_000);

    List<Transition> raised = advance(T0 + 2_000);

    assertThat(kinds(raised)).containsExactly(Transition.Kind.RAISED);
    assertThat(raised.get(0).reading().value()).as("the latest reading").isEqualTo(26.5);
    assertThat(raised.get(0).alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(raised.get(0).alarm().sinceMillis()).isEqualTo(T0 + 2_000);
    assertThat(advance(T0 + 5_000)).isEmpty();
    assertThat(read(ON_DELAY, 27, T0 + 6_000)).isEmpty();
  }

  @Test
  void onDelay_breachingReadingAfterTheDeadline_raisesWithoutAdvance() {
    read(ON_DELAY, 26, T0);

    assertThat(kinds(read(ON_DELAY, 26, T0 + 2_500))).containsExactly(Transition.Kind.RAISED);
    assertThat(advance(T0 + 3_000)).as("the deadline was used up").isEmpty();
  }

  @Test
  void onDelay_interruptedExcursion_restartsTheDelay() {
    read(ON_DELAY, 26, T0);
    read(ON_DELAY, 24.8, T0 + 1_000); // below the threshold: the condition no longer holds
    read(ON_DELAY, 26, T0 + 1_500);

    assertThat(advance(T0 + 2_000)).isEmpty();
    assertThat(evaluator.nextDeadline()).hasValue(T0 + 3_500);
    assertThat(kinds(advance(T0 + 3_500))).containsExactly(Transition.Kind.RAISED);
  }

  // --- off_delay -------------------------------------------------------------------------------

  @Test
  void offDelay_valueStaysBack_clearsOnAdvanceAfterTheDelay() {
    read(OFF_DELAY, 26, T0);

    assertThat(read(OFF_DELAY, 24, T0 + 1_000)).isEmpty();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .as("still active while the clear is pending")
        .contains(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(evaluator.nextDeadline()).hasValue(T0 + 2_000);
    assertThat(advance(T0 + 1_999)).isEmpty();

    List<Transition> cleared = advance(T0 + 2_000);

    assertThat(kinds(cleared)).containsExactly(Transition.Kind.CLEARED);
    assertThat(cleared.get(0).alarm().state()).isEqualTo(AlarmState.RETURNED_UNACKNOWLEDGED);
  }

  @Test
  void offDelay_valueComesBackBeforeTheDelay_doesNotClear() {
    read(OFF_DELAY, 26, T0);
    read(OFF_DELAY, 24, T0 + 1_000);
    read(OFF_DELAY, 24.8, T0 + 1_500); // inside the deadband again: still active

    assertThat(advance(T0 + 2_000)).isEmpty();
    assertThat(advance(T0 + 60_000)).isEmpty();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .contains(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(evaluator.nextDeadline()).isEmpty();
  }

  @Test
  void offDelay_normalReadingAfterTheDelay_clearsWithoutAdvance() {
    read(OFF_DELAY, 26, T0);
    read(OFF_DELAY, 24, T0 + 1_000);

    assertThat(kinds(read(OFF_DELAY, 23, T0 + 2_000))).containsExactly(Transition.Kind.CLEARED);
  }

  // --- every_sample ----------------------------------------------------------------------------

  @Test
  void everySample_emitsASamplePerBreachingReadingAndNothingForNormalOnes() {
    List<Transition> all = new ArrayList<>();
    all.addAll(read(EVERY_SAMPLE, 26, T0));
    all.addAll(read(EVERY_SAMPLE, 26, T0 + 1));
    all.addAll(read(EVERY_SAMPLE, 20, T0 + 2));
    all.addAll(read(EVERY_SAMPLE, 24.8, T0 + 3));
    all.addAll(read(EVERY_SAMPLE, 27, T0 + 4));

    assertThat(kinds(all))
        .containsExactly(
            Transition.Kind.SAMPLE, Transition.Kind.SAMPLE, Transition.Kind.SAMPLE);
    assertThat(all).extracting(t -> t.reading().value()).containsExactly(26.0, 26.0, 27.0);
    assertThat(all).extracting(t -> t.alarm().value()).containsExactly(26.0, 26.0, 27.0);
    assertThat(all.get(2).alarm().sinceMillis()).isEqualTo(T0 + 4);
    assertThat(evaluator.size()).as("every_sample keeps no alarm state").isZero();
    assertThat(evaluator.alarms()).isEmpty();
    assertThat(evaluator.nextDeadline()).isEmpty();
  }

  // --- ISA-18.2 acknowledgement states ---------------------------------------------------------

  @Test
  void acknowledge_activeAlarm_becomesActiveAcknowledged() {
    read(IMMEDIATE, 26, T0);
    evaluator.attachEvent(KEY, "event-1");

    Transition ack = evaluator.acknowledge("event-1", "op-7", T0 + 5_000).orElseThrow();

    assertThat(ack.kind()).isEqualTo(Transition.Kind.ACKNOWLEDGED);
    assertThat(ack.alarm().state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
    assertThat(ack.alarm().acknowledgedBy()).isEqualTo("op-7");
    assertThat(ack.alarm().eventId()).isEqualTo("event-1");
    assertThat(ack.alarm().sinceMillis()).isEqualTo(T0 + 5_000);
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .contains(AlarmState.ACTIVE_ACKNOWLEDGED);
  }

  @Test
  void clear_acknowledgedAlarm_becomesNormalAndIsForgotten() {
    read(IMMEDIATE, 26, T0);
    evaluator.attachEvent(KEY, "event-1");
    evaluator.acknowledge("event-1", "op-7", T0 + 1_000);

    List<Transition> cleared = read(IMMEDIATE, 20, T0 + 2_000);

    assertThat(kinds(cleared)).containsExactly(Transition.Kind.CLEARED);
    assertThat(cleared.get(0).alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(evaluator.size()).isZero();
    assertThat(evaluator.alarm(KEY)).isEmpty();
    assertThat(evaluator.alarms()).isEmpty();
    assertThat(evaluator.acknowledge("event-1", "op-7", T0 + 3_000))
        .as("a forgotten alarm cannot be acknowledged again")
        .isEmpty();
  }

  @Test
  void clear_unacknowledgedAlarm_isReturnedUnacknowledgedUntilAcknowledged() {
    read(IMMEDIATE, 26, T0);
    evaluator.attachEvent(KEY, "event-1");

    List<Transition> cleared = read(IMMEDIATE, 20, T0 + 1_000);

    assertThat(cleared.get(0).alarm().state()).isEqualTo(AlarmState.RETURNED_UNACKNOWLEDGED);
    assertThat(evaluator.size()).isEqualTo(1);
    assertThat(evaluator.alarms()).extracting(AlarmSnapshot::state)
        .containsExactly(AlarmState.RETURNED_UNACKNOWLEDGED);
    assertThat(read(IMMEDIATE, 19, T0 + 2_000)).as("normal readings change nothing").isEmpty();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .contains(AlarmState.RETURNED_UNACKNOWLEDGED);

    Transition ack = evaluator.acknowledge("event-1", "op-7", T0 + 3_000).orElseThrow();

    assertThat(ack.kind()).isEqualTo(Transition.Kind.ACKNOWLEDGED);
    assertThat(ack.alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(ack.alarm().acknowledgedBy()).isEqualTo("op-7");
    assertThat(evaluator.size()).isZero();
    assertThat(evaluator.alarms()).isEmpty();
  }

  @Test
  void acknowledge_twice_secondIsEmpty() {
    read(IMMEDIATE, 26, T0);
    evaluator.attachEvent(KEY, "event-1");

    assertThat(evaluator.acknowledge("event-1", "op-7", T0 + 1)).isPresent();
    assertThat(evaluator.acknowledge("event-1", "op-8", T0 + 2)).isEmpty();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::acknowledgedBy).contains("op-7");
  }

  @Test
  void acknowledge_unknownEventId_isEmptyAndChangesNothing() {
    read(IMMEDIATE, 26, T0);
    evaluator.attachEvent(KEY, "event-1");

    assertThat(evaluator.acknowledge("no-such-event", "op-7", T0 + 1)).isEmpty();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .contains(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void acknowledge_beforeAnEventIsAttached_isEmpty() {
    read(IMMEDIATE, 26, T0);

    assertThat(evaluator.acknowledge("event-1", "op-7", T0 + 1)).isEmpty();
  }

  @Test
  void attachEvent_unknownAlarm_isIgnored() {
    evaluator.attachEvent(KEY, "event-1");

    assertThat(evaluator.acknowledge("event-1", "op-7", T0)).isEmpty();
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void onReading_newExcursionAfterAcknowledgedClear_isUnacknowledgedAgain() {
    read(IMMEDIATE, 26, T0);
    evaluator.attachEvent(KEY, "event-1");
    evaluator.acknowledge("event-1", "op-7", T0 + 1);
    read(IMMEDIATE, 20, T0 + 2);

    List<Transition> raised = read(IMMEDIATE, 26, T0 + 3);

    assertThat(raised.get(0).alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(raised.get(0).alarm().acknowledgedBy()).isNull();
  }

  // --- wildcard rules ------------------------------------------------------------------------

  @Test
  void onReading_wildcardRule_keepsASeparateAlarmPerTopic() {
    String s1 = "plant/line1/s1/temperature";
    String s2 = "plant/line1/s2/temperature";

    assertThat(kinds(read(IMMEDIATE, s1, 26, T0))).containsExactly(Transition.Kind.RAISED);
    assertThat(kinds(read(IMMEDIATE, s2, 26, T0 + 1))).as("s2 raises on its own")
        .containsExactly(Transition.Kind.RAISED);
    assertThat(read(IMMEDIATE, s1, 27, T0 + 2)).isEmpty();
    assertThat(evaluator.size()).isEqualTo(2);
    assertThat(evaluator.alarms()).extracting(AlarmSnapshot::key)
        .containsExactlyInAnyOrder(
            new AlarmKey("line1-temp-high", s1), new AlarmKey("line1-temp-high", s2));

    evaluator.attachEvent(new AlarmKey("line1-temp-high", s1), "event-s1");
    evaluator.attachEvent(new AlarmKey("line1-temp-high", s2), "event-s2");
    assertThat(kinds(read(IMMEDIATE, s1, 20, T0 + 3))).containsExactly(Transition.Kind.CLEARED);
    evaluator.acknowledge("event-s1", "op-7", T0 + 4);

    assertThat(evaluator.alarm(new AlarmKey("line1-temp-high", s1))).isEmpty();
    assertThat(evaluator.alarm(new AlarmKey("line1-temp-high", s2)))
        .map(AlarmSnapshot::state)
        .contains(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(read(IMMEDIATE, s2, 27, T0 + 5)).as("s2 is still in its excursion").isEmpty();
  }

  // --- deadlines -------------------------------------------------------------------------------

  @Test
  void nextDeadline_isTheEarliestPendingDelay() {
    String s1 = "plant/line1/s1/temperature";
    String s2 = "plant/line1/s2/temperature";
    assertThat(evaluator.nextDeadline()).isEmpty();

    read(ON_DELAY, s1, 26, T0 + 500);
    read(ON_DELAY, s2, 26, T0);

    assertThat(evaluator.nextDeadline()).hasValue(T0 + 2_000);
    assertThat(advance(T0 + 2_000)).extracting(t -> t.alarm().topic()).containsExactly(s2);
    assertThat(evaluator.nextDeadline()).hasValue(T0 + 2_500);
  }

  @Test
  void nextDeadline_skipsCancelledDelays() {
    String s1 = "plant/line1/s1/temperature";
    String s2 = "plant/line1/s2/temperature";
    read(ON_DELAY, s1, 26, T0);
    read(ON_DELAY, s2, 26, T0 + 1_000);

    read(ON_DELAY, s1, 20, T0 + 1_500);

    assertThat(evaluator.nextDeadline()).hasValue(T0 + 3_000);
    read(ON_DELAY, s2, 20, T0 + 1_600);
    assertThat(evaluator.nextDeadline()).isEmpty();
  }
}
