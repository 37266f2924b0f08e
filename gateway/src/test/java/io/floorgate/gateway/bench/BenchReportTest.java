package io.floorgate.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Suites run in parts, read back from their JSON and judged as one. */
class BenchReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LoadSpec BASE =
      new LoadSpec(10, 1_000, 5_000, Duration.ofSeconds(20), Duration.ofSeconds(60), 0, 0.01,
          LoadSpec.THRESHOLD, true, Duration.ofSeconds(10), 1L);

  /** 8,000 events, 1.75 s in all: 7,000 within 0.5 ms, 7,900 within 1 ms, all within 10 ms. */
  private static final GatewayDelay DELAY =
      new GatewayDelay(8_000, 1.75, new TreeMap<>(Map.of(
          0.0005, 7_000L, 0.001, 7_900L, 0.005, 7_990L, 0.01, 8_000L, 0.025, 8_000L,
          Double.POSITIVE_INFINITY, 8_000L)));

  /** A run as the suite records it; {@code cpu} seconds over 300,000 measured messages. */
  private static RunRecord run(String name, String target, int rules, int qos, double cpu,
      double p99, long missing, long heapBytes) {
    LoadSpec spec = BASE.withQos(qos).withExpectAlerts(rules > 0);
    long breaches = 4_000;
    AlertLedger.Summary alerts =
        new AlertLedger.Summary(breaches, 3_000, rules > 0 ? breaches - missing : 0,
            rules > 0 ? missing : breaches, 0, 0, 3_990, rules > 0 ? 3_990 : 0, 0, 0,
            Map.of("alerts/error/system", 1L),
            rules > 0 ? new AlertLedger.Latency(3_000, 1.25, 4.5, p99, 30.125)
                : AlertLedger.Latency.of(new long[0]),
            rules > 0
                ? new AlertLedger.Split(
                    new AlertLedger.Latency(3_000, 0.5, 1.75, 2.125, 12.5),
                    new AlertLedger.Latency(3_000, 0.75, 2.5, 6.25, 17.625))
                : AlertLedger.Split.NONE);
    LoadResult result =
        new LoadResult(spec, 400_000, 400_000, 0, null, 300_000, 60.001, 4_999.9, 2.5, 120.5,
            alerts, rules > 0 ? 8_001 : 0, cpu, cpu / 10, Map.of("floorgate-ingest", 3.25),
            12.5, Map.of("bench-load", 4.0), 180 * 1024, 170 * 1024, 0.875, 0.25,
            rules > 0 ? DELAY : null, null);
    return new RunRecord(name, target, rules, result, 1_850.5, 1_700.5, 1_400, heapBytes, 1, 143);
  }

  private static Map<String, ?> viaJson(Map<String, Object> map) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, ?> read = JSON.readValue(JSON.writeValueAsString(map), Map.class);
    return read;
  }

  @Test
  void runRecord_survivesTheJsonRoundTrip() throws Exception {
    RunRecord record = run("floorgate-5k", "floorgate", 10, 0, 33.0, 8.5, 0, 9_000_000);

    RunRecord back = RunRecord.fromMap(viaJson(record.toMap()));

    assertThat(back.toMap()).isEqualTo(record.toMap());
    assertThat(RunRecord.table(List.of(back))).isEqualTo(RunRecord.table(List.of(record)));
  }

  @Test
  void bareRun_withNoLatencies_survivesTheRoundTrip() throws Exception {
    RunRecord record = run("moquette-5k", "moquette", 0, 0, 30.0, Double.NaN, 0, 5_000_000);

    RunRecord back = RunRecord.fromMap(viaJson(record.toMap()));

    assertThat(back.result().alerts().latency().p99()).isNaN();
    assertThat(back.toMap()).isEqualTo(record.toMap());
  }

  @Test
  void aRunWrittenBeforeTheMachineWasMeasured_readsBackWithItUnknown() throws Exception {
    RunRecord record = run("floorgate-5k", "floorgate", 10, 0, 33.0, 8.5, 0, 9_000_000);

    RunRecord back =
        RunRecord.fromMap(
            without(record, "resources", "machine_busy_fraction", "machine_steal_fraction"));

    assertThat(back.result().machineSteal()).isNaN();
    assertThat(back.result().machineBusy()).isNaN();
    assertThat(RunRecord.table(List.of(back))).endsWith("|       ? |\n");
    assertThat(RunRecord.table(List.of(record))).endsWith("|      25 |\n");
  }

  @Test
  void aRunWrittenBeforeTheLatencyWasSplit_readsBackWithoutASplit() throws Exception {
    RunRecord record = run("floorgate-5k", "floorgate", 10, 0, 33.0, 8.5, 0, 9_000_000);

    RunRecord back = RunRecord.fromMap(without(record, "alerts", "latency_split_ms"));

    assertThat(back.result().alerts().split()).isEqualTo(AlertLedger.Split.NONE);
    assertThat(back.result().alerts().latency())
        .isEqualTo(record.result().alerts().latency());
    assertThat(record.result().alerts().split().eventToAlert().p99()).isEqualTo(6.25);
  }

  @Test
  void theGatewaysOwnDelay_survivesTheRoundTrip_andIsSummedUpUnderTheTable() throws Exception {
    RunRecord record = run("floorgate-5k", "floorgate", 10, 0, 33.0, 8.5, 0, 9_000_000);

    RunRecord back = RunRecord.fromMap(viaJson(record.toMap()));

    assertThat(back.result().gatewayDelay()).isEqualTo(DELAY);
    assertThat(RunRecord.gatewayDelay(back))
        .isEqualTo(
            "floorgate-5k: the gateway's own part (event → the broker took its alert, 8,000"
                + " events): mean 0.22 ms; within 1 ms 98.75%, 5 ms 99.88%, 10 ms 100.00%,"
                + " 25 ms 100.00%" + System.lineSeparator());
  }

  @Test
  void aGatewayDelayThatCouldNotBeRead_isKeptAsItsReason() throws Exception {
    RunRecord ok = run("floorgate-5k", "floorgate", 10, 0, 33.0, 8.5, 0, 9_000_000);
    LoadResult r = ok.result();
    LoadResult failed =
        new LoadResult(r.spec(), r.published(), r.completed(), r.failed(), r.firstFailure(),
            r.measuredMessages(), r.measuredSeconds(), r.achievedRate(), r.maxLagMillis(),
            r.drainMillis(), r.alerts(), r.alertsReceived(), r.targetCpuSeconds(),
            r.targetSystemCpuSeconds(), r.targetThreads(), r.harnessCpuSeconds(),
            r.harnessThreads(), r.targetPeakRssKib(), r.targetMaxRssKib(), r.machineBusy(),
            r.machineSteal(), null, "cannot read http://127.0.0.1:1/metrics: Connection refused");
    RunRecord record = new RunRecord("floorgate-5k", "floorgate", 10, failed, 1, 1, 1, 1, 0, 143);

    RunRecord back = RunRecord.fromMap(viaJson(record.toMap()));

    assertThat(back.result().gatewayDelay()).isNull();
    assertThat(RunRecord.gatewayDelay(back))
        .isEqualTo("floorgate-5k: the gateway's own part could not be read: cannot read"
            + " http://127.0.0.1:1/metrics: Connection refused" + System.lineSeparator());
  }

  @Test
  void aRunWrittenBeforeTheGatewayDelayWasRead_readsBackWithoutIt() throws Exception {
    RunRecord record = run("floorgate-5k", "floorgate", 10, 0, 33.0, 8.5, 0, 9_000_000);

    RunRecord back = RunRecord.fromMap(without(record, "alerts", "gateway_delay"));

    assertThat(back.result().gatewayDelay()).isNull();
    assertThat(back.result().gatewayDelayError()).isNull();
    assertThat(RunRecord.gatewayDelay(back)).isEmpty();
  }

  /** The record as JSON, without {@code keys} in {@code section}: as an older bench wrote it. */
  private static Map<String, ?> without(RunRecord record, String section, String... keys)
      throws Exception {
    Map<String, ?> json = viaJson(record.toMap());
    @SuppressWarnings("unchecked")
    Map<String, Object> inside = (Map<String, Object>) json.get(section);
    for (String key : keys) {
      assertThat(inside.remove(key)).as(key).isNotNull();
    }
    return json;
  }

  @Test
  void partsCombined_areJudgedFromAllTheirRuns() throws Exception {
    List<RunRecord> part1 =
        List.of(
            run("moquette-5k", "moquette", 0, 0, 30.0, Double.NaN, 0, 5_000_000),
            run("floorgate-5k", "floorgate", 10, 0, 33.0, 8.5, 0, 9_000_000));
    List<RunRecord> part2 =
        List.of(run("floorgate-5k-10000r", "floorgate", 10_000, 0, 39.0, 9.0, 2, 29_000_000));
    List<String> jvm = BenchTarget.UNIT_JVM_ARGS;

    BenchSuite.Report report =
        BenchSuite.combine(
            List.of(
                viaJson(BenchSuite.toMap(part1, BenchSuite.verdicts(part1, BASE), BASE, jvm)),
                viaJson(BenchSuite.toMap(part2, BenchSuite.verdicts(part2, BASE), BASE, jvm))));

    assertThat(report.markdown())
        .contains("| moquette-5k ", "| floorgate-5k ", "| floorgate-5k-10000r ");
    // The gateway's own delay, for the Floorgate runs only, beside their whole p99.
    assertThat(report.markdown())
        .contains("The gateway's own part of the alerts' latency")
        .contains("| floorgate-5k        |         8.50 |            8,000 |    0.22 | 98.75% |"
            + " 99.88% | 100.00% |")
        .containsOnlyOnce("| moquette-5k ");
    assertThat(verdict(report, "5,000 msg/s: Floorgate CPU/msg"))
        .containsEntry("measured", "1.10× (0.1100 / 0.1000 CPU s per 1,000 msg)")
        .containsEntry("met", true);
    assertThat(verdict(report, "10,000 rules: CPU/msg"))
        .containsEntry("measured", "1.18× (0.1300 / 0.1100 CPU s per 1,000 msg)")
        .containsEntry("met", false);
    assertThat(verdict(report, "≤ 2 KB heap per rule"))
        .containsEntry("measured", "2002 bytes")
        .containsEntry("met", true);
    assertThat(verdict(report, "15,000 msg/s QoS 0")).containsEntry("met", null);
    assertThat(report.json()).containsEntry("parts", 2);
    assertThat((List<?>) report.json().get("runs")).hasSize(3);
  }

  @Test
  void standardRuns_withRounds_repeatTheThreeComparedRunsAfterTheTable() {
    List<String> names =
        BenchSuite.standard(BASE, 3).stream().map(BenchSuite.Scenario::name).toList();

    assertThat(names)
        .containsExactly(
            "moquette-5k", "floorgate-5k", "floorgate-5k-10000r", "floorgate-5k-qos1",
            "moquette-10k", "floorgate-10k", "moquette-15k", "floorgate-15k",
            "moquette-5k.2", "floorgate-5k.2", "floorgate-5k-10000r.2",
            "moquette-5k.3", "floorgate-5k.3", "floorgate-5k-10000r.3");
    assertThat(BenchSuite.standard(BASE, 1)).isEqualTo(BenchSuite.standard(BASE));
    assertThat(BenchSuite.standard(BASE, 2).get(9))
        .isEqualTo(new BenchSuite.Scenario("floorgate-5k.2", BenchTarget.Kind.FLOORGATE, 10,
            5_000, 0));
    assertThatThrownBy(() -> BenchSuite.standard(BASE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rounds must be 1 to 10, but was 0");
  }

  @Test
  void rounds_judgeTheCpuRatiosByTheirMedian_andTheBoundsByTheWorstRound() {
    List<RunRecord> records =
        List.of(
            run("moquette-5k", "moquette", 0, 0, 30.0, Double.NaN, 0, 5_000_000),
            run("floorgate-5k", "floorgate", 10, 0, 45.0, 5.5, 0, 9_000_000),
            run("floorgate-5k-10000r", "floorgate", 10_000, 0, 63.0, 6.0, 0, 29_000_000),
            run("moquette-5k.2", "moquette", 0, 0, 30.0, Double.NaN, 0, 5_000_000),
            run("floorgate-5k.2", "floorgate", 10, 0, 33.0, 12.5, 0, 9_000_000),
            run("floorgate-5k-10000r.2", "floorgate", 10_000, 0, 33.0, 6.0, 0, 30_000_000),
            // the third round lost its bare Moquette run: its Floorgate ratio is not counted
            run("floorgate-5k.3", "floorgate", 10, 0, 30.0, 4.5, 0, 9_000_000),
            run("floorgate-5k-10000r.3", "floorgate", 10_000, 0, 31.5, 6.0, 0, 29_000_000));

    List<BenchSuite.Verdict> verdicts = BenchSuite.verdicts(records, BASE);

    // Floorgate / Moquette: 1.50 and 1.10, median 1.30; 10,000 / 10 rules: 1.40, 1.00, 1.05.
    assertThat(verdict(verdicts, "5,000 msg/s: Floorgate CPU/msg"))
        .isEqualTo(new BenchSuite.Verdict(
            "5,000 msg/s: Floorgate CPU/msg ≤ 1.2 × bare Moquette's",
            "1.30×, the median of 2 rounds: 1.50× (0.1500 / 0.1000), 1.10× (0.1100 / 0.1000)"
                + " (CPU s per 1,000 msg)",
            false));
    assertThat(verdict(verdicts, "10,000 rules: CPU/msg").measured())
        .startsWith("1.05×, the median of 3 rounds: 1.40× (0.2100 / 0.1500), 1.00×");
    assertThat(verdict(verdicts, "10,000 rules: CPU/msg").met()).isTrue();
    assertThat(verdict(verdicts, "5,000 msg/s: p99"))
        .isEqualTo(new BenchSuite.Verdict("5,000 msg/s: p99 breach→alert ≤ 10 ms",
            "12.5 ms, the highest of 3 rounds (5.5 ms, 12.5 ms, 4.5 ms)", false));
    assertThat(verdict(verdicts, "≤ 2 KB heap per rule").measured())
        .isEqualTo("2102 bytes, the highest of 3 rounds (2002 bytes, 2102 bytes, 2002 bytes)");
    assertThat(verdict(verdicts, "≤ 2 KB heap per rule").met()).isFalse();
  }

  private static BenchSuite.Verdict verdict(List<BenchSuite.Verdict> verdicts, String start) {
    return verdicts.stream()
        .filter(v -> v.target().startsWith(start))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no target starting with " + start));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> verdict(BenchSuite.Report report, String startOfTarget) {
    for (Object v : (List<?>) report.json().get("targets")) {
      Map<String, Object> verdict = (Map<String, Object>) v;
      if (verdict.get("target").toString().startsWith(startOfTarget)) {
        return verdict;
      }
    }
    throw new AssertionError("no target starting with " + startOfTarget);
  }

  @Test
  void partsWithDifferentLoads_orTheSameRunTwice_areRefused() throws Exception {
    List<RunRecord> part = List.of(run("floorgate-5k", "floorgate", 10, 0, 33.0, 8.5, 0, 1));
    List<String> jvm = BenchTarget.UNIT_JVM_ARGS;
    Map<String, ?> one = viaJson(BenchSuite.toMap(part, List.of(), BASE, jvm));
    LoadSpec shorter = BASE.withTimes(Duration.ofSeconds(5), Duration.ofSeconds(10));
    Map<String, ?> other = viaJson(BenchSuite.toMap(part, List.of(), shorter, jvm));

    assertThatThrownBy(() -> BenchSuite.combine(List.of(one, other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("part 2 must have the first part's base_load");
    assertThatThrownBy(() -> BenchSuite.combine(List.of(one, one)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("run floorgate-5k is in more than one part");
  }
}
