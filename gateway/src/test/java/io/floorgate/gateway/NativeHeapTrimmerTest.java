package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class NativeHeapTrimmerTest {
  private static final Duration OFTEN = Duration.ofMillis(20);
  private static final String TRIMMED = "Trim native heap: RSS+Swap: 37600K->36200K (-1400K)\n";

  /** A trimmer checking {@link #OFTEN}, whose JIT compiles in every other interval. */
  private static Optional<NativeHeapTrimmer> start(Supplier<String> command) {
    AtomicLong checks = new AtomicLong();
    return NativeHeapTrimmer.start(OFTEN, command, () -> checks.incrementAndGet() / 2);
  }

  @Test
  void schedule_trimsOnceTheJitHasCompiledAndThenBeenQuiet_notWhileItCompiles() {
    long second = Duration.ofSeconds(1).toNanos();
    NativeHeapTrimmer.Schedule schedule = new NativeHeapTrimmer.Schedule(0);

    assertThat(schedule.trimNow(true, second)).as("compiling").isFalse();
    assertThat(schedule.trimNow(true, 2 * second)).as("still compiling").isFalse();
    assertThat(schedule.trimNow(false, 3 * second)).as("quiet after compiling").isTrue();
    assertThat(schedule.trimNow(false, 4 * second)).as("quiet, trimmed already").isFalse();
  }

  @Test
  void schedule_whileTheJitKeepsCompiling_trimsEveryTenSeconds() {
    assertThat(trimsInSeconds(30, true)).isEqualTo(30 / NativeHeapTrimmer.BUSY_TRIM.toSeconds());
  }

  @Test
  void schedule_withNothingCompiled_trimsEveryThirtySeconds() {
    assertThat(trimsInSeconds(90, false)).isEqualTo(90 / NativeHeapTrimmer.IDLE_TRIM.toSeconds());
  }

  /** Trims a schedule checked once a second for {@code seconds} decides on. */
  private static int trimsInSeconds(int seconds, boolean compiling) {
    long second = Duration.ofSeconds(1).toNanos();
    NativeHeapTrimmer.Schedule schedule = new NativeHeapTrimmer.Schedule(0);
    int trims = 0;
    for (int s = 1; s <= seconds; s++) {
      trims += schedule.trimNow(compiling, s * second) ? 1 : 0;
    }
    return trims;
  }

  @Test
  void trimsAgainAndAgain_untilClosed() {
    AtomicInteger calls = new AtomicInteger();
    Optional<NativeHeapTrimmer> trimmer =
        start(() -> {
          calls.incrementAndGet();
          return TRIMMED;
        });

    assertThat(trimmer).isPresent();
    await().atMost(Duration.ofSeconds(5)).until(() -> trimmer.get().trims() >= 3);
    trimmer.get().close();
    int afterClose = calls.get();
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(1))
        .until(() -> calls.get() == afterClose);
    trimmer.get().close(); // idempotent
  }

  @Test
  void staysOff_whereTheCLibraryCannotTrim() {
    // What the JVM answers on musl and other C libraries without malloc_trim.
    assertThat(start(() -> "Not available.\n")).isEmpty();
  }

  @Test
  void staysOff_whenTheFirstTrimFails() {
    assertThat(start(() -> {
      throw new IllegalStateException("javax.management.ReflectionException");
    })).isEmpty();
  }

  @Test
  void stopsForGood_afterATrimFails() {
    AtomicInteger calls = new AtomicInteger();
    Supplier<String> failingLater =
        () -> {
          if (calls.incrementAndGet() > 2) {
            throw new IllegalStateException("javax.management.ReflectionException");
          }
          return TRIMMED;
        };

    NativeHeapTrimmer trimmer = start(failingLater).orElseThrow();
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
      await()
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(1))
          .until(() -> calls.get() == 3);
      assertThat(trimmer.trims()).isEqualTo(1);
    } finally {
      trimmer.close();
    }
  }

  @Test
  void thisJvm_hasTheTrimCommand() {
    assumeTrue(
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
        "System.trim_native_heap exists on Linux only");

    Supplier<String> command = NativeHeapTrimmer.jvmCommand().orElseThrow();

    // glibc trims and reports the resident size; other C libraries answer "Not available".
    assertThat(command.get()).containsAnyOf("Trim native heap", "Not available");
  }
}
