package io.floorgate.rules.eval;

import org.jspecify.annotations.Nullable;

/**
 * One value for one rule, taken from one telemetry message.
 *
 * @param topic the telemetry topic it arrived on
 * @param value the value at the rule's path
 * @param seq the message's {@code seq}, when it had one
 * @param sourceTimestamp the message's own timestamp ({@code timestamp} or {@code ts}) as sent,
 *     when it had one
 * @param receivedMillis when the gateway received it (epoch milliseconds)
 */
public record Reading(
    String topic,
    double value,
    @Nullable Long seq,
    @Nullable String sourceTimestamp,
    long receivedMillis) {

  public Reading {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("reading on '" + topic + "': value must be finite, but was " + value);
    }
  }
}
