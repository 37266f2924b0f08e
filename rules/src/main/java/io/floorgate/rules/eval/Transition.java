package io.floorgate.rules.eval;

import io.floorgate.rules.Limit;
import io.floorgate.rules.Rule;
import org.jspecify.annotations.Nullable;

/**
 * Something the gateway must announce: an alarm's change of state, or (for {@code every_sample}
 * rules) a breaching sample.
 *
 * @param kind what happened
 * @param rule the rule
 * @param reading the reading that caused it (for a delayed or operator transition, the latest)
 * @param alarm the alarm after the transition
 * @param limit the tier the transition is about: raised to, lowered to, or cleared from
 * @param from for an escalation or a lowering, the tier before; else null
 * @param note why, for operator and reload transitions (a shelving's reason, "rule removed")
 */
public record Transition(
    Kind kind,
    Rule rule,
    Reading reading,
    AlarmSnapshot alarm,
    Limit limit,
    @Nullable Limit from,
    @Nullable String note) {

  /** What happened. */
  public enum Kind {
    /** The condition held (after {@code on_delay}): raised, escalated, or re-announced. */
    RAISED,
    /** Escalation tiers only: the value fell back below a higher tier but still breaches. */
    LOWERED,
    /** The value returned past the deadband (after {@code off_delay}); latched if the rule latches. */
    CLEARED,
    /** An operator acknowledged the alarm. */
    ACKNOWLEDGED,
    /** An operator shelved the alarm. */
    SHELVED,
    /** The shelving ended (by an operator, or its time ran out) and nothing was re-announced. */
    UNSHELVED,
    /** An operator reset a latched alarm. */
    RESET,
    /** A reload removed or changed the rule (or took it out of service): the alarm is dropped. */
    REMOVED,
    /** An {@code every_sample} rule saw a breaching sample. */
    SAMPLE
  }
}
