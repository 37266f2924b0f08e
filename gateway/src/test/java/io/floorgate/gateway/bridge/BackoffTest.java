package io.floorgate.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delays_doubleFromMinUpToMax_eachDrawnFromTheUpperHalfOfItsStep() {
    Backoff top = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.999999);
    Backoff bottom = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.0);
    List<Long> highs = new ArrayList<>();
    List<Long> lows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      highs.add(Math.round(top.next().toMillis() / 10.0) * 10);
      lows.add(bottom.next().toMillis());
    }
    assertThat(highs).containsExactly(1000L, 2000L, 4000L, 8000L, 10000L, 10000L, 10000L);
    assertThat(lows).containsExactly(500L, 1000L, 2000L, 4000L, 5000L, 5000L, 5000L);
  }

  @Test
  void jitter_spreadsDelaysOfTheSameStep() {
    double[] draws = {0.1, 0.5, 0.9};
    int[] n = {0};
    Backoff backoff =
        new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000), () -> draws[n[0]++ % 3]);
    assertThat(List.of(backoff.next(), backoff.next(), backoff.next()))
        .containsExactly(Duration.ofMillis(550), Duration.ofMillis(750), Duration.ofMillis(950));
  }

  @Test
  void reset_startsAgainAtMin() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 0.0);
    backoff.next();
    backoff.next();
    backoff.next();
    assertThat(backoff.failures()).isEqualTo(3);
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void manyFailures_neverOverflow() {
    Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofHours(1), () -> 0.5);
    for (int i = 0; i < 1000; i++) {
      assertThat(backoff.next()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
    }
  }

  @Test
  void badBounds_areRejectedNamingThem() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), () -> 0))
        .hasMessage("backoff needs 0 < min <= max, but was min PT0S, max PT1S");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0))
        .hasMessage("backoff needs 0 < min <= max, but was min PT2S, max PT1S");
  }
}
