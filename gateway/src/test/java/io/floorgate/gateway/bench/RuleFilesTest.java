package io.floorgate.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleFilesTest {
  private static final LoadSpec SPEC =
      new LoadSpec(3, 20, 1_000, Duration.ZERO, Duration.ofSeconds(1), 0, 0.01, 25.0, true,
          Duration.ofSeconds(1), 1L);

  @ParameterizedTest
  @ValueSource(ints = {3, 60})
  void everyTopic_matchesExactlyOneRule(int count) {
    RuleSet rules = RuleFile.parse(RuleFiles.yaml(SPEC, count), "bench.yaml", List.of()).orThrow();

    assertThat(rules.rules()).hasSize(count);
    for (int d = 0; d < SPEC.devices(); d++) {
      for (int s = 0; s < SPEC.sensorsPerDevice(); s++) {
        assertThat(rules.match(TelemetryPlan.topic(d, s))).hasSize(1);
      }
    }
  }

  @Test
  void noRules_isAValidFile() {
    assertThat(RuleFile.parse(RuleFiles.yaml(SPEC, 0), "bench.yaml", List.of()).orThrow().rules())
        .isEmpty();
  }

  @Test
  void otherCounts_areRefused_withTheChoices() {
    assertThatThrownBy(() -> RuleFiles.yaml(SPEC, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rules must be 0, 3 (one per device) or 60 (one per sensor) for 3 device(s) x"
            + " 20 sensor(s), but was 7");
  }
}
