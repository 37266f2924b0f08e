package io.floorgate.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.rules.Comparison;
import io.floorgate.rules.Limit;
import io.floorgate.rules.Mode;
import io.floorgate.rules.Rule;
import io.floorgate.rules.RuleSet;
import io.floorgate.rules.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules changing under the evaluator: out of service, {@code replaceRules}, {@code restore}. */
class EvaluatorReloadTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String ID = "line1-temp-high";
  private static final String FILTER = "plant/line1/+/temperature";
  private static final String TOPIC = "plant/line1/s1/temperature";
  private static final AlarmKey KEY = new AlarmKey(ID, TOPIC);

  private static Rule rule(String name, double threshold, Severity severity) {
    return new Rule(
        ID,
        name,
        List.of(FILTER),
        "value",
        Comparison.GREATER_THAN,
        threshold,
        severity,
        0.5,
        Duration.ZERO,
        Duration.ZERO,
        Mode.ALARM);
  }

  private static final Rule RULE = rule("Production Line Temperature", 25, Severity.WARNING);
  private static final Rule OTHER =
      Rule.of("pressure-low", "plant/pressure", "value", Comparison.LESS_THAN, 2);

  private static final Limit H = new Limit("H", 200, Severity.WARNING, 0);
  private static final Limit HH = new Limit("HH", 250, Severity.CRITICAL, 5);

  private static Rule tiered(boolean latch) {
    return new Rule(
        ID,
        "Boiler",
        List.of(FILTER),
        "value",
        Comparison.GREATER_THAN,
        List.of(H, HH),
        Duration.ZERO,
        Duration.ZERO,
        Mode.ALARM,
        latch,
        false);
  }

  private final Evaluator evaluator = new Evaluator();

  private List<Transition> read(Rule rule, double value, long at) {
    List<Transition> out = new ArrayList<>();
    evaluator.onReading(rule, new Reading(TOPIC, value, null, null, at), at, out);
    return out;
  }

  private List<Transition> replace(long at, Rule... rules) {
    List<Transition> out = new ArrayList<>();
    evaluator.replaceRules(RuleSet.of(List.of(rules)), at, out);
    return out;
  }

  private static Transition only(List<Transition> transitions) {
    assertThat(transitions).hasSize(1);
    return transitions.get(0);
  }

  /** Raised at T0 with event e-1 attached and acknowledged by op-7. */
  private void raiseAndAcknowledge() {
    read(RULE, 26, T0);
    evaluator.attachEvent(KEY, "e-1");
    evaluator.acknowledge("e-1", "op-7", T0 + 500);
  }

  // --- out of service ------------------------------------------------------------------------

  @Test
  void outOfServiceRule_readingsProduceNothing() {
    Rule parked = RULE.withOutOfService(true);

    assertThat(read(parked, 26, T0)).isEmpty();
    assertThat(read(parked, 20, T0 + 1_000)).isEmpty();
    assertThat(read(parked, 30, T0 + 2_000)).isEmpty();

    assertThat(evaluator.size()).isZero();
    assertThat(evaluator.alarms()).isEmpty();
    assertThat(evaluator.nextDeadline()).isEmpty();
  }

  @Test
  void outOfServiceEverySampleRule_emitsNoSamples() {
    Rule parked =
        new Rule(
                ID,
                ID,
                List.of(FILTER),
                "value",
                Comparison.GREATER_THAN,
                25,
                null,
                0,
                Duration.ZERO,
                Duration.ZERO,
                Mode.EVERY_SAMPLE)
            .withOutOfService(true);

    assertThat(read(parked, 26, T0)).isEmpty();
  }

  // --- replaceRules --------------------------------------------------------------------------

  @Test
  void replaceRules_sameCondition_keepsTheAlarmAndTakesTheNewNameAndSeverity() {
    raiseAndAcknowledge();
    Rule renamed = rule("Line 1 temperature", 25, Severity.CRITICAL);

    assertThat(replace(T0 + 1_000, renamed, OTHER)).isEmpty();

    assertThat(evaluator.alarm(KEY))
        .hasValueSatisfying(
            a -> {
              assertThat(a.state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
              assertThat(a.acknowledgedBy()).isEqualTo("op-7");
              assertThat(a.eventId()).isEqualTo("e-1");
              assertThat(a.sinceMillis()).isEqualTo(T0 + 500);
              assertThat(a.rule()).isEqualTo(renamed);
            });
    assertThat(read(renamed, 26, T0 + 2_000)).as("still the same excursion").isEmpty();
    Transition cleared = only(read(renamed, 20, T0 + 3_000));
    assertThat(cleared.kind()).isEqualTo(Transition.Kind.CLEARED);
    assertThat(cleared.rule().name()).isEqualTo("Line 1 temperature");
    assertThat(cleared.limit().severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void replaceRules_sameCondition_operatorActionsSeeTheNewRule() {
    read(RULE, 26, T0);
    evaluator.attachEvent(KEY, "e-1");
    Rule renamed = rule("Line 1 temperature", 25, Severity.CRITICAL);
    replace(T0 + 1_000, renamed);

    Transition ack = evaluator.acknowledge("e-1", "op-7", T0 + 2_000).orElseThrow();

    assertThat(ack.rule()).isEqualTo(renamed);
    assertThat(ack.alarm().rule()).isEqualTo(renamed);
  }

  @Test
  void replaceRules_changedThreshold_removesTheAlarmSayingTheConditionChanged() {
    raiseAndAcknowledge();
    Rule raised = rule("Production Line Temperature", 30, Severity.WARNING);

    Transition removed = only(replace(T0 + 1_000, raised));

    assertThat(removed.kind()).isEqualTo(Transition.Kind.REMOVED);
    assertThat(removed.note()).contains("rule '" + ID + "'").contains("changed its condition");
    assertThat(removed.alarm().key()).isEqualTo(KEY);
    assertThat(removed.alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(removed.alarm().sinceMillis()).isEqualTo(T0 + 1_000);
    assertThat(evaluator.alarm(KEY)).isEmpty();
    assertThat(evaluator.size()).isZero();
    assertThat(evaluator.acknowledge("e-1", "op-8", T0 + 2_000)).isEmpty();
    assertThat(read(raised, 26, T0 + 2_000)).as("evaluated afresh: 26 is below 30").isEmpty();
    assertThat(only(read(raised, 31, T0 + 3_000)).kind()).isEqualTo(Transition.Kind.RAISED);
  }

  @Test
  void replaceRules_removedRule_removesTheAlarmSayingSo() {
    raiseAndAcknowledge();

    Transition removed = only(replace(T0 + 1_000, OTHER));

    assertThat(removed.kind()).isEqualTo(Transition.Kind.REMOVED);
    assertThat(removed.note()).isEqualTo("rule '" + ID + "' was removed");
    assertThat(removed.rule()).isEqualTo(RULE);
    assertThat(removed.alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void replaceRules_ruleOutOfService_removesTheAlarm() {
    raiseAndAcknowledge();

    Transition removed = only(replace(T0 + 1_000, RULE.withOutOfService(true)));

    assertThat(removed.kind()).isEqualTo(Transition.Kind.REMOVED);
    assertThat(removed.note()).isEqualTo("rule '" + ID + "' is out of service");
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void replaceRules_returnedUnacknowledgedAlarmOfARemovedRule_isRemovedToo() {
    read(RULE, 26, T0);
    read(RULE, 20, T0 + 1_000);

    Transition removed = only(replace(T0 + 2_000));

    assertThat(removed.kind()).isEqualTo(Transition.Kind.REMOVED);
    assertThat(evaluator.alarms()).isEmpty();
  }

  @Test
  void replaceRules_changedRuleWithOnlyAPendingRaise_dropsItWithoutAnnouncingAnything() {
    // Never raised, so there is nothing to take back: a REMOVED would announce a clear of an alarm
    // no one ever saw.
    Rule delayed =
        new Rule(ID, ID, List.of(FILTER), "value", Comparison.GREATER_THAN, 25, null, 0,
            Duration.ofSeconds(5), Duration.ZERO, Mode.ALARM);
    read(delayed, 26, T0);

    assertThat(replace(T0 + 1_000, rule(ID, 30, Severity.WARNING))).isEmpty();

    assertThat(evaluator.size()).isZero();
    assertThat(evaluator.nextDeadline()).isEmpty();
    List<Transition> out = new ArrayList<>();
    evaluator.advance(T0 + 5_000, out);
    assertThat(out).isEmpty();
  }

  @Test
  void replaceRules_pendingRaiseOfAnUnchangedRule_stillRaisesAfterItsDelay() {
    Rule delayed =
        new Rule(ID, ID, List.of(FILTER), "value", Comparison.GREATER_THAN, 25, null, 0.5,
            Duration.ofSeconds(5), Duration.ZERO, Mode.ALARM);
    read(delayed, 26, T0);

    assertThat(replace(T0 + 1_000, delayed, OTHER)).isEmpty();

    List<Transition> out = new ArrayList<>();
    evaluator.advance(T0 + 5_000, out);
    assertThat(out).extracting(Transition::kind).containsExactly(Transition.Kind.RAISED);
  }

  @Test
  void replaceRules_shelvingOfARemovedRuleEnds() {
    evaluator.shelve(new Shelf(ID, null, T0 + 60_000, "maintenance", "op-7"), T0);
    evaluator.shelve(new Shelf("pressure-low", null, T0 + 60_000, "maintenance", "op-7"), T0);

    replace(T0 + 1_000, OTHER);

    assertThat(evaluator.shelves()).extracting(Shelf::ruleId).containsExactly("pressure-low");
    assertThat(only(read(RULE, 26, T0 + 2_000)).kind())
        .as("the rule added back is not silenced")
        .isEqualTo(Transition.Kind.RAISED);
  }

  @Test
  void replaceRules_shelvedAlarmOfARemovedRule_isRemovedAndItsShelvingEnds() {
    read(RULE, 26, T0);
    evaluator.shelve(new Shelf(ID, null, T0 + 60_000, "maintenance", "op-7"), T0 + 500);

    Transition removed = only(replace(T0 + 1_000));

    assertThat(removed.kind()).isEqualTo(Transition.Kind.REMOVED);
    assertThat(evaluator.shelves()).isEmpty();
    assertThat(evaluator.nextDeadline()).isEmpty();
    List<Transition> out = new ArrayList<>();
    evaluator.advance(T0 + 60_000, out);
    assertThat(out).isEmpty();
  }

  @Test
  void replaceRules_shelvingOfAnUnchangedRuleStays() {
    Shelf shelf = new Shelf(ID, null, T0 + 60_000, "maintenance", "op-7");
    read(RULE, 26, T0);
    evaluator.shelve(shelf, T0 + 500);

    assertThat(replace(T0 + 1_000, RULE)).isEmpty();

    assertThat(evaluator.shelves()).containsExactly(shelf);
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::state).hasValue(AlarmState.SHELVED);
  }

  @Test
  void replaceRules_tieredAlarm_keepsItsTierWhenUnchanged_andIsRemovedWhenATierChanges() {
    Rule tiered = tiered(false);
    read(tiered, 260, T0);

    assertThat(replace(T0 + 1_000, tiered)).isEmpty();
    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::limit).hasValue(HH);

    Rule moved =
        new Rule(ID, "Boiler", List.of(FILTER), "value", Comparison.GREATER_THAN,
            List.of(H, new Limit("HH", 255, Severity.CRITICAL, 5)), Duration.ZERO, Duration.ZERO,
            Mode.ALARM, false, false);
    Transition removed = only(replace(T0 + 2_000, moved));

    assertThat(removed.kind()).isEqualTo(Transition.Kind.REMOVED);
    assertThat(removed.limit()).isEqualTo(HH);
  }

  // --- restore -------------------------------------------------------------------------------

  @Test
  void restore_atATier_continuesFromThatTier() {
    Rule tiered = tiered(false);
    evaluator.restore(
        tiered, TOPIC, AlarmState.ACTIVE_UNACKNOWLEDGED, "HH", false,
        260, T0, "e-1", null);

    assertThat(evaluator.alarm(KEY))
        .hasValueSatisfying(
            a -> {
              assertThat(a.limit()).isEqualTo(HH);
              assertThat(a.state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
              assertThat(a.latched()).isFalse();
            });
    assertThat(read(tiered, 248, T0 + 1_000)).as("inside HH's deadband").isEmpty();
    Transition lowered = only(read(tiered, 240, T0 + 2_000));
    assertThat(lowered.kind()).isEqualTo(Transition.Kind.LOWERED);
    assertThat(lowered.from()).isEqualTo(HH);
    assertThat(lowered.limit()).isEqualTo(H);
    assertThat(evaluator.acknowledge("e-1", "op-7", T0 + 3_000)).isPresent();
  }

  @Test
  void restore_atTheLowerTier_escalatesOnAHigherValue() {
    Rule tiered = tiered(false);
    evaluator.restore(
        tiered, TOPIC, AlarmState.ACTIVE_ACKNOWLEDGED, "H", false,
        210, T0, "e-1", "op-7");

    assertThat(read(tiered, 220, T0 + 1_000)).isEmpty();
    Transition escalated = only(read(tiered, 260, T0 + 2_000));

    assertThat(escalated.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(escalated.from()).isEqualTo(H);
    assertThat(escalated.limit()).isEqualTo(HH);
    assertThat(escalated.alarm().state()).isEqualTo(AlarmState.ACTIVE_UNACKNOWLEDGED);
  }

  @Test
  void restore_latched_staysLatchedUntilReset() {
    Rule latching = tiered(true);
    evaluator.restore(
        latching, TOPIC, AlarmState.ACTIVE_ACKNOWLEDGED, "HH", true,
        150, T0, "e-1", "op-7");

    assertThat(evaluator.alarm(KEY))
        .hasValueSatisfying(
            a -> {
              assertThat(a.latched()).isTrue();
              assertThat(a.state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
              assertThat(a.limit()).as("the value has returned").isNull();
            });
    assertThat(read(latching, 150, T0 + 1_000)).as("a normal reading does not unlatch").isEmpty();

    Transition reset = only(evaluator.reset(ID, null, "op-8", T0 + 2_000));

    assertThat(reset.kind()).isEqualTo(Transition.Kind.RESET);
    assertThat(reset.alarm().state()).isEqualTo(AlarmState.NORMAL);
    assertThat(evaluator.size()).isZero();
  }

  @Test
  void restore_latched_newBreachRaisesAgain() {
    Rule latching = tiered(true);
    evaluator.restore(
        latching, TOPIC, AlarmState.ACTIVE_UNACKNOWLEDGED, "H", true,
        150, T0, "e-1", null);

    Transition raised = only(read(latching, 210, T0 + 1_000));

    assertThat(raised.kind()).isEqualTo(Transition.Kind.RAISED);
    assertThat(raised.limit()).isEqualTo(H);
    assertThat(raised.alarm().latched()).isFalse();
  }

  @Test
  void restore_latchedForARuleThatNoLongerLatches_isAnOrdinaryActiveAlarm() {
    Rule plain = tiered(false);
    evaluator.restore(
        plain, TOPIC, AlarmState.ACTIVE_UNACKNOWLEDGED, "H", true,
        150, T0, "e-1", null);

    assertThat(evaluator.alarm(KEY)).map(AlarmSnapshot::latched).hasValue(false);
    assertThat(evaluator.reset(ID, null, "op-8", T0 + 1_000)).isEmpty();
    assertThat(only(read(plain, 150, T0 + 2_000)).kind()).isEqualTo(Transition.Kind.CLEARED);
  }

  @Test
  void restore_outOfServiceRule_isIgnored() {
    evaluator.restore(
        RULE.withOutOfService(true), TOPIC, AlarmState.ACTIVE_UNACKNOWLEDGED, "", false,
        26, T0, "e-1", null);

    assertThat(evaluator.size()).isZero();
  }
}
