package io.floorgate.rules;

import io.floorgate.rules.topic.TopicFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * @param comparison how the value is compared with the thresholds
 * @param limits one limit, or escalation tiers from the least to the most severe (H then HH for
 *     greater comparisons, L then LL for less comparisons)
 * @param onDelay how long the condition must hold before the alarm raises or escalates
 * @param offDelay how long the value must stay returned before the alarm clears or de-escalates
 * @param mode alarm (default) or every sample
 * @param latch when true, an alarm whose value returned stays active until an operator resets it
 * @param outOfService when true, the rule is not evaluated (ISA-18.2 out of service)
 */
public record Rule(
    String id,
    String name,
    List<String> topics,
    String path,
    Comparison comparison,
    List<Limit> limits,
    Duration onDelay,
    Duration offDelay,
    Mode mode,
    boolean latch,
    boolean outOfService) {

  public Rule {
    Objects.requireNonNull(comparison, "comparison");
    Objects.requireNonNull(mode, "mode");
    topics = List.copyOf(topics);
    limits = List.copyOf(limits);
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
    errors.addAll(limitErrors(comparison, limits));
    addIfPresent(errors, delayError("on_delay", onDelay));
    addIfPresent(errors, delayError("off_delay", offDelay));
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("rule '" + id + "': " + String.join("; ", errors));
    }
  }

  /** A rule with one limit, not latching, in service. */
  public Rule(
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
    this(
        id,
        name,
        topics,
        path,
        comparison,
        List.of(new Limit("", threshold, severity, deadband)),
        onDelay,
        offDelay,
        mode,
        false,
        false);
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

  /** The first (least severe) limit's threshold: the rule's threshold when it has one limit. */
  public double threshold() {
    return limits.get(0).threshold();
  }

  /** The first (least severe) limit's severity. */
  public @Nullable Severity severity() {
    return limits.get(0).severity();
  }

  /** The first (least severe) limit's deadband. */
  public double deadband() {
    return limits.get(0).deadband();
  }

  /** True when the rule has escalation tiers (more than one limit). */
  public boolean tiered() {
    return limits.size() > 1;
  }

  /** This rule with {@code out_of_service} set or cleared. */
  public Rule withOutOfService(boolean outOfService) {
    return new Rule(
        id, name, topics, path, comparison, limits, onDelay, offDelay, mode, latch, outOfService);
  }

  /**
   * True when what decides the alarm (topics, path, comparison, limits' thresholds and deadbands,
   * mode, latching) equals {@code other}'s; names, severities and delays may differ. A reload keeps
   * an alarm's state only for rules whose id and condition are unchanged.
   */
  public boolean sameCondition(Rule other) {
    if (!(id.equals(other.id)
        && topics.equals(other.topics)
        && path.equals(other.path)
        && comparison == other.comparison
        && mode == other.mode
        && latch == other.latch
        && limits.size() == other.limits.size())) {
      return false;
    }
    for (int i = 0; i < limits.size(); i++) {
      Limit a = limits.get(i);
      Limit b = other.limits.get(i);
      if (!a.level().equals(b.level())
          || Double.compare(a.threshold(), b.threshold()) != 0
          || Double.compare(a.deadband(), b.deadband()) != 0) {
        return false;
      }
    }
    return true;
  }

  // Validators, shared with RuleFile so that file problems and code problems read the same.

  static @Nullable String idError(String id) {
    if (isName(id, 128, "_.:-")) {
      return null;
    }
    return "id must be 1 to 128 letters, digits, '_', '.', ':' or '-', but was '" + id + "'";
  }

  static @Nullable String topicError(String topic) {
    String error = TopicFilter.filterError(topic);
    return error == null ? null : "topic is not a valid MQTT topic filter: " + error;
  }

  static @Nullable String pathError(String path) {
    if (isDottedPath(path)) {
      return null;
    }
    return "path must be dotted names such as 'production_line.temperature' (or '' for a bare"
        + " number), but was '"
        + path
        + "'";
  }

  // Plain loops rather than regular expressions: a file of 10,000 rules checks 30,000 of these
  // at start-up, in cold code, where a Pattern's matcher was ~10% of reading the file.

  /** 1 to {@code max} ASCII letters, digits or {@code others}. */
  static boolean isName(String text, int max, String others) {
    if (text.isEmpty() || text.length() > max) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean letterOrDigit =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!letterOrDigit && others.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Empty, or names of at least one character joined by single dots. */
  static boolean isDottedPath(String path) {
    return path.isEmpty()
        || (path.charAt(0) != '.' && path.charAt(path.length() - 1) != '.' && !path.contains(".."));
  }

  /** Everything wrong with a rule's limits, for both the constructor and the file reader. */
  static List<String> limitErrors(Comparison comparison, List<Limit> limits) {
    List<String> errors = new ArrayList<>();
    if (limits.isEmpty()) {
      errors.add("value (the threshold) is required");
      return errors;
    }
    for (Limit limit : limits) {
      String prefix = limits.size() > 1 ? "limit '" + limit.level() + "': " : "";
      addIfPresent(errors, prefixed(prefix, thresholdError(limit.threshold())));
      addIfPresent(errors, prefixed(prefix, deadbandError(limit.deadband())));
    }
    if (limits.size() == 1) {
      return errors;
    }
    boolean up = comparison == Comparison.GREATER_THAN || comparison == Comparison.GREATER_OR_EQUAL;
    boolean down = comparison == Comparison.LESS_THAN || comparison == Comparison.LESS_OR_EQUAL;
    if (!up && !down) {
      errors.add(
          "limits (escalation tiers) need a greater or less comparison, but comparison is "
              + comparison.value());
      return errors;
    }
    java.util.Set<String> levels = new java.util.HashSet<>();
    for (int i = 0; i < limits.size(); i++) {
      Limit limit = limits.get(i);
      if (!isName(limit.level(), 16, "_")) {
        errors.add(
            "limit #" + (i + 1) + ": level must be 1 to 16 letters, digits or '_' (H, HH, LL...),"
                + " but was '" + limit.level() + "'");
      } else if (!levels.add(limit.level())) {
        errors.add("limit '" + limit.level() + "': duplicate level");
      }
      if (i > 0) {
        double previous = limits.get(i - 1).threshold();
        boolean escalates = up ? limit.threshold() > previous : limit.threshold() < previous;
        if (!escalates) {
          errors.add(
              "limit '" + limit.level() + "': tiers are listed from the least to the most severe,"
                  + " so its value must be " + (up ? "above " : "below ") + previous
                  + ", but was " + limit.threshold());
        }
      }
    }
    return errors;
  }

  private static @Nullable String prefixed(String prefix, @Nullable String error) {
    return error == null ? null : prefix + error;
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
