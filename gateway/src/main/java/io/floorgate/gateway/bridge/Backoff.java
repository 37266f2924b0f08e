package io.floorgate.gateway.bridge;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Delays between connection attempts: exponential from {@code min} up to {@code max}, with "equal
 * jitter" (each delay is drawn from [d/2, d] for the current step d), so that many gateways cut
 * off by the same outage do not come back in lock-step. Not thread-safe: the bridge thread owns
 * it.
 */
final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  private final DoubleSupplier random;
  private int failures;

  /**
   * @param random values in [0, 1)
   * @throws IllegalArgumentException when min is not positive or max is below min
   */
  Backoff(Duration min, Duration max, DoubleSupplier random) {
    if (min.isZero() || min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < min <= max, but was min " + min + ", max " + max);
    }
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /** The delay before the next attempt, after one more failure. */
  Duration next() {
    long step = minNanos;
    for (int i = 0; i < failures && step < maxNanos; i++) {
      step = step > maxNanos / 2 ? maxNanos : step * 2;
    }
    step = Math.min(step, maxNanos);
    failures = Math.min(failures + 1, 62);
    long half = step / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * (step - half)));
  }

  /** After a connection that worked: the next failure starts again at {@code min}. */
  void reset() {
    failures = 0;
  }

  /** Failures since the last reset. */
  int failures() {
    return failures;
  }
}
