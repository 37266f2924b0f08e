package io.floorgate.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryPlanTest {
  private static LoadSpec spec(int devices, int sensors, double breaches, long seed) {
    return new LoadSpec(devices, sensors, 1_000, Duration.ZERO, Duration.ofSeconds(1), 0, breaches,
        25.0, true, Duration.ofSeconds(1), seed);
  }

  private static List<String> run(TelemetryPlan plan, int messages) {
    TelemetryPlan.Sample sample = new TelemetryPlan.Sample();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      plan.next(sample);
      out.add(sample.topic() + "/" + sample.seq() + "/" + sample.hundredths() + "/" + sample.breach());
    }
    return out;
  }

  @Test
  void sameSeed_sameMessages_otherSeed_otherValues() {
    assertThat(run(new TelemetryPlan(spec(3, 4, 0.05, 1)), 2_000))
        .isEqualTo(run(new TelemetryPlan(spec(3, 4, 0.05, 1)), 2_000))
        .isNotEqualTo(run(new TelemetryPlan(spec(3, 4, 0.05, 2)), 2_000));
  }

  @Test
  void messagesGoRoundDevicesThenSensors_withSeqPerTopic() {
    TelemetryPlan plan = new TelemetryPlan(spec(2, 3, 0.0, 1));
    TelemetryPlan.Sample sample = new TelemetryPlan.Sample();
    List<String> topics = new ArrayList<>();
    for (int k = 0; k < 7; k++) {
      plan.next(sample);
      assertThat(plan.deviceOf(k)).isEqualTo(k % 2);
      topics.add(plan.topicName(sample.topic()) + "#" + sample.seq());
    }
    assertThat(topics)
        .containsExactly(
            "plant/line1/sensor1/temperature#1",
            "plant/line2/sensor1/temperature#1",
            "plant/line1/sensor2/temperature#1",
            "plant/line2/sensor2/temperature#1",
            "plant/line1/sensor3/temperature#1",
            "plant/line2/sensor3/temperature#1",
            "plant/line1/sensor1/temperature#2");
  }

  @Test
  void breachFraction_isKept_andNoTopicBreachesTwiceInARow_andNormalValuesClearTheAlarm() {
    // 1 topic and 30% breaches: the plan must defer breaches to keep every breach a new excursion.
    TelemetryPlan plan = new TelemetryPlan(spec(1, 1, 0.3, 7));
    TelemetryPlan.Sample sample = new TelemetryPlan.Sample();
    int breaches = 0;
    boolean previous = false;
    for (int i = 0; i < 10_000; i++) {
      plan.next(sample);
      assertThat(sample.afterBreach()).isEqualTo(previous);
      if (sample.breach()) {
        breaches++;
        assertThat(previous).isFalse();
        assertThat(sample.hundredths()).isBetween(2_501L, 3_000L);
      } else {
        assertThat(sample.hundredths()).isBetween(2_000L, 2_400L);
      }
      previous = sample.breach();
    }
    assertThat(breaches).isBetween(2_999, 3_000);
  }

  @Test
  void payload_isTheSensorJson_withTwoDecimals() {
    TelemetryPlan.Sample sample = new TelemetryPlan.Sample();
    sample.hundredths = 2_605;
    sample.seq = 17;
    assertThat(new String(TelemetryPlan.payload(sample, 0), StandardCharsets.US_ASCII))
        .isEqualTo("{\"value\": 26.05, \"ts\": \"1970-01-01T00:00:00Z\", \"seq\": 17}");
    sample.hundredths = -3;
    assertThat(new String(TelemetryPlan.payload(sample, 0), StandardCharsets.US_ASCII))
        .startsWith("{\"value\": -0.03, ");
  }
}
