package io.floorgate.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a value is compared with a rule's threshold: the seed's four comparisons plus {@code
 * greater_or_equal} and {@code less_or_equal}.
 *
 * <p>{@link #breaches} decides whether an alarm raises; {@link #holds} whether an active alarm
 * stays active, with the threshold relaxed by the deadband (hysteresis): an alarm raised above
 * 25.0 with deadband 0.5 stays active while the value is above 24.5.
 */
public enum Comparison {
  GREATER_THAN("greater_than") {
    @Override
    public boolean breaches(double value, double threshold) {
      return value > threshold;
    }

    @Override
    public boolean holds(double value, double threshold, double deadband) {
      return value > threshold - deadband;
    }
  },
  LESS_THAN("less_than") {
    @Override
    public boolean breaches(double value, double threshold) {
      return value < threshold;
    }

    @Override
    public boolean holds(double value, double threshold, double deadband) {
      return value < threshold + deadband;
    }
  },
  GREATER_OR_EQUAL("greater_or_equal") {
    @Override
    public boolean breaches(double value, double threshold) {
      return value >= threshold;
    }

    @Override
    public boolean holds(double value, double threshold, double deadband) {
      return value >= threshold - deadband;
    }
  },
  LESS_OR_EQUAL("less_or_equal") {
    @Override
    public boolean breaches(double value, double threshold) {
      return value <= threshold;
    }

    @Override
    public boolean holds(double value, double threshold, double deadband) {
      return value <= threshold + deadband;
    }
  },
  EQUAL("equal") {
    @Override
    public boolean breaches(double value, double threshold) {
      return value == threshold;
    }

    @Override
    public boolean holds(double value, double threshold, double deadband) {
      return Math.abs(value - threshold) <= deadband;
    }
  },
  NOT_EQUAL("not_equal") {
    @Override
    public boolean breaches(double value, double threshold) {
      return value != threshold;
    }

    /**
     * Normal is the threshold alone, so there is nothing for a deadband to widen: the alarm stays
     * active until the value is back at the threshold. (Clearing within the deadband would clear
     * values that still breach, and the alarm would raise and clear on every other reading.)
     */
    @Override
    public boolean holds(double value, double threshold, double deadband) {
      return value != threshold;
    }
  };

  private static final String ALLOWED =
      Arrays.stream(values()).map(Comparison::value).collect(Collectors.joining(", "));

  private final String value;

  Comparison(String value) {
    this.value = value;
  }

  /** True when {@code value} breaches {@code threshold}: the alarm condition. */
  public abstract boolean breaches(double value, double threshold);

  /**
   * True while an active alarm should stay active: the condition with the threshold moved by
   * {@code deadband} towards normal. With deadband 0 it is {@link #breaches}; with any deadband it
   * is true wherever {@link #breaches} is, so an alarm never clears on a value that would raise it.
   */
  public abstract boolean holds(double value, double threshold, double deadband);

  /** The name as written in rule files. */
  public String value() {
    return value;
  }

  /** Every allowed name, comma-separated, for messages. */
  public static String allowed() {
    return ALLOWED;
  }

  /**
   * Parses a name in any case.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Comparison parse(String text) {
    String normalized = text.trim().toLowerCase(Locale.ROOT);
    for (Comparison comparison : values()) {
      if (comparison.value.equals(normalized)) {
        return comparison;
      }
    }
    throw new IllegalArgumentException(
        "comparison must be one of [" + ALLOWED + "], but was '" + text + "'");
  }

  @Override
  public String toString() {
    return value;
  }
}
