package io.floorgate.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI-sized run of the harness against real targets in child JVMs, so that it cannot rot: it
 * asserts that every breach comes back exactly once and nothing is lost, never how fast.
 */
class BenchSmokeIT {
  /** 2 devices × 50 sensors, 400 msg/s, 5% breaches, 1 s warm-up + 3 s: ~80 breaches. */
  private static final LoadSpec SMALL =
      new LoadSpec(2, 50, 400, Duration.ofSeconds(1), Duration.ofSeconds(3), 1, 0.05,
          LoadSpec.THRESHOLD, true, Duration.ofSeconds(20), 1L);

  @TempDir Path dir;
  private final StringWriter progress = new StringWriter();

  @Test
  void floorgate_alertsEveryBreachExactlyOnce_andClearsIt_withNoLoss() {
    BenchSuite.Scenario scenario =
        new BenchSuite.Scenario("smoke", BenchTarget.Kind.FLOORGATE, 100, 400, 1);

    RunRecord record =
        BenchSuite.runOne(scenario, SMALL, dir.resolve("fg"), BenchTarget.UNIT_JVM_ARGS,
            new PrintWriter(progress));

    LoadResult result = record.result();
    AlertLedger.Summary alerts = result.alerts();
    assertThat(result.published()).isEqualTo(1_600);
    assertThat(result.lostPublishes()).as(progress.toString()).isZero();
    assertThat(alerts.breaches()).isBetween(79L, 80L);
    assertThat(alerts.matched()).as(progress.toString()).isEqualTo(alerts.breaches());
    assertThat(alerts.missing()).isZero();
    assertThat(alerts.duplicates()).isZero();
    assertThat(alerts.falseAlerts()).isZero();
    assertThat(alerts.clearsMissing()).isZero();
    assertThat(alerts.latency().samples()).isEqualTo(alerts.measuredBreaches());
    // Split at the event's time: both parts of each raise lie within its whole latency (give or
    // take the microsecond the event's time is truncated to).
    AlertLedger.Split split = alerts.split();
    assertThat(split.breachToEvent().samples()).isEqualTo(alerts.measuredBreaches());
    assertThat(split.eventToAlert().samples()).isEqualTo(alerts.measuredBreaches());
    for (AlertLedger.Latency part : List.of(split.breachToEvent(), split.eventToAlert())) {
      assertThat(List.of(part.p50(), part.p99(), part.max()))
          .allSatisfy(ms -> assertThat(ms).isBetween(-0.01, alerts.latency().max() + 0.01));
    }
    assertThat(RunRecord.latencySplit(record)).startsWith("smoke: of the breach→alert latency");
    // The gateway's own part, from its /metrics read before and after: every measured raise was
    // published between the readings, and nothing that the subscriber did not receive.
    assertThat(result.gatewayDelayError()).as(progress.toString()).isNull();
    GatewayDelay delay = result.gatewayDelay();
    assertThat(delay).isNotNull();
    assertThat(delay.events()).isBetween(alerts.measuredBreaches(), result.alertsReceived());
    assertThat(delay.within()).containsEntry(10.0, delay.events());
    assertThat(RunRecord.gatewayDelay(record)).startsWith("smoke: the gateway's own part (event");
    assertThat(result.targetCpuSeconds()).isPositive();
    assertThat(result.targetPeakRssKib()).isPositive();
    assertThat(record.startupMillis()).isPositive();
    assertThat(record.restartMillis()).isPositive();
    assertThat(progress.toString()).doesNotContain("the first start exited");
    assertThat(record.liveHeapBytes()).isPositive();
    assertThat(record.exitCode()).isEqualTo(143);
    assertThat(RunRecord.table(List.of(record))).contains("| smoke ");
  }

  @Test
  void bareMoquette_takesTheLoad_andRaisesNothing() {
    BenchSuite.Scenario scenario =
        new BenchSuite.Scenario("bare", BenchTarget.Kind.MOQUETTE, 0, 400, 0);

    RunRecord record =
        BenchSuite.runOne(scenario, SMALL.withQos(0), dir.resolve("mq"), BenchTarget.UNIT_JVM_ARGS,
            new PrintWriter(progress));

    LoadResult result = record.result();
    assertThat(result.lostPublishes()).as(progress.toString()).isZero();
    assertThat(result.alertsReceived()).isZero();
    assertThat(result.alerts().matched()).isZero();
    assertThat(result.targetCpuSeconds()).isPositive();
    assertThat(record.rules()).isZero();
    assertThat(record.restartMillis()).isNaN(); // bare Moquette is started once
    assertThat(RunRecord.latencySplit(record)).isEmpty();
    assertThat(result.gatewayDelay()).isNull();
    assertThat(RunRecord.gatewayDelay(record)).isEmpty();
  }
}
