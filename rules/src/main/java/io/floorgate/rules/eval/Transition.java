package io.floorgate.rules.eval;

import io.floorgate.rules.Rule;

/**
 * Something the gateway must announce: an alarm raised, cleared or acknowledged, or (for {@code
 * every_sample} rules) a breaching sample.
 *
 * @param kind what happened
 * @param rule the rule
 * @param reading the reading that caused it (for a delayed raise or clear, the latest reading)
 * @param alarm the alarm after the transition (for {@link Kind#SAMPLE}: a normal placeholder)
 */
public record Transition(Kind kind, Rule rule, Reading reading, AlarmSnapshot alarm) {
  /** What happened. */
  public enum Kind {
    /** The condition held (for {@code on_delay}): one event per excursion. */
    RAISED,
    /** The value returned past the deadband (for {@code off_delay}). */
    CLEARED,
    /** An operator acknowledged the alarm. */
    ACKNOWLEDGED,
    /** An {@code every_sample} rule saw a breaching sample. */
    SAMPLE
  }
}
