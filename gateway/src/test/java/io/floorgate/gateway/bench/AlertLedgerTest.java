package io.floorgate.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.events.EventTimestamps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Pairing alerts with breaches: matched, missing, duplicate, false, clears, percentiles. */
class AlertLedgerTest {
  /** 2 devices × 3 sensors: topics 0..5. */
  private static final LoadSpec SPEC =
      new LoadSpec(2, 3, 100, Duration.ZERO, Duration.ofSeconds(1), 0, 0.1, 25.0, true,
          Duration.ofSeconds(1), 1L);

  private final TelemetryPlan plan = new TelemetryPlan(SPEC);
  private final AlertLedger ledger = new AlertLedger(plan);

  private static final long MS = 1_000_000L;

  private byte[] raise(int topic, long seq, String eventId) {
    return json("{\"event_id\": \"%s\", \"severity\": \"warning\", \"details\": {\"rule_id\": \"r\","
        + " \"topic\": \"%s\", \"seq\": %d, \"alarm_state\": \"active_unacknowledged\"}}",
        eventId, plan.topicName(topic), seq);
  }

  private byte[] timedRaise(int topic, long seq, String eventId, String timestamp) {
    return json("{\"event_id\": \"%s\", \"timestamp\": \"%s\","
        + " \"details\": {\"rule_id\": \"r\", \"topic\": \"%s\", \"seq\": %d}}",
        eventId, timestamp, plan.topicName(topic), seq);
  }

  private byte[] clear(int topic, long seq, String eventId, String raisedBy) {
    return json("{\"event_id\": \"%s\", \"details\": {\"topic\": \"%s\", \"seq\": %d,"
        + " \"raised_event_id\": \"%s\"}}", eventId, plan.topicName(topic), seq, raisedBy);
  }

  private static byte[] json(String format, Object... args) {
    return String.format(format, args).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void raise_matchesItsBreachByTopicAndSeq_andMeasuresTheLatency() {
    ledger.breachSent(4, 7, 100 * MS, true);

    ledger.onAlert("alerts/warning/threshold", raise(4, 7, "e1"), 103 * MS);

    AlertLedger.Summary summary = ledger.summarize();
    assertThat(summary.breaches()).isEqualTo(1);
    assertThat(summary.matched()).isEqualTo(1);
    assertThat(summary.missing()).isZero();
    assertThat(summary.duplicates()).isZero();
    assertThat(summary.falseAlerts()).isZero();
    assertThat(summary.latency().samples()).isEqualTo(1);
    assertThat(summary.latency().p99()).isEqualTo(3.0);
    assertThat(ledger.complete()).isTrue();
  }

  @Test
  void raiseWithTheEventsTime_splitsTheLatencyAtIt() {
    Instant origin = Instant.parse("2026-12-02T16:00:00Z");
    AlertLedger timed = new AlertLedger(plan, 5 * MS, EventTimestamps.micros(origin));
    timed.breachSent(4, 7, 105 * MS, true); // 100 ms after the origin
    timed.breachSent(5, 7, 205 * MS, true);
    String eventTime = EventTimestamps.format(origin.plusNanos(101_250_000));

    timed.onAlert("alerts/warning/threshold", timedRaise(4, 7, "e1", eventTime), 108 * MS);
    timed.onAlert("alerts/warning/threshold", raise(5, 7, "e2"), 209 * MS);

    AlertLedger.Summary summary = timed.summarize();
    assertThat(summary.latency().samples()).isEqualTo(2);
    assertThat(summary.split().breachToEvent().samples()).isEqualTo(1);
    assertThat(summary.split().breachToEvent().p99()).isEqualTo(1.25);
    assertThat(summary.split().eventToAlert().samples()).isEqualTo(1);
    assertThat(summary.split().eventToAlert().p99()).isEqualTo(1.75);
  }

  @Test
  void raiseWithATimestampNotISO_isMatched_butNotSplit() {
    ledger.breachSent(4, 7, 100 * MS, true);

    ledger.onAlert("alerts/warning/threshold", timedRaise(4, 7, "e1", "yesterday"), 103 * MS);

    AlertLedger.Summary summary = ledger.summarize();
    assertThat(summary.matched()).isEqualTo(1);
    assertThat(summary.latency().p99()).isEqualTo(3.0);
    assertThat(summary.split()).isEqualTo(AlertLedger.Split.NONE);
  }

  @Test
  void breachWithoutAlert_isMissing_andTheLedgerIsIncomplete() {
    ledger.breachSent(0, 1, 0, true);
    ledger.breachSent(1, 1, 0, true);
    ledger.onAlert("alerts/warning/threshold", raise(0, 1, "e1"), MS);

    AlertLedger.Summary summary = ledger.summarize();
    assertThat(summary.matched()).isEqualTo(1);
    assertThat(summary.missing()).isEqualTo(1);
    assertThat(summary.latency().samples()).isEqualTo(1);
    assertThat(ledger.complete()).isFalse();
  }

  @Test
  void secondRaiseForTheSameBreach_isADuplicate_andKeepsTheFirstLatency() {
    ledger.breachSent(2, 5, 0, true);
    ledger.onAlert("alerts/warning/threshold", raise(2, 5, "e1"), 2 * MS);
    ledger.onAlert("alerts/warning/threshold", raise(2, 5, "e2"), 9 * MS);

    AlertLedger.Summary summary = ledger.summarize();
    assertThat(summary.matched()).isEqualTo(1);
    assertThat(summary.duplicates()).isEqualTo(1);
    assertThat(summary.latency().max()).isEqualTo(2.0);
  }

  @Test
  void raiseForNoBreach_isFalse_whetherTheSeqOrTheTopicIsUnknown() {
    ledger.breachSent(2, 5, 0, true);
    ledger.onAlert("alerts/warning/threshold", raise(2, 6, "e1"), MS);
    ledger.onAlert("alerts/warning/threshold",
        json("{\"event_id\": \"e2\", \"details\": {\"topic\": \"elsewhere/t\", \"seq\": 5}}"), MS);

    AlertLedger.Summary summary = ledger.summarize();
    assertThat(summary.falseAlerts()).isEqualTo(2);
    assertThat(summary.matched()).isZero();
    assertThat(summary.missing()).isEqualTo(1);
  }

  @Test
  void clear_isMatchedThroughTheRaisesEventId_andASecondClearIsADuplicate() {
    ledger.breachSent(3, 1, 0, true);
    ledger.clearSent(3);
    ledger.onAlert("alerts/warning/threshold", raise(3, 1, "raise-1"), MS);
    assertThat(ledger.complete()).isFalse();

    ledger.onAlert("alerts/info/threshold", clear(3, 2, "clear-1", "raise-1"), 2 * MS);
    assertThat(ledger.complete()).isTrue();
    ledger.onAlert("alerts/info/threshold", clear(3, 2, "clear-2", "raise-1"), 3 * MS);

    AlertLedger.Summary summary = ledger.summarize();
    assertThat(summary.clearsExpected()).isEqualTo(1);
    assertThat(summary.clearsMatched()).isEqualTo(1);
    assertThat(summary.clearsMissing()).isZero();
    assertThat(summary.duplicates()).isEqualTo(1);
    assertThat(summary.falseAlerts()).isZero();
  }

  @Test
  void clearNamingAnUnknownRaise_isCountedApart_notAsFalse() {
    ledger.onAlert("alerts/info/threshold", clear(0, 2, "c", "nobody"), MS);

    AlertLedger.Summary summary = ledger.summarize();
    assertThat(summary.unmatchedClears()).isEqualTo(1);
    assertThat(summary.falseAlerts()).isZero();
  }

  @Test
  void expectedClearThatNeverCame_isMissing() {
    ledger.breachSent(0, 1, 0, true);
    ledger.clearSent(0);
    ledger.onAlert("alerts/warning/threshold", raise(0, 1, "e1"), MS);

    assertThat(ledger.summarize().clearsMissing()).isEqualTo(1);
    assertThat(ledger.complete()).isFalse();
  }

  @Test
  void otherEvents_andNonJson_areCountedByTopic_andMatchNothing() {
    ledger.onAlert("alerts/error/system", json("{\"event_id\": \"x\", \"details\": {}}"), MS);
    ledger.onAlert("alerts/error/system", json("{\"event_id\": \"y\"}"), MS);
    ledger.onAlert("alerts/odd", json("not json {"), MS);

    AlertLedger.Summary summary = ledger.summarize();
    assertThat(summary.otherEvents())
        .containsEntry("alerts/error/system", 2L)
        .containsEntry("alerts/odd (not JSON)", 1L);
    assertThat(summary.falseAlerts()).isZero();
    assertThat(ledger.alerts()).isEqualTo(3);
  }

  @Test
  void warmupBreaches_countForCorrectness_butNotForLatency() {
    ledger.breachSent(0, 1, 0, false);
    ledger.breachSent(1, 1, 0, true);
    ledger.onAlert("alerts/warning/threshold", raise(0, 1, "a"), 50 * MS);
    ledger.onAlert("alerts/warning/threshold", raise(1, 1, "b"), 4 * MS);

    AlertLedger.Summary summary = ledger.summarize();
    assertThat(summary.breaches()).isEqualTo(2);
    assertThat(summary.measuredBreaches()).isEqualTo(1);
    assertThat(summary.matched()).isEqualTo(2);
    assertThat(summary.latency().samples()).isEqualTo(1);
    assertThat(summary.latency().max()).isEqualTo(4.0);
  }

  @Test
  void percentiles_areNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = (i + 1) * MS;
    }

    AlertLedger.Latency latency = AlertLedger.Latency.of(sorted);

    assertThat(latency.samples()).isEqualTo(100);
    assertThat(latency.p50()).isEqualTo(50.0);
    assertThat(latency.p95()).isEqualTo(95.0);
    assertThat(latency.p99()).isEqualTo(99.0);
    assertThat(latency.max()).isEqualTo(100.0);
  }

  @Test
  void percentiles_ofFewSamples_roundUp_toAnObservedValue() {
    long[] sorted = {1 * MS, 2 * MS, 3 * MS};

    AlertLedger.Latency latency = AlertLedger.Latency.of(sorted);

    assertThat(latency.p50()).isEqualTo(2.0);
    assertThat(latency.p95()).isEqualTo(3.0);
    assertThat(latency.p99()).isEqualTo(3.0);
    assertThat(AlertLedger.Latency.percentile(new long[] {7}, 1)).isEqualTo(7);
  }

  @Test
  void noSamples_giveNaN_notZero() {
    AlertLedger.Latency latency = AlertLedger.Latency.of(new long[0]);

    assertThat(latency.samples()).isZero();
    assertThat(latency.p99()).isNaN();
    assertThat(LoadResult.round(latency.p99(), 3)).isNull();
  }
}
