package io.floorgate.rules;

import io.floorgate.rules.topic.TopicFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A threshold rule: which topics it watches, where the value is, what breaches, and how the alarm
 * behaves. Built by {@link RuleFile} from a rule file; the canonical constructor checks the same
 * invariants for rules built in code.
 *
 * @param id unique, used in the alarm topic {@code alarms/{id}}: letters, digits, {@code _ . : -}
 * @param name the event's {@code parameter} (defaults to the id)
 * @param topics MQTT topic filters the rule watches (one for native rules; the configured state
 *     topics for the seed's {@code PARAMETER_THRESHOLDS})
 * @param path dotted path of the value in a JSON payload; {@code ""} means the payload is the
 *     number (a bare-number payload is taken as the value whatever the path)
 * @param comparison how the value is compared with the threshold
 * @param threshold the limit (the seed's {@code value})
 * @param severity the events' severity, or null for the configured {@code default_alert_severity}
 * @param deadband hysteresis: how far back past the threshold the value must return to clear
 * @param onDelay how long the condition must hold before the alarm raises
 * @param offDelay how long the value must stay returned before the alarm clears
 * @param mode alarm (default) or every sample
 */
public record Rule(
    String id,
    String name,
    List<String> topics,
    String path,
    Comparison comparison,
    double threshold,
    @Nullable Severity severity,
    double deadband,
    Duration onDelay,
    Duration offDelay,
    Mode mode) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final Pattern PATH = Pattern.compile("|[^.]+(\\.[^.]+)*");

  public Rule {
    Objects.requireNonNull(comparison, "comparison");
    Objects.requireNonNull(mode, "mode");
    topics = List.copyOf(topics);
    List<String> errors = new ArrayList<>();
    addIfPresent(errors, idError(id));
    if (name.isBlank()) {
      errors.add("name must not be blank");
    }
    if (topics.isEmpty()) {
      errors.add("topic is required");
    }
    for (String topic : topics) {
      addIfPresent(errors, topicError(topic));
    }
    addIfPresent(errors, pathError(path));
    addIfPresent(errors, thresholdError(threshold));
    addIfPresent(errors, deadbandError(deadband));
    addIfPresent(errors, delayError("on_delay", onDelay));
    addIfPresent(errors, delayError("off_delay", offDelay));
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("rule '" + id + "': " + String.join("; ", errors));
    }
  }

  /** A rule with the defaults: no deadband, no delays, alarm mode, severity from configuration. */
  public static Rule of(
      String id, String topic, String path, Comparison comparison, double threshold) {
    return new Rule(
        id,
        id,
        List.of(topic),
        path,
        comparison,
        threshold,
        null,
        0,
        Duration.ZERO,
        Duration.ZERO,
        Mode.ALARM);
  }

  /** True when the condition part (what is compared, against what) equals {@code other}'s. */
  public boolean sameCondition(Rule other) {
    return id.equals(other.id)
        && topics.equals(other.topics)
        && path.equals(other.path)
        && comparison == other.comparison
        && Double.compare(threshold, other.threshold) == 0
        && Double.compare(deadband, other.deadband) == 0
        && mode == other.mode;
  }

  // Validators, shared with RuleFile so that file problems and code problems read the same.

  static @Nullable String idError(String id) {
    if (ID.matcher(id).matches()) {
      return null;
    }
    return "id must be 1 to 128 letters, digits, '_', '.', ':' or '-', but was '" + id + "'";
  }

  static @Nullable String topicError(String topic) {
    String error = TopicFilter.filterError(topic);
    return error == null ? null : "topic is not a valid MQTT topic filter: " + error;
  }

  static @Nullable String pathError(String path) {
    if (PATH.matcher(path).matches()) {
      return null;
    }
    return "path must be dotted names such as 'production_line.temperature' (or '' for a bare"
        + " number), but was '"
        + path
        + "'";
  }

  static @Nullable String thresholdError(double threshold) {
    return Double.isFinite(threshold) ? null : "value must be a finite number, but was " + threshold;
  }

  static @Nullable String deadbandError(double deadband) {
    return Double.isFinite(deadband) && deadband >= 0
        ? null
        : "deadband must be >= 0, but was " + deadband;
  }

  /** The longest delay a rule may have: longer ones are almost certainly a unit mistake. */
  static final Duration MAX_DELAY = Duration.ofDays(1);

  static @Nullable String delayError(String field, Duration delay) {
    if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
      return field + " must be between 0 and 24h, but was " + delay;
    }
    return null;
  }

  private static void addIfPresent(List<String> errors, @Nullable String error) {
    if (error != null) {
      errors.add(error);
    }
  }
}
