package io.floorgate.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A rule's severity. The same four values, in the same order, as the gateway's {@code
 * EventSeverity} (a test there keeps them in step); this module stays free of the event system.
 */
public enum Severity {
  INFO,
  WARNING,
  ERROR,
  CRITICAL;

  private static final Severity[] VALUES = values();
  private static final String ALLOWED =
      Arrays.stream(VALUES).map(Severity::value).collect(Collectors.joining(", "));

  private final String value = name().toLowerCase(Locale.ROOT);

  /** The lower-case name, as written in rule files and events. */
  public String value() {
    return value;
  }

  /**
   * Parses a name in any case.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Severity parse(String text) {
    for (Severity severity : VALUES) {
      if (severity.value().equals(text)) {
        return severity; // nearly always as written: no need to normalize
      }
    }
    String normalized = text.trim().toLowerCase(Locale.ROOT);
    for (Severity severity : VALUES) {
      if (severity.value().equals(normalized)) {
        return severity;
      }
    }
    throw new IllegalArgumentException(
        "severity must be one of [" + ALLOWED + "], but was '" + text + "'");
  }

  @Override
  public String toString() {
    return value();
  }
}
