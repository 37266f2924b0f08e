package io.floorgate.rules.eval;

/**
 * Identifies one alarm: a rule and the telemetry topic it fired on. A rule whose topic filter has
 * wildcards has one alarm per matching topic.
 */
public record AlarmKey(String ruleId, String topic) {
  @Override
  public String toString() {
    return ruleId + "@" + topic;
  }
}
