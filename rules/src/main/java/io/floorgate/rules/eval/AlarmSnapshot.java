package io.floorgate.rules.eval;

import io.floorgate.rules.Limit;
import io.floorgate.rules.Rule;
import org.jspecify.annotations.Nullable;

/**
 * An alarm as it stands after a transition: what the retained {@code alarms/...} topic shows.
 *
 * @param rule the rule, as it was when the alarm last changed
 * @param topic the telemetry topic
 * @param state the ISA-18.2 state
 * @param value the last value the alarm saw
 * @param sinceMillis when the alarm entered {@code state} (epoch milliseconds)
 * @param eventId the id of the event that raised it, once the gateway attached it
 * @param acknowledgedBy who acknowledged it, if anyone did
 * @param limit the tier in effect, or null when the condition is normal
 * @param latched the value returned but the rule latches: it stays active until reset
 * @param shelf the shelving in force, if any
 */
public record AlarmSnapshot(
    Rule rule,
    String topic,
    AlarmState state,
    double value,
    long sinceMillis,
    @Nullable String eventId,
    @Nullable String acknowledgedBy,
    @Nullable Limit limit,
    boolean latched,
    @Nullable Shelf shelf) {

  public AlarmKey key() {
    return new AlarmKey(rule.id(), topic);
  }
}
