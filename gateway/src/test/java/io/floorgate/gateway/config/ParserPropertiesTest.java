package io.floorgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.floorgate.rules.RuleFile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the configuration and rule-file parsers over seeded random mutations of valid
 * files (plain JUnit and a fixed seed; see docs/security.md for why not jqwik): each input gives
 * either a result or problems, never both and never an exception, and none takes long.
 */
class ParserPropertiesTest {
  private static final String CONFIG =
      """
      gateway_id: cell-7
      broker:
        host: 127.0.0.1
        port: 0
        max_connections: 10
        tls:
          enabled: false
      security:
        allow_anonymous: true
      ingest:
        queue_capacity: 10
        simulation_topics: [twin/+/simulation]
      journal:
        sync: batch
        sync_interval: 1s
      alerts:
        topic: alerts/{severity}/{category}
        qos: 1
      EVENT_NOTIFICATION:
        max_events: 5
      """;

  private static final String RULES =
      """
      rules:
        - id: line1-temp-high
          name: Production Line Temperature
          topic: plant/line1/+/temperature
          path: value
          comparison: greater_than
          value: 25.0
          severity: warning
          deadband: 0.5
          on_delay: 2s
      PARAMETER_THRESHOLDS:
        production_line.temperature: {name: T, value: 25.0, comparison: greater_than, severity: WARNING}
      """;

  private static final String[] SPLICES = {
    ":", " ", "\n", "  ", "-", "[", "]", "{", "}", "'", "\"", "#", "&a", "*a", "!!str", "? ",
    "|", ">", "%", "@", "`", "\t", "\u0000", "é", "1e999", "-1", "null", "~", "<<: *a", ",",
    "&anchor [*anchor, *anchor]"
  };

  static String mutate(String text, Random random) {
    StringBuilder out = new StringBuilder(text);
    int n = 1 + random.nextInt(5);
    for (int i = 0; i < n; i++) {
      int at = random.nextInt(out.length() + 1);
      switch (random.nextInt(4)) {
        case 0 -> out.insert(at, SPLICES[random.nextInt(SPLICES.length)]);
        case 1 -> {
          if (at < out.length()) {
            out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(8)));
          }
        }
        case 2 -> {
          if (out.length() == 0) {
            continue;
          }
          int from = random.nextInt(out.length());
          int to = Math.min(out.length(), from + random.nextInt(20));
          out.insert(at, out.substring(from, to));
        }
        default -> out.setLength(Math.min(out.length(), at));
      }
    }
    return out.toString();
  }

  @Test
  void mutatedConfigurations_giveAConfigOrProblems_neverAnException() {
    Random random = new Random(101);
    int[] ok = {0};
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 3_000; i++) {
            String yaml = i == 0 ? CONFIG : mutate(CONFIG, random);
            ConfigLoader.Result result = ConfigLoader.parse(yaml, "c.yaml", Optional.empty());
            assertThat(result.config().isPresent()).as(yaml).isEqualTo(result.problems().isEmpty());
            result.problems().forEach(p -> assertThat(p.message()).as(yaml).isNotBlank());
            if (result.ok()) {
              ok[0]++;
            }
          }
        });
    assertThat(ok[0]).as("the original and some mutations are valid").isGreaterThan(10);
  }

  @Test
  void mutatedRuleFiles_giveRulesOrProblems_neverAnException() {
    Random random = new Random(202);
    int[] ok = {0};
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 3_000; i++) {
            String yaml = i == 0 ? RULES : mutate(RULES, random);
            RuleFile.Result result = RuleFile.parse(yaml, "rules.yaml", List.of("twin/+/state"));
            assertThat(result.ok()).as(yaml).isEqualTo(result.problems().isEmpty());
            if (result.ok()) {
              ok[0]++;
            }
          }
        });
    assertThat(ok[0]).isGreaterThan(10);
  }

  @Test
  void billionLaughs_isRefusedQuickly() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          assertThat(ConfigLoader.parse(yaml.toString(), "c.yaml", Optional.empty()).ok()).isFalse();
          assertThat(RuleFile.parse(yaml.toString(), "r.yaml", List.of()).ok()).isFalse();
        });
  }
}
