package io.floorgate.rules.eval;

import org.jspecify.annotations.Nullable;

/**
 * An operator's shelving of a rule's alarms (ISA-18.2): they keep evaluating but announce nothing
 * until {@code untilMillis}, when they unshelve by themselves.
 *
 * @param ruleId the rule
 * @param topic one alarm's telemetry topic, or null for every alarm of the rule
 * @param untilMillis when it ends (epoch milliseconds)
 * @param reason why, as the operator said
 * @param by who shelved
 */
public record Shelf(
    String ruleId, @Nullable String topic, long untilMillis, String reason, String by) {

  boolean covers(String ruleId, String topic) {
    return this.ruleId.equals(ruleId) && (this.topic == null || this.topic.equals(topic));
  }
}
