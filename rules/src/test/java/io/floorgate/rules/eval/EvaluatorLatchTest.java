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

/** {@code latch: true}: an alarm whose value returned stays active until an operator resets it. */
class EvaluatorLatchTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String S1 = "plant/line1/s1/temperature";
  private static final String S2 = "plant/line1/s2/temperature";
  private static final Limit LIMIT = new Limit("", 25, Severity.WARNING, 0.5);

  /** Above 25 latches; back at 24.5 or below the value has returned. */
  private static final Rule LATCHING = latching(List.of(LIMIT));

  private static Rule latching(List<Limit> limits) {
    return new Rule(
        "line1-temp-high",
        "Production Line Temperature",
        List.of("plant/line1/+/temperature"),
        "value",
        Comparison.GREATER_THAN,
        limits,
        Duration.ZERO,
        Duration.ZERO,
        Mode.ALARM,
        true,
        false);
  }

  private static final AlarmKey KEY = new AlarmKey("line1-temp-high", S1);

  private final Evaluator evaluator = new Evaluator();

  private List<Transition> read(Rule rule, String topic, double value, long at) {
    List<Transition> out = new ArrayList<>();
    evaluator.onReading(rule, new Reading(topic, value, null, null, at), at, out);
    return out;
  }

  private List<Transition> read(double value, long at) {
    return read(LATCHING, S1, value, at);
  }

  private static Transition only(List<Transition> transitions) {
    assertThat(transitions).hasSize(1);
    return transitions.get(0);
  }

  /** Raised at T0 (event e-1 attached), returned at T0 + 1 s: latched, unacknowledged. */
  private void raiseAndReturn() {
    read(26, T0);
    evaluator.attachEvent(KEY, "e-1");
    read(20, T0 + 1_000);
  }

  @Test
  void valueReturns_clearsButTheAlarmStaysActiveAndLatched() {
    read(26, T0);

    Transition cleared = only(read(20, T0 + 1_000));

    assertThat(cleared.kind()).isEqualTo(Transition.Kind.CLEARED);
    assertThat(cleared.limit()).isEqualTo(LIMIT);
    assertThat(cleared.alarm().latched()).isTrue();
    assertThat(cleared.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(evaluator.alarms())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.key()).isEqualTo(KEY);
              assertThat(a.latched()).isTrue();
              assertThat(a.state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
            });
  }

  @Test
  void latched_normalReadingsChangeNothing() {
    raiseAndReturn();

    assertThat(read(20, T0 + 2_000)).isEmpty();
    assertThat(read(24.9, T0 + 3_000)).as("inside the deadband").isEmpty();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::latched).hasValue(true);
  }

  @Test
  void latched_acknowledge_isActiveAcknowledgedAndStillLatched() {
    raiseAndReturn();

    Transition ack = evaluator.acknowledge("e-1", "op-7", T0 + 2_000).orElseThrow();

    assertThat(ack.kind()).isEqualTo(Transition.Kind.ACKNOWLEDGED);
    assertThat(ack.alarm().state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
    assertThat(ack.alarm().latched()).isTrue();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .hasValue(AlarmState.ACTIVE_ACKNOWLEDGED);
  }

  @Test
  void reset_ofAnAcknowledgedLatchedAlarm_makesItNormalAndForgetsIt() {
    raiseAndReturn();
    evaluator.acknowledge("e-1", "op-7", T0 + 2_000);

    Transition reset = only(evaluator.reset("line1-temp-high", null, "op-8", T0 + 3_000));

    assertThat(reset.kind()).isEqualTo(Transition.Kind.RESET);
    assertThat(reset.note()).isEqualTo("reset by op-8");
    assertThat(reset.alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(reset.alarm().latched()).isFalse();
    assertThat(reset.alarm().sinceMillis()).isEqualTo(T0 + 3_000);
    assertThat(evaluator.alarm(KEY)).isEmpty();
    assertThat(evaluator.alarms()).isEmpty();
    assertThat(evaluator.size()).isZero();
    assertThat(evaluator.reset("line1-temp-high", null, "op-8", T0 + 4_000)).isEmpty();
  }

  @Test
  void reset_ofAnUnacknowledgedLatchedAlarm_isReturnedUnacknowledgedUntilAcknowledged() {
    raiseAndReturn();

    Transition reset = only(evaluator.reset("line1-temp-high", null, "op-8", T0 + 2_000));

    assertThat(reset.kind()).isEqualTo(Transition.Kind.RESET);
    assertThat(reset.alarm().state()).isEqualTo(AlarmState.RETURNED_UNACKNOWLEDGED);
    assertThat(reset.alarm().latched()).isFalse();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .hasValue(AlarmState.RETURNED_UNACKNOWLEDGED);

    Transition ack = evaluator.acknowledge("e-1", "op-7", T0 + 3_000).orElseThrow();
    assertThat(ack.alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void reset_whenNothingIsLatched_isEmpty() {
    assertThat(evaluator.reset("line1-temp-high", null, "op-8", T0)).as("no alarm").isEmpty();

    read(26, T0);

    assertThat(evaluator.reset("line1-temp-high", null, "op-8", T0 + 1_000))
        .as("still active: there is nothing to reset")
        .isEmpty();
    assertThat(evaluator.reset("other-rule", null, "op-8", T0 + 1_000)).isEmpty();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .hasValue(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void reset_ofOneTopic_leavesTheOtherTopicsLatched() {
    read(LATCHING, S1, 26, T0);
    read(LATCHING, S2, 26, T0);
    read(LATCHING, S1, 20, T0 + 1_000);
    read(LATCHING, S2, 20, T0 + 1_000);

    List<Transition> reset = evaluator.reset("line1-temp-high", S1, "op-8", T0 + 2_000);

    assertThat(reset).extracting(t -> t.alarm().topic()).containsExactly(S1);
    assertThat(evaluator.alarm(new AlarmKey("line1-temp-high", S2)))
        .map(AlarmSnapshot::latched)
        .hasValue(true);
  }

  @Test
  void newBreachWhileLatched_raisesAgainAsANewUnacknowledgedExcursion() {
    raiseAndReturn();
    evaluator.acknowledge("e-1", "op-7", T0 + 2_000);

    Transition raised = only(read(27, T0 + 3_000));

    assertThat(raised.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(raised.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(raised.alarm().latched()).as("active again, not latched").isFalse();
    assertThat(raised.alarm().acknowledgedBy()).isNull();
    assertThat(evaluator.reset("line1-temp-high", null, "op-8", T0 + 4_000)).isEmpty();
    assertThat(only(read(20, T0 + 5_000)).alarm().latched()).isTrue();
  }

  @Test
  void tieredLatchingRule_latchesWhenTheValueReturnsFromAnyTier() {
    Limit h = new Limit("H", 25, Severity.WARNING, 0);
    Limit hh = new Limit("HH", 30, Severity.CRITICAL, 0);
    Rule rule = latching(List.of(h, hh));
    read(rule, S1, 31, T0);

    Transition cleared = only(read(rule, S1, 20, T0 + 1_000));

    assertThat(cleared.kind()).isEqualTo(Transition.Kind.CLEARED);
    assertThat(cleared.limit()).isEqualTo(hh);
    assertThat(cleared.alarm().latched()).isTrue();
    assertThat(cleared.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void nonLatchingRule_isNeverLatched() {
    Rule plain =
        new Rule(
            "line1-temp-high",
            "T",
            List.of("plant/line1/+/temperature"),
            "value",
            Comparison.GREATER_THAN,
            25,
            null,
            0.5,
            Duration.ZERO,
            Duration.ZERO,
            Mode.ALARM);
    read(plain, S1, 26, T0);

    Transition cleared = only(read(plain, S1, 20, T0 + 1_000));

    assertThat(cleared.alarm().latched()).isFalse();
    assertThat(cleared.alarm().state()).isEqualTo(AlarmState.RETURNED_UNACKNOWLEDGED);
    assertThat(evaluator.reset("line1-temp-high", null, "op-8", T0 + 2_000)).isEmpty();
  }
}
