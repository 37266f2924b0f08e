package io.floorgate.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.floorgate.rules.Comparison;
import io.floorgate.rules.Limit;
import io.floorgate.rules.Mode;
import io.floorgate.rules.Rule;
import io.floorgate.rules.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Escalation tiers: one alarm per rule and topic whose tier follows the value. */
class EvaluatorTiersTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String TOPIC = "plant/boiler/temp";

  private static final Limit H = new Limit("H", 200, Severity.WARNING, 0);
  private static final Limit HH = new Limit("HH", 250, Severity.CRITICAL, 5);
  private static final Limit L = new Limit("L", 10, Severity.WARNING, 0);
  private static final Limit LL = new Limit("LL", 5, Severity.CRITICAL, 1);

  private static Rule high(Duration onDelay, Duration offDelay, Mode mode) {
    return new Rule(
        "boiler-temp",
        "Boiler Temperature",
        List.of(TOPIC),
        "value",
        Comparison.GREATER_THAN,
        List.of(H, HH),
        onDelay,
        offDelay,
        mode,
        false,
        false);
  }

  private static final Rule HIGH = high(Duration.ZERO, Duration.ZERO, Mode.ALARM);
  private static final Rule LOW =
      new Rule(
          "boiler-temp",
          "Boiler Temperature",
          List.of(TOPIC),
          "value",
          Comparison.LESS_THAN,
          List.of(L, LL),
          Duration.ZERO,
          Duration.ZERO,
          Mode.ALARM,
          false,
          false);
  private static final AlarmKey KEY = new AlarmKey("boiler-temp", TOPIC);

  private final Evaluator evaluator = new Evaluator();

  private List<Transition> read(Rule rule, double value, long at) {
    List<Transition> out = new ArrayList<>();
    evaluator.onReading(rule, new Reading(TOPIC, value, null, null, at), at, out);
    return out;
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

  private AlarmSnapshot current() {
    return evaluator.alarm(KEY).orElseThrow();
  }

  // --- greater_than: H and HH ----------------------------------------------------------------

  @Test
  void breachOfTheLowerTier_raisesAtThatTier() {
    Transition raised = only(read(HIGH, 210, T0));

    assertThat(raised.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(raised.limit()).isEqualTo(H);
    assertThat(raised.from()).isNull();
    assertThat(raised.alarm().limit()).isEqualTo(H);
    assertThat(raised.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void breachOfTheHigherTier_raisesAgainAtThatTierFromTheLowerOne() {
    read(HIGH, 210, T0);

    Transition escalated = only(read(HIGH, 260, T0 + 1_000));

    assertThat(escalated.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(escalated.limit()).isEqualTo(HH);
    assertThat(escalated.from()).isEqualTo(H);
    assertThat(escalated.alarm().limit()).isEqualTo(HH);
    assertThat(escalated.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(evaluator.size()).as("one alarm per rule and topic, not per tier").isEqualTo(1);
  }

  @Test
  void escalation_isANewUnacknowledgedExcursion_theEarlierAckDoesNotCarryOver() {
    read(HIGH, 210, T0);
    evaluator.attachEvent(KEY, "e-H");
    assertThat(evaluator.acknowledge("e-H", "op-7", T0 + 500)).isPresent();

    Transition escalated = only(read(HIGH, 260, T0 + 1_000));

    assertThat(escalated.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(escalated.alarm().acknowledgedBy()).isNull();
    assertThat(escalated.alarm().eventId()).as("the H event raised nothing at HH").isNull();
    assertThat(escalated.alarm().sinceMillis()).isEqualTo(T0 + 1_000);
    assertThat(evaluator.acknowledge("e-H", "op-7", T0 + 1_500))
        .as("the H event no longer acknowledges the HH alarm")
        .isEmpty();

    evaluator.attachEvent(KEY, "e-HH");
    assertThat(evaluator.acknowledge("e-HH", "op-7", T0 + 2_000))
        .hasValueSatisfying(
            t -> assertThat(t.alarm().state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED));
  }

  @Test
  void valueInsideTheHigherTiersDeadband_staysAtThatTier() {
    read(HIGH, 210, T0);
    read(HIGH, 260, T0 + 1_000);

    assertThat(read(HIGH, 248, T0 + 2_000)).isEmpty();
    assertThat(read(HIGH, 245.5, T0 + 3_000)).isEmpty();
    assertThat(current().limit()).isEqualTo(HH);
  }

  @Test
  void valueBackPastTheHigherTiersDeadband_lowersToTheLowerTier() {
    read(HIGH, 210, T0);
    read(HIGH, 260, T0 + 1_000);
    read(HIGH, 248, T0 + 2_000);

    Transition lowered = only(read(HIGH, 240, T0 + 3_000));

    assertThat(lowered.kind()).isEqualTo(Transition.Kind.LOWERED);
    assertThat(lowered.limit()).isEqualTo(H);
    assertThat(lowered.from()).isEqualTo(HH);
    assertThat(lowered.alarm().limit()).isEqualTo(H);
    assertThat(lowered.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
    assertThat(read(HIGH, 245, T0 + 4_000)).as("HH must be breached again, not held").isEmpty();
  }

  @Test
  void lowering_keepsTheAcknowledgement() {
    read(HIGH, 260, T0);
    evaluator.attachEvent(KEY, "e-HH");
    evaluator.acknowledge("e-HH", "op-7", T0 + 500);

    Transition lowered = only(read(HIGH, 240, T0 + 1_000));

    assertThat(lowered.alarm().state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
    assertThat(lowered.alarm().acknowledgedBy()).isEqualTo("op-7");
    assertThat(lowered.alarm().eventId()).isEqualTo("e-HH");
  }

  @Test
  void valueBackBelowTheLowestTier_clearsFromThatTier() {
    read(HIGH, 210, T0);
    read(HIGH, 260, T0 + 1_000);
    read(HIGH, 240, T0 + 2_000);

    Transition cleared = only(read(HIGH, 150, T0 + 3_000));

    assertThat(cleared.kind()).isEqualTo(Transition.Kind.CLEARED);
    assertThat(cleared.limit()).isEqualTo(H);
    assertThat(cleared.from()).isNull();
    assertThat(cleared.alarm().limit()).isNull();
    assertThat(cleared.alarm().state()).isEqualTo(AlarmState.RETURNED_UNACKNOWLEDGED);
  }

  @Test
  void fullExcursion_emitsOneTransitionPerTierChange() {
    List<Transition> all = new ArrayList<>();
    long at = T0;
    for (double value : new double[] {150, 210, 220, 260, 270, 248, 240, 230, 150, 140}) {
      all.addAll(read(HIGH, value, at += 1_000));
    }

    assertThat(all)
        .extracting(Transition::kind, Transition::limit, Transition::from)
        .containsExactly(
            tuple(Transition.Kind.RAISED, H, null),
            tuple(Transition.Kind.RAISED, HH, H),
            tuple(Transition.Kind.LOWERED, H, HH),
            tuple(Transition.Kind.CLEARED, H, null));
  }

  @Test
  void jumpFromNormalToTheHigherTier_raisesStraightAtIt() {
    Transition raised = only(read(HIGH, 300, T0));

    assertThat(raised.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(raised.limit()).isEqualTo(HH);
    assertThat(raised.from()).isNull();
  }

  @Test
  void dropFromTheHigherTierToNormal_clearsFromIt() {
    read(HIGH, 300, T0);

    Transition cleared = only(read(HIGH, 100, T0 + 1_000));

    assertThat(cleared.kind()).isEqualTo(Transition.Kind.CLEARED);
    assertThat(cleared.limit()).isEqualTo(HH);
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state)
        .hasValue(AlarmState.RETURNED_UNACKNOWLEDGED);
  }

  // --- less_than: L and LL -------------------------------------------------------------------

  @Test
  void lessThanTiers_raiseEscalateLowerAndClearLikewise() {
    Transition raised = only(read(LOW, 8, T0));
    assertThat(raised.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(raised.limit()).isEqualTo(L);

    Transition escalated = only(read(LOW, 4, T0 + 1_000));
    assertThat(escalated.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(escalated.limit()).isEqualTo(LL);
    assertThat(escalated.from()).isEqualTo(L);

    assertThat(read(LOW, 5.5, T0 + 2_000)).as("inside LL's deadband (below 6)").isEmpty();

    Transition lowered = only(read(LOW, 6.5, T0 + 3_000));
    assertThat(lowered.kind()).isEqualTo(Transition.Kind.LOWERED);
    assertThat(lowered.limit()).isEqualTo(L);
    assertThat(lowered.from()).isEqualTo(LL);

    Transition cleared = only(read(LOW, 12, T0 + 4_000));
    assertThat(cleared.kind()).isEqualTo(Transition.Kind.CLEARED);
    assertThat(cleared.limit()).isEqualTo(L);
  }

  // --- delays --------------------------------------------------------------------------------

  @Test
  void onDelay_appliesToEscalation() {
    Rule rule = high(Duration.ofSeconds(2), Duration.ZERO, Mode.ALARM);
    assertThat(read(rule, 210, T0)).isEmpty();
    assertThat(only(advance(T0 + 2_000)).limit()).isEqualTo(H);

    assertThat(read(rule, 260, T0 + 3_000)).isEmpty();
    assertThat(current().limit()).as("still H while the escalation waits").isEqualTo(H);
    assertThat(evaluator.nextDeadline()).hasValue(T0 + 5_000);
    assertThat(read(rule, 261, T0 + 4_999)).isEmpty();
    assertThat(advance(T0 + 4_999)).isEmpty();

    Transition escalated = only(advance(T0 + 5_000));

    assertThat(escalated.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(escalated.limit()).isEqualTo(HH);
    assertThat(escalated.from()).isEqualTo(H);
    assertThat(escalated.reading().value()).as("the latest reading").isEqualTo(261);
  }

  @Test
  void onDelay_escalationShorterThanTheDelay_staysAtTheLowerTier() {
    Rule rule = high(Duration.ofSeconds(2), Duration.ZERO, Mode.ALARM);
    read(rule, 210, T0);
    advance(T0 + 2_000);

    read(rule, 260, T0 + 3_000);
    assertThat(read(rule, 230, T0 + 4_000)).isEmpty();

    assertThat(advance(T0 + 5_000)).isEmpty();
    assertThat(advance(T0 + 60_000)).isEmpty();
    assertThat(current().limit()).isEqualTo(H);
  }

  @Test
  void onDelay_doesNotDelayLoweringOrClearing() {
    Rule rule = high(Duration.ofSeconds(2), Duration.ZERO, Mode.ALARM);
    read(rule, 260, T0);
    advance(T0 + 2_000);

    assertThat(only(read(rule, 240, T0 + 3_000)).kind()).isEqualTo(Transition.Kind.LOWERED);
    assertThat(only(read(rule, 150, T0 + 4_000)).kind()).isEqualTo(Transition.Kind.CLEARED);
  }

  @Test
  void offDelay_appliesToLoweringAndClearing_notToEscalation() {
    Rule rule = high(Duration.ZERO, Duration.ofSeconds(1), Mode.ALARM);
    read(rule, 210, T0);
    assertThat(only(read(rule, 260, T0 + 1_000)).limit()).as("escalates at once").isEqualTo(HH);

    assertThat(read(rule, 240, T0 + 2_000)).isEmpty();
    assertThat(current().limit()).isEqualTo(HH);
    assertThat(advance(T0 + 2_999)).isEmpty();
    Transition lowered = only(advance(T0 + 3_000));
    assertThat(lowered.kind()).isEqualTo(Transition.Kind.LOWERED);
    assertThat(lowered.limit()).isEqualTo(H);
    assertThat(lowered.from()).isEqualTo(HH);

    assertThat(read(rule, 150, T0 + 4_000)).isEmpty();
    assertThat(current().limit()).isEqualTo(H);
    Transition cleared = only(advance(T0 + 5_000));
    assertThat(cleared.kind()).isEqualTo(Transition.Kind.CLEARED);
    assertThat(cleared.limit()).isEqualTo(H);
  }

  // --- every_sample --------------------------------------------------------------------------

  @Test
  void everySample_emitsASampleAtTheHighestTierBreached() {
    Rule rule = high(Duration.ZERO, Duration.ZERO, Mode.EVERY_SAMPLE);
    List<Transition> all = new ArrayList<>();
    all.addAll(read(rule, 210, T0));
    all.addAll(read(rule, 260, T0 + 1));
    all.addAll(read(rule, 248, T0 + 2));
    all.addAll(read(rule, 150, T0 + 3));

    assertThat(all).extracting(Transition::kind).containsOnly(Transition.Kind.SAMPLE);
    assertThat(all).extracting(Transition::limit).containsExactly(H, HH, H);
    assertThat(all).extracting(t -> t.alarm().limit()).containsExactly(H, HH, H);
    assertThat(evaluator.size()).isZero();
  }
}
