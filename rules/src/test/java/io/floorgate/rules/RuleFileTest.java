package io.floorgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.floorgate.rules.tree.Location;
import io.floorgate.rules.tree.Problem;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleFileTest {
  private static final List<String> STATE_TOPICS = List.of("floorgate/state", "plant/+/state");

  private static RuleFile.Result parse(String text) {
    return RuleFile.parse(text, "rules.yaml", STATE_TOPICS);
  }

  private static List<String> problems(RuleFile.Result result) {
    return result.problems().stream().map(Problem::toString).toList();
  }

  // --- valid files ---------------------------------------------------------------------------

  @Test
  void parse_nativeRuleWithEveryField_readsEveryField() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: line1-temp-high
                name: Production Line Temperature
                topic: plant/line1/+/temperature
                path: production_line.temperature
                comparison: greater_or_equal
                value: 25.5
                severity: critical
                deadband: 0.5
                on_delay: 2s
                off_delay: 500ms
                mode: alarm
            """);

    assertThat(result.problems()).isEmpty();
    assertThat(result.ok()).isTrue();
    assertThat(result.orThrow().rules())
        .containsExactly(
            new Rule(
                "line1-temp-high",
                "Production Line Temperature",
                List.of("plant/line1/+/temperature"),
                "production_line.temperature",
                Comparison.GREATER_OR_EQUAL,
                25.5,
                Severity.CRITICAL,
                0.5,
                Duration.ofSeconds(2),
                Duration.ofMillis(500),
                Mode.ALARM));
  }

  @Test
  void parse_everySampleWithAlarmOnlySettings_reportsEachAsIneffective() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r1
                topic: a/b
                comparison: greater_than
                value: 1
                deadband: 0.5
                on_delay: 2s
                off_delay: 1s
                mode: every_sample
              - id: r2
                topic: a/c
                comparison: not_equal
                value: 1
                deadband: 0.5
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:6:15: rule 'r1': deadband has no effect with mode every_sample; remove it",
            "rules.yaml:7:15: rule 'r1': on_delay has no effect with mode every_sample; remove it",
            "rules.yaml:8:16: rule 'r1': off_delay has no effect with mode every_sample; remove it",
            "rules.yaml:14:15: rule 'r2': deadband has no effect with not_equal (normal is exactly"
                + " the threshold); remove it");
  }

  @Test
  void parse_delayLongerThanADay_isReported() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r1
                topic: a/b
                comparison: greater_than
                value: 1
                on_delay: 99999999999h
            """);

    assertThat(problems(result))
        .singleElement()
        .asString()
        .startsWith("rules.yaml:6:15: rule 'r1': on_delay must be between 0 and 24h");
  }

  @Test
  void parse_nativeRuleWithOnlyRequiredFields_takesTheDefaults() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: pressure-low
                topic: plant/line1/pressure
                comparison: less_than
                value: 2
            """);

    assertThat(result.orThrow().rules())
        .containsExactly(
            new Rule(
                "pressure-low",
                "pressure-low",
                List.of("plant/line1/pressure"),
                "value",
                Comparison.LESS_THAN,
                2,
                null,
                0,
                Duration.ZERO,
                Duration.ZERO,
                Mode.ALARM));
  }

  @Test
  void parse_emptyPath_meansTheWholePayload() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - {id: bare, topic: a/b, path: "", comparison: equal, value: 1}
            """);

    assertThat(result.orThrow().rules().get(0).path()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "2s,    PT2S",
    "1.5s,  PT1.5S",
    "5m,    PT5M",
    "1h,    PT1H",
    "3,     PT3S",
    "0.25,  PT0.25S",
    "0s,    PT0S",
    "2S,    PT2S",
    "250 ms, PT0.25S",
  })
  void parse_delay_acceptsUnitsAndBareSeconds(String written, Duration expected) {
    RuleFile.Result result =
        parse(
            "rules:\n"
                + "  - {id: r, topic: a, comparison: equal, value: 1, on_delay: "
                + written
                + ", off_delay: "
                + written
                + "}\n");

    Rule rule = result.orThrow().rules().get(0);
    assertThat(rule.onDelay()).isEqualTo(expected);
    assertThat(rule.offDelay()).isEqualTo(expected);
  }

  @Test
  void parse_designExample_isAcceptedVerbatim() {
    // DESIGN.md §5, character for character.
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: line1-temp-high
                name: Production Line Temperature     # the event's "parameter"
                topic: plant/line1/+/temperature      # MQTT topic filter
                path: value                           # dotted path; "" = the payload is the number
                comparison: greater_than              # greater_than | less_than | greater_or_equal |
                                                      # less_or_equal | equal | not_equal
                value: 25.0                           # the threshold (seed key)
                severity: warning
                deadband: 0.5                         # clears only below 24.5
                on_delay: 2s                          # must hold 2 s before it raises
                off_delay: 0s
            PARAMETER_THRESHOLDS:                     # the seed's block, accepted verbatim
              production_line.temperature: {name: Production Line Temperature, value: 25.0,
                                            comparison: greater_than, severity: WARNING}
            """);

    assertThat(result.problems()).isEmpty();
    RuleSet rules = result.orThrow();
    assertThat(rules.rules())
        .containsExactly(
            new Rule(
                "line1-temp-high",
                "Production Line Temperature",
                List.of("plant/line1/+/temperature"),
                "value",
                Comparison.GREATER_THAN,
                25.0,
                Severity.WARNING,
                0.5,
                Duration.ofSeconds(2),
                Duration.ZERO,
                Mode.ALARM),
            new Rule(
                "production_line.temperature",
                "Production Line Temperature",
                STATE_TOPICS,
                "production_line.temperature",
                Comparison.GREATER_THAN,
                25.0,
                Severity.WARNING,
                0,
                Duration.ZERO,
                Duration.ZERO,
                Mode.ALARM));
  }

  @Test
  void parse_seedParameterThresholds_expandToRulesOnTheStateTopics() {
    RuleFile.Result result =
        parse(
            """
            PARAMETER_THRESHOLDS:
              production_line.temperature: {name: Production Line Temperature, value: 25.0,
                                            comparison: greater_than, severity: WARNING}
              production_line.energy_consumption:
                name: Energy Consumption
                value: 1000.0
                comparison: greater_than
                severity: ERROR
            """);

    RuleSet rules = result.orThrow();
    assertThat(rules.rules())
        .extracting(Rule::id)
        .containsExactly("production_line.temperature", "production_line.energy_consumption");
    Rule temperature = rules.get("production_line.temperature").orElseThrow();
    assertThat(temperature.name()).isEqualTo("Production Line Temperature");
    assertThat(temperature.path()).isEqualTo("production_line.temperature");
    assertThat(temperature.topics()).isEqualTo(STATE_TOPICS);
    assertThat(temperature.threshold()).isEqualTo(25.0);
    assertThat(temperature.comparison()).isEqualTo(Comparison.GREATER_THAN);
    assertThat(temperature.severity()).isEqualTo(Severity.WARNING);
    assertThat(temperature.mode()).isEqualTo(Mode.ALARM);
    assertThat(rules.get("production_line.energy_consumption").orElseThrow().severity())
        .isEqualTo(Severity.ERROR);
    // Both watch every state topic, and only those.
    assertThat(rules.match("floorgate/state")).hasSize(2);
    assertThat(rules.match("plant/line7/state")).hasSize(2);
    assertThat(rules.match("plant/line7/temperature")).isEmpty();
  }

  @Test
  void parse_seedBlockWithoutStateTopics_isAProblemAtTheKey() {
    RuleFile.Result result =
        RuleFile.parse(
            """
            PARAMETER_THRESHOLDS:
              production_line.temperature: {value: 25.0, comparison: greater_than}
            """,
            "rules.yaml",
            List.of());

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:2:3: rule 'production_line.temperature': PARAMETER_THRESHOLDS needs state"
                + " topics to watch, but none are configured (rules.state_topics)");
  }

  @Test
  void parse_json_isAccepted() {
    RuleFile.Result result =
        RuleFile.parse(
            """
            {
              "rules": [
                {"id": "r1", "topic": "plant/+/temp", "comparison": "LESS_THAN", "value": 5,
                 "deadband": 0.5, "on_delay": "2s", "off_delay": 1, "mode": "alarm",
                 "severity": "Info"}
              ],
              "PARAMETER_THRESHOLDS": {
                "production_line.temperature": {"name": "T", "value": 25.0,
                                                "comparison": "greater_than", "severity": "WARNING"}
              }
            }
            """,
            "rules.json",
            STATE_TOPICS);

    assertThat(result.problems()).isEmpty();
    assertThat(result.orThrow().rules())
        .containsExactly(
            new Rule(
                "r1",
                "r1",
                List.of("plant/+/temp"),
                "value",
                Comparison.LESS_THAN,
                5,
                Severity.INFO,
                0.5,
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                Mode.ALARM),
            new Rule(
                "production_line.temperature",
                "T",
                STATE_TOPICS,
                "production_line.temperature",
                Comparison.GREATER_THAN,
                25.0,
                Severity.WARNING,
                0,
                Duration.ZERO,
                Duration.ZERO,
                Mode.ALARM));
  }

  @Test
  void parse_jsonIndentedWithTabs_isAccepted() {
    // JSON allows tabs as whitespace; YAML 1.1 parsers reject them, so this must still read.
    RuleFile.Result result =
        RuleFile.parse(
            "{\n\t\"rules\": [\n\t\t{\"id\": \"r1\", \"topic\": \"a/b\",\n\t\t \"comparison\":"
                + " \"equal\", \"value\": 1}\n\t]\n}\n",
            "rules.json",
            STATE_TOPICS);

    assertThat(result.problems()).isEmpty();
    assertThat(result.orThrow().rules()).extracting(Rule::id).containsExactly("r1");
  }

  @Test
  void parse_invalidJson_reportsLineAndColumnOfTheProblem() {
    RuleFile.Result result =
        RuleFile.parse(
            """
            {"rules": [
              {"id": "r1", "topic": "a/b", "comparison": "equal", "value": 1,
               "deadband": -2}
            ]}
            """,
            "rules.json",
            STATE_TOPICS);

    assertThat(problems(result))
        .containsExactly("rules.json:3:16: rule 'r1': deadband must be >= 0, but was -2.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n\n", "# only a comment\n", "rules:\n", "rules: []\n"})
  void parse_fileWithoutRules_isOkAndEmpty(String text) {
    RuleFile.Result result = parse(text);

    assertThat(result.ok()).isTrue();
    assertThat(result.problems()).isEmpty();
    assertThat(result.orThrow().size()).isZero();
    assertThat(result.orThrow().rules()).isEmpty();
  }

  @Test
  void parse_severalValidRules_buildAnIndexedRuleSet() {
    RuleSet rules =
        parse(
                """
                rules:
                  - {id: a, topic: plant/+/temp, comparison: greater_than, value: 1}
                  - {id: b, topic: plant/line1/#, comparison: less_than, value: 1}
                  - {id: c, topic: other/temp, comparison: equal, value: 1}
                """)
            .orThrow();

    assertThat(rules.match("plant/line1/temp"))
        .extracting(Rule::id)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(rules.match("other/temp")).extracting(Rule::id).containsExactly("c");
    assertThat(rules.get("b")).isPresent();
    assertThat(rules.get("zzz")).isEmpty();
  }

  // --- invalid files -------------------------------------------------------------------------

  @Test
  void parse_fileWithManyProblems_reportsEveryProblemWithLineColumnAndRule() {
    String text =
        """
        rules:
          - id: unknown-comparison
            topic: plant/a/temp
            comparison: bigger
            value: 25
          - id: missing-value
            topic: plant/b/temp
            comparison: less_than
          - id: negative-deadband
            topic: plant/c/temp
            comparison: greater_than
            value: 25
            deadband: -0.5
          - id: bad-topic
            topic: plant/#/temp
            comparison: greater_than
            value: 25
          - id: unknown-comparison
            topic: plant/d/temp
            comparison: less_than
            value: 3
          - id: unknown-key
            topic: plant/e/temp
            comparison: equal
            value: 1
            colour: red
          - id: wrong-types
            name: [not, a, string]
            topic: plant/f/temp
            comparison: equal
            value: high
            severity: {level: 3}
            deadband: none
            on_delay: true
            off_delay: 2 weeks
            mode: [every_sample]
          - topic: plant/g/temp
            comparison: equal
            value: 1
          - id: "bad id!"
            topic: plant/h/temp
            comparison: equal
            value: 1
        PARAMETER_THRESHOLDS:
          production_line.pressure: {name: Pressure, comparison: above, value: 2}
          production_line.humidity: {name: Humidity, comparison: less_than}
          production_line.speed: {name: Speed, value: 2, comparison: equal, colour: red}
          unknown-key: {value: 1, comparison: equal}
        extras: 1
        """;

    RuleFile.Result result = parse(text);

    String comparisons =
        "[greater_than, less_than, greater_or_equal, less_or_equal, equal, not_equal]";
    String duration = "must be a duration such as 500ms, 2s, 5m or 1h (>= 0), but was ";
    assertThat(result.ok()).isFalse();
    assertThat(result.rules()).isEmpty();
    assertThat(problems(result))
        .containsExactlyInAnyOrder(
            "rules.yaml:49:1: unknown key 'extras'; allowed: PARAMETER_THRESHOLDS, rules",
            "rules.yaml:4:17: rule 'unknown-comparison': comparison must be one of "
                + comparisons
                + ", but was 'bigger'",
            "rules.yaml:6:5: rule 'missing-value': value (the threshold) is required, or limits",
            "rules.yaml:13:15: rule 'negative-deadband': deadband must be >= 0, but was -0.5",
            "rules.yaml:15:12: rule 'bad-topic': topic is not a valid MQTT topic filter: '#' must"
                + " be the whole last level of a topic filter, but the filter is 'plant/#/temp'",
            "rules.yaml:18:9: rule 'unknown-comparison': duplicate id: every rule needs its own id"
                + " (first at line 2)",
            "rules.yaml:26:5: rule 'unknown-key': unknown key 'colour'; allowed: comparison,"
                + " deadband, id, latch, limits, mode, name, off_delay, on_delay, out_of_service,"
                + " path, severity, topic, value",
            "rules.yaml:28:11: rule 'wrong-types': name must be a string, but was a list",
            "rules.yaml:31:12: rule 'wrong-types': value must be a finite number, but was 'high'",
            "rules.yaml:32:15: rule 'wrong-types': severity must be a string, but was a mapping",
            "rules.yaml:33:15: rule 'wrong-types': deadband must be a finite number, but was"
                + " 'none'",
            "rules.yaml:34:15: rule 'wrong-types': on_delay " + duration + "true",
            "rules.yaml:35:16: rule 'wrong-types': off_delay " + duration + "'2 weeks'",
            "rules.yaml:36:11: rule 'wrong-types': mode must be a string, but was a list",
            "rules.yaml:37:5: rule #8: id is required",
            "rules.yaml:40:9: rule 'bad id!': id must be 1 to 128 letters, digits, '_', '.', ':'"
                + " or '-', but was 'bad id!'",
            "rules.yaml:45:58: rule 'production_line.pressure': comparison must be one of "
                + comparisons
                + ", but was 'above'",
            "rules.yaml:46:29: rule 'production_line.humidity': value (the threshold) is required,"
                + " or limits",
            "rules.yaml:47:69: rule 'production_line.speed': unknown key 'colour'; allowed:"
                + " comparison, deadband, latch, limits, mode, name, off_delay, on_delay,"
                + " out_of_service, severity, value",
            "rules.yaml:48:3: rule 'unknown-key': duplicate id: every rule needs its own id"
                + " (first at line 22)");
  }

  @Test
  void problem_toString_isFileLineColumnRuleAndMessage() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: line1-temp
                topic: a/b
                comparison: greater_than
                value: 25
                deadband: -1
            """);

    assertThat(result.problems()).hasSize(1);
    Problem problem = result.problems().get(0);
    assertThat(problem.location()).isEqualTo(new Location("rules.yaml", 6, 15));
    assertThat(problem.context()).isEqualTo("rule 'line1-temp'");
    assertThat(problem.message()).isEqualTo("deadband must be >= 0, but was -1.0");
    assertThat(problem)
        .hasToString("rules.yaml:6:15: rule 'line1-temp': deadband must be >= 0, but was -1.0");
  }

  @Test
  void parse_invalidId_isAProblemNotAnException() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: "line 1 / temp"
                topic: a/b
                comparison: greater_than
                value: 25
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:2:9: rule 'line 1 / temp': id must be 1 to 128 letters, digits, '_', '.',"
                + " ':' or '-', but was 'line 1 / temp'");
  }

  @Test
  void parse_duplicateIdOfValidRules_isReportedAtTheSecondId() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - {id: same, topic: a, comparison: equal, value: 1}
              - {id: other, topic: b, comparison: equal, value: 1}
              - {id: same, topic: c, comparison: equal, value: 2}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:4:10: rule 'same': duplicate id: every rule needs its own id (first at"
                + " line 2)");
  }

  @Test
  void parse_duplicateKeyInARule_isReportedWithBothLines() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r
                topic: a
                comparison: equal
                value: 1
                value: 2
            """);

    assertThat(problems(result))
        .containsExactly("rules.yaml:6:5: duplicate key 'value' (first at line 5)");
  }

  @Test
  void parse_unknownSeverityAndMode_listTheAllowedValues() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - {id: r, topic: a, comparison: equal, value: 1, severity: loud, mode: often}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:2:62: rule 'r': severity must be one of [info, warning, error, critical],"
                + " but was 'loud'",
            "rules.yaml:2:74: rule 'r': mode must be one of [alarm, every_sample], but was"
                + " 'often'");
  }

  @Test
  void parse_badPath_isAProblemAtThePath() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - {id: r, topic: a, path: a..b, comparison: equal, value: 1}
            """);

    assertThat(problems(result))
        .containsExactly(
            "rules.yaml:2:29: rule 'r': path must be dotted names such as"
                + " 'production_line.temperature' (or '' for a bare number), but was 'a..b'");
  }

  @Test
  void parse_missingIdTopicAndComparison_areEachReportedAtTheRule() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - value: 1
            """);

    assertThat(problems(result))
        .containsExactlyInAnyOrder(
            "rules.yaml:2:5: rule #1: id is required",
            "rules.yaml:2:5: rule #1: topic is required",
            "rules.yaml:2:5: rule #1: comparison is required");
  }

  @Test
  void parse_wrongShapes_areReported() {
    assertThat(problems(parse("rules: 5\n")))
        .containsExactly("rules.yaml:1:8: rules must be a list of rules, but was 5");
    assertThat(problems(parse("- a\n- b\n")))
        .containsExactly(
            "rules.yaml:1:1: a rule file must be a mapping with 'rules' and/or"
                + " 'PARAMETER_THRESHOLDS', but was a list");
    assertThat(problems(parse("rules:\n  - just a string\n")))
        .containsExactly("rules.yaml:2:5: a rule must be a mapping, but was 'just a string'");
    assertThat(problems(parse("PARAMETER_THRESHOLDS:\n  temperature: 25\n")))
        .containsExactly(
            "rules.yaml:2:16: rule 'temperature': a PARAMETER_THRESHOLDS entry must be a mapping"
                + " with name, value, comparison and severity, but was 25");
  }

  @Test
  void parse_badYaml_reportsTheSyntaxErrorWithLineAndColumn() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - id: r1
                topic: [plant/a
              - id: r2
            """);

    assertThat(result.ok()).isFalse();
    assertThat(result.rules()).isEmpty();
    assertThat(result.problems()).hasSize(1);
    Problem problem = result.problems().get(0);
    assertThat(problem.location()).isEqualTo(new Location("rules.yaml", 4, 7));
    assertThat(problem.context()).isNull();
    assertThat(problem.message()).startsWith("not valid YAML: ").contains("expected ',' or ']'");
  }

  @Test
  void parse_yamlIndentedWithATab_pointsAtTheTab() {
    RuleFile.Result result = parse("rules:\n  - id: r1\n\ttopic: a\n");

    assertThat(result.problems()).hasSize(1);
    Problem problem = result.problems().get(0);
    assertThat(problem.location()).isEqualTo(new Location("rules.yaml", 3, 1));
    assertThat(problem.message()).startsWith("not valid YAML: ").contains("TAB");
  }

  @Test
  void orThrow_withProblems_throwsListingEveryProblem() {
    RuleFile.Result result =
        parse(
            """
            rules:
              - {id: a, topic: a/#/b, comparison: equal, value: 1}
              - {id: b, topic: b, comparison: equal}
            """);

    assertThatExceptionOfType(RuleFile.InvalidRulesException.class)
        .isThrownBy(result::orThrow)
        .satisfies(e -> assertThat(e.problems()).isEqualTo(result.problems()))
        .withMessageStartingWith("2 problem(s) in the rules:\n")
        .withMessageContaining("rules.yaml:2:20: rule 'a': topic is not a valid MQTT topic filter")
        .withMessageContaining("rules.yaml:3:5: rule 'b': value (the threshold) is required, or limits");
  }

  // --- files on disk -------------------------------------------------------------------------

  @Test
  void load_missingFile_isOneProblemNotAnException(@TempDir Path dir) {
    Path missing = dir.resolve("missing.yaml");

    RuleFile.Result result = RuleFile.load(missing, STATE_TOPICS);

    assertThat(result.ok()).isFalse();
    assertThat(result.rules()).isEmpty();
    assertThat(result.problems()).hasSize(1);
    Problem problem = result.problems().get(0);
    assertThat(problem.location()).isEqualTo(new Location(missing.toString(), 1, 1));
    assertThat(problem.context()).isNull();
    assertThat(problem.message()).startsWith("cannot read the rule file: NoSuchFileException");
  }

  @Test
  void load_aFileLargerThanTheLimit_isOneProblemNamingItsSize(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("rules.yaml");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(RuleFile.MAX_BYTES + 1L);
    }

    RuleFile.Result result = RuleFile.load(file, STATE_TOPICS);

    assertThat(result.rules()).isEmpty();
    assertThat(result.problems())
        .singleElement()
        .hasToString(
            file
                + ":1:1: the rule file is 3145729 bytes, more than the 3145728 (3 MiB) a rule"
                + " file may be: each applied version is journaled whole");
  }

  @Test
  void load_aFileOfExactlyTheLimit_isRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rules.yaml");
    String head = "rules: []\n#";
    Files.writeString(file, head + " ".repeat(RuleFile.MAX_BYTES - head.length() - 1) + "\n");
    assertThat(Files.size(file)).isEqualTo(RuleFile.MAX_BYTES);

    assertThat(RuleFile.load(file, STATE_TOPICS).problems()).isEmpty();
  }

  @Test
  void load_directory_isOneProblemNotAnException(@TempDir Path dir) {
    RuleFile.Result result = RuleFile.load(dir, STATE_TOPICS);

    assertThat(result.problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("cannot read the rule file: "));
  }

  @Test
  void load_validFile_readsItAndNamesItInProblems(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(
        file,
        """
        rules:
          - {id: ok, topic: a, comparison: equal, value: 1}
        """);
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "rules:\n  - {id: bad, topic: a, comparison: equal, value: 1, x: 2}\n");

    assertThat(RuleFile.load(file, STATE_TOPICS).orThrow().rules())
        .extracting(Rule::id)
        .containsExactly("ok");
    assertThat(RuleFile.load(bad, STATE_TOPICS).problems())
        .extracting(p -> p.location().file())
        .containsExactly(bad.toString());
  }

  @Test
  void load_fileThatIsNotUtf8_isOneProblem(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, "rules:\n  - {id: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThat(RuleFile.load(file, STATE_TOPICS).problems())
        .extracting(Problem::toString)
        .containsExactly(file + ":1:1: the rule file is not valid UTF-8");
  }
}
