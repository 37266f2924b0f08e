package io.floorgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.rules.tree.Problem;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Escalation tiers ({@code limits:}), {@code latch} and {@code out_of_service} in rule files. */
class RuleFileLimitsTest {
  private static final List<String> STATE_TOPICS = List.of("floorgate/state");

  private static RuleFile.Result parse(String text) {
    return RuleFile.parse(text, "rules.yaml", STATE_TOPICS);
  }

  private static List<String> problems(RuleFile.Result result) {
    return result.problems().stream().map(Problem::toString).toList();
  }

  // --- valid files ---------------------------------------------------------------------------

  @Test
  void parse_limits_areReadAsTiersInTheOrderWritten() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: boiler-temp
                topic: plant/boiler/temp
                comparison: greater_than
                limits:
                  - {level: H, value: 200, severity: warning}
                  - level: HH
                    value: 250.5
                    severity: critical
                    deadband: 5
            """);

    assertThat(result.problems()).isEmpty();
    Rule rule = result.orThrow().get("boiler-temp").orElseThrow();
    assertThat(rule.limits())
        .containsExactly(
            new Limit("H", 200, Severity.WARNING, 0), new Limit("HH", 250.5, Severity.CRITICAL, 5));
    assertThat(rule.tiered()).isTrue();
    assertThat(rule.threshold()).as("the least severe tier's").isEqualTo(200);
    assertThat(rule.severity()).isEqualTo(Severity.WARNING);
    assertThat(rule.latch()).isFalse();
    assertThat(rule.outOfService()).isFalse();
  }

  @Test
  void parse_lessThanLimits_areReadFromLToLl() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: pressure-low
                topic: plant/pressure
                comparison: less_than
                limits:
                  - {level: L, value: 10, deadband: 0.5}
                  - {level: LL, value: 5, severity: critical, deadband: 1}
            """);

    assertThat(result.orThrow().rules())
        .containsExactly(
            new Rule(
                "pressure-low",
                "pressure-low",
                List.of("plant/pressure"),
                "value",
                Comparison.LESS_THAN,
                List.of(new Limit("L", 10, null, 0.5), new Limit("LL", 5, Severity.CRITICAL, 1)),
                Duration.ZERO,
                Duration.ZERO,
                Mode.ALARM,
                false,
                false));
  }

  @Test
  void parse_latchAndOutOfService_areRead() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - {id: latching, topic: a, comparison: greater_than, value: 1, latch: true}
              - {id: parked, topic: b, comparison: greater_than, value: 1, out_of_service: true}
              - {id: plain, topic: c, comparison: greater_than, value: 1, latch: false,
                 out_of_service: false}
            PARAMETER_THRESHOLDS:
              production_line.temperature: {value: 25, comparison: greater_than, latch: true,
                                            out_of_service: true}
            """);

    RuleSet rules = result.orThrow();
    Rule latching = rules.get("latching").orElseThrow();
    assertThat(latching.latch()).isTrue();
    assertThat(latching.outOfService()).isFalse();
    Rule parked = rules.get("parked").orElseThrow();
    assertThat(parked.latch()).isFalse();
    assertThat(parked.outOfService()).isTrue();
    Rule plain = rules.get("plain").orElseThrow();
    assertThat(plain.latch()).isFalse();
    assertThat(plain.outOfService()).isFalse();
    Rule seed = rules.get("production_line.temperature").orElseThrow();
    assertThat(seed.latch()).isTrue();
    assertThat(seed.outOfService()).isTrue();
  }

  @Test
  void parse_seedEntryWithLimits_isTiered() {
    RuleFile.Result result =
        parse(
            """
            PARAMETER_THRESHOLDS:
              production_line.temperature:
                comparison: greater_than
                limits:
                  - {level: H, value: 25}
                  - {level: HH, value: 30, severity: critical}
            """);

    assertThat(result.orThrow().get("production_line.temperature").orElseThrow().limits())
        .containsExactly(new Limit("H", 25, null, 0), new Limit("HH", 30, Severity.CRITICAL, 0));
  }

  // --- problems ------------------------------------------------------------------------------

  @Test
  void parse_limitsWithValueSeverityOrDeadbandAtTheRuleLevel_reportsEachWhereItIsWritten() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                value: 200
                severity: warning
                deadband: 1
                limits:
                  - {level: H, value: 200}
                  - {level: HH, value: 250}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:5:12: rule 'r': value belongs inside each of limits when a rule has"
                + " limits; move it there",
            "rules.yaml:6:15: rule 'r': severity belongs inside each of limits when a rule has"
                + " limits; move it there",
            "rules.yaml:7:15: rule 'r': deadband belongs inside each of limits when a rule has"
                + " limits; move it there");
    assertThat(result.rules()).isEmpty();
  }

  @Test
  void parse_greaterThanLimitsNotIncreasing_isAProblemAtTheLimits() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                limits:
                  - {level: H, value: 200}
                  - {level: HH, value: 150}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:6:7: rule 'r': limit 'HH': tiers are listed from the least to the most"
                + " severe, so its value must be above 200.0, but was 150.0");
  }

  @Test
  void parse_greaterThanLimitsEqual_isAProblem() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_or_equal
                limits: [{level: H, value: 200}, {level: HH, value: 200}]
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:5:13: rule 'r': limit 'HH': tiers are listed from the least to the most"
                + " severe, so its value must be above 200.0, but was 200.0");
  }

  @Test
  void parse_lessThanLimitsNotDecreasing_isAProblemAtTheLimits() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: less_than
                limits:
                  - {level: L, value: 10}
                  - {level: LL, value: 20}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:6:7: rule 'r': limit 'LL': tiers are listed from the least to the most"
                + " severe, so its value must be below 10.0, but was 20.0");
  }

  @Test
  void parse_duplicateLevel_isAProblem() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                limits:
                  - {level: H, value: 200}
                  - {level: H, value: 250}
            """);

    assertThat(problems(result))
        .containsExactly("rules.yaml:6:7: rule 'r': limit 'H': duplicate level");
  }

  @Test
  void parse_badLevelName_isAProblemNamingTheLimit() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                limits:
                  - {level: H, value: 200}
                  - {level: high-high, value: 250}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:6:7: rule 'r': limit #2: level must be 1 to 16 letters, digits or '_'"
                + " (H, HH, LL...), but was 'high-high'");
  }

  @Test
  void parse_limitsWithEqualOrNotEqual_isAProblem() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: eq
                topic: a
                comparison: equal
                limits: [{level: H, value: 1}, {level: HH, value: 2}]
              - id: ne
                topic: b
                comparison: not_equal
                limits: [{level: H, value: 1}, {level: HH, value: 2}]
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:5:13: rule 'eq': limits (escalation tiers) need a greater or less"
                + " comparison, but comparison is equal",
            "rules.yaml:9:13: rule 'ne': limits (escalation tiers) need a greater or less"
                + " comparison, but comparison is not_equal");
  }

  @Test
  void parse_unknownKeyInALimit_isReportedAtTheKeyWithItsPath() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                limits:
                  - {level: H, value: 200}
                  - {level: HH, value: 250, colour: red}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:7:33: rule 'r': unknown key 'limits[2].colour'; allowed: deadband, level,"
                + " severity, value");
  }

  @Test
  void parse_limitWithoutLevelOrValue_isReportedAtThatLimit() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                limits:
                  - {value: 200}
                  - {level: HH}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:6:9: rule 'r': limits[1].level is required",
            "rules.yaml:7:9: rule 'r': limits[2].value is required");
  }

  @Test
  void parse_negativeDeadbandInALimit_namesTheLimitsDeadband() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                limits:
                  - {level: H, value: 200}
                  - {level: HH, value: 250, deadband: -1}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:7:43: rule 'r': limits[2].deadband must be >= 0, but was -1.0");
  }

  @Test
  void parse_wrongTypesInALimit_nameTheLimitsField() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                limits:
                  - {level: [H], value: high, severity: loud}
                  - {level: HH, value: 250, severity: {a: 1}}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:6:17: rule 'r': limits[1].level must be a string, but was a list",
            "rules.yaml:6:29: rule 'r': limits[1].value must be a finite number, but was 'high'",
            "rules.yaml:6:45: rule 'r': limits[1].severity must be one of [info, warning, error,"
                + " critical], but was 'loud'",
            "rules.yaml:7:43: rule 'r': limits[2].severity must be a string, but was a mapping");
  }

  @Test
  void parse_limitsThatAreNotAListOfMappings_areReported() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - {id: a, topic: a, comparison: greater_than, limits: 5}
              - {id: b, topic: b, comparison: greater_than, limits: []}
              - {id: c, topic: c, comparison: greater_than, limits: [H]}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:2:57: rule 'a': limits must be a list of {level, value, severity,"
                + " deadband}, but was 5",
            "rules.yaml:3:57: rule 'b': limits must be a list of {level, value, severity,"
                + " deadband}, but was an empty list",
            "rules.yaml:4:58: rule 'c': limit #1 must be a mapping, but was 'H'");
  }

  @Test
  void parse_limitProblemsAndTierProblemsInOneRule_areAllReported() {
    // A file is validated as a whole: one problem must not hide another in the same rule.
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                limits:
                  - {level: H, value: 200, colour: red}
                  - {level: HH, value: 150}
            """);

    assertThat(problems(result))
        .containsExactlyInAnyOrder(
            "rules.yaml:6:32: rule 'r': unknown key 'limits[1].colour'; allowed: deadband, level,"
                + " severity, value",
            "rules.yaml:6:7: rule 'r': limit 'HH': tiers are listed from the least to the most"
                + " severe, so its value must be above 200.0, but was 150.0");
  }

  @Test
  void parse_latchWithEverySample_isReportedAsIneffective() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: greater_than
                value: 1
                mode: every_sample
                latch: true
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:7:12: rule 'r': latch has no effect with mode every_sample; remove it");
  }

  @Test
  void parse_latchOrOutOfServiceThatAreNotBooleans_areReported() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - {id: r, topic: a, comparison: greater_than, value: 1, latch: sometimes,
                 out_of_service: 1}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:2:66: rule 'r': latch must be true or false, but was 'sometimes'",
            "rules.yaml:3:22: rule 'r': out_of_service must be true or false, but was 1");
  }
}
