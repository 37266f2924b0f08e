package io.floorgate.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Severity levels for events (seed §2.2), in increasing order of urgency. */
public enum EventSeverity {
  /** Informational, no action required. */
  INFO("info"),
  /** Potential issue, attention may be needed. */
  WARNING("warning"),
  /** Error condition, action required. */
  ERROR("error"),
  /** Critical condition, immediate action required. */
  CRITICAL("critical");

  private static final String ALLOWED =
      Arrays.stream(values()).map(EventSeverity::value).collect(Collectors.joining(", "));

  private final String value;

  EventSeverity(String value) {
    this.value = value;
  }

  /** The seed's string value, as written in JSON and topics. */
  public String value() {
    return value;
  }

  /**
   * Parses a severity in any case ({@code "warning"}, {@code "WARNING"}).
   *
   * @throws IllegalArgumentException naming the allowed values when {@code text} is none of them
   */
  public static EventSeverity parse(String text) {
    String normalized = text.trim().toLowerCase(Locale.ROOT);
    for (EventSeverity severity : values()) {
      if (severity.value.equals(normalized)) {
        return severity;
      }
    }
    throw new IllegalArgumentException(
        "severity must be one of [" + ALLOWED + "], but was '" + text + "'");
  }

  @Override
  public String toString() {
    return value;
  }
}
