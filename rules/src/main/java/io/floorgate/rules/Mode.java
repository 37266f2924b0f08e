package io.floorgate.rules;

import java.util.Locale;

/** Whether a rule behaves as an alarm (default) or emits an event for every breaching sample. */
public enum Mode {
  /**
   * One raise per excursion (after {@code on_delay}), one clear after the value returns past the
   * deadband (after {@code off_delay}), nothing in between.
   */
  ALARM,
  /** The seed's behaviour: an event for every breaching sample; no alarm state, no clears. */
  EVERY_SAMPLE;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a name in any case.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Mode parse(String text) {
    String normalized = text.trim().toLowerCase(Locale.ROOT);
    for (Mode mode : values()) {
      if (mode.value().equals(normalized)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "mode must be one of [alarm, every_sample], but was '" + text + "'");
  }

  @Override
  public String toString() {
    return value();
  }
}
