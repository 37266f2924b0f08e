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

  private static final String ALLOWED =
      Arrays.stream(values()).map(Severity::value).collect(Collectors.joining(", "));

  /** The lower-case name, as written in rule files and events. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a name in any case.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Severity parse(String text) {
    String normalized = text.trim().toLowerCase(Locale.ROOT);
    for (Severity severity : values()) {
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
