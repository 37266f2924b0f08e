package io.floorgate.rules.eval;

import java.util.Locale;

/** An alarm's state, named after ISA-18.2's alarm state model. */
public enum AlarmState {
  /** The condition is normal and nothing needs acknowledging. */
  NORMAL,
  /** The condition is active (or latched) and no one has acknowledged it. */
  ACTIVE_UNACKNOWLEDGED,
  /** The condition is active (or latched) and an operator has acknowledged it. */
  ACTIVE_ACKNOWLEDGED,
  /** The condition returned to normal before anyone acknowledged it. */
  RETURNED_UNACKNOWLEDGED,
  /** An operator shelved it: it keeps evaluating but announces nothing until unshelved. */
  SHELVED,
  /** Its rule is out of service: not evaluated at all. */
  OUT_OF_SERVICE;

  /** The lower-case name used on the wire ({@code active_unacknowledged}). */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return value();
  }
}
