package io.floorgate.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Categories for events (seed §2.1). The wire value is {@link #value()}, e.g. {@code "threshold"}. */
public enum EventCategory {
  /** System-level events. */
  SYSTEM("system"),
  /** Manufacturing process events. */
  PROCESS("process"),
  /** Optimization-related events. */
  OPTIMIZATION("optimization"),
  /** Parameter threshold breach events. */
  THRESHOLD("threshold"),
  /** User action events. */
  USER("user"),
  /** Error events. */
  ERROR("error");

  private static final String ALLOWED =
      Arrays.stream(values()).map(EventCategory::value).collect(Collectors.joining(", "));

  private final String value;

  EventCategory(String value) {
    this.value = value;
  }

  /** The seed's string value, as written in JSON and topics. */
  public String value() {
    return value;
  }

  /**
   * Parses a category in any case ({@code "threshold"}, {@code "THRESHOLD"}).
   *
   * @throws IllegalArgumentException naming the allowed values when {@code text} is none of them
   */
  public static EventCategory parse(String text) {
    String normalized = text.trim().toLowerCase(Locale.ROOT);
    for (EventCategory category : values()) {
      if (category.value.equals(normalized)) {
        return category;
      }
    }
    throw new IllegalArgumentException(
        "category must be one of [" + ALLOWED + "], but was '" + text + "'");
  }

  @Override
  public String toString() {
    return value;
  }
}
