package io.floorgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.floorgate.rules.tree.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Properties of the rule-file reader (jqwik): whatever the input, the outcome is the documented
 * one, rules exactly when there are no problems and every problem located at file, line and
 * column, never another exception, and quickly; a generated valid file reads back what it says.
 */
class RuleFilePropertyTest {
  private static final List<String> STATE_TOPICS = List.of("twin/+/state");
  /** Per try; a parse of these small inputs takes milliseconds, so this only catches a hang. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  private static final String VALID =
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
          off_delay: 0s
        - id: tank-level
          topic: plant/tank/level
          path: ""
          comparison: less_than
          limits:
            - {level: L, value: 20, severity: warning}
            - {level: LL, value: 5, severity: critical, deadband: 1}
          latch: true
      PARAMETER_THRESHOLDS:
        production_line.temperature: {name: T, value: 25.0, comparison: greater_than, severity: WARNING}
      """;

  private static RuleFile.Result parse(String text) {
    return assertTimeoutPreemptively(
        BOUND,
        () -> RuleFile.parse(text, "rules.yaml", STATE_TOPICS),
        () -> "parsing took longer than " + BOUND);
  }

  /** The documented outcome: rules or located problems, and orThrow throws only its own type. */
  private static void assertDocumentedOutcome(RuleFile.Result result) {
    assertThat(result.rules().isPresent()).isEqualTo(result.problems().isEmpty());
    for (Problem problem : result.problems()) {
      assertThat(problem.location().file()).isEqualTo("rules.yaml");
      assertThat(problem.location().line()).isPositive();
      assertThat(problem.location().column()).isPositive();
      assertThat(problem.message()).isNotBlank();
    }
    if (!result.ok()) {
      assertThatThrownBy(result::orThrow).isInstanceOf(RuleFile.InvalidRulesException.class);
    }
  }

  @Property(tries = 300)
  void anyText_givesRulesOrLocatedProblems(@ForAll @StringLength(max = 400) String text) {
    assertDocumentedOutcome(parse(text));
  }

  @Property(tries = 400)
  void yamlLikeText_givesRulesOrLocatedProblems(@ForAll("yamlTokens") String text) {
    assertDocumentedOutcome(parse(text));
  }

  @Property(tries = 100)
  void anyBytesInAFile_giveRulesOrLocatedProblems(@ForAll @Size(max = 400) byte[] bytes)
      throws IOException {
    Path file = Files.createTempFile("rules", ".yaml");
    try {
      Files.write(file, bytes);
      RuleFile.Result result =
          assertTimeoutPreemptively(BOUND, () -> RuleFile.load(file, STATE_TOPICS));
      assertThat(result.rules().isPresent()).isEqualTo(result.problems().isEmpty());
      result.problems().forEach(p -> assertThat(p.location().line()).isPositive());
    } finally {
      Files.delete(file);
    }
  }

  @Property(tries = 500)
  void mutatedValidFile_givesRulesOrLocatedProblems(@ForAll("mutatedRuleFiles") String text) {
    assertDocumentedOutcome(parse(text));
  }

  @Property(tries = 250, edgeCases = EdgeCasesMode.FIRST)
  void anyJsonWithRuleKeys_givesRulesOrLocatedProblems(@ForAll("ruleJson") String json) {
    assertDocumentedOutcome(parse(json));
  }

  @Property(tries = 60)
  void deeplyNestedDocument_isAProblem_notAStackOverflow(
      @ForAll @IntRange(min = 1, max = 20_000) int depth, @ForAll Nesting nesting) {
    RuleFile.Result result = parse(nesting.document(depth));

    assertDocumentedOutcome(result);
    assertThat(result.ok()).isFalse();
  }

  @Property(tries = 200)
  void generatedValidRules_parse_andKeepEveryField(
      @ForAll("validRules") List<Rule> rules, @ForAll boolean asJson) {
    String text = asJson ? RuleText.json(rules) : RuleText.yaml(rules);

    RuleFile.Result result = parse(text);

    assertThat(result.problems()).as(text).isEmpty();
    assertThat(result.orThrow().rules()).as(text).containsExactlyElementsOf(rules);
  }

  // --- generators ----------------------------------------------------------------------------

  /** How a deep document nests. */
  enum Nesting {
    JSON_ARRAYS,
    JSON_OBJECTS,
    YAML_FLOW,
    YAML_BLOCK,
    UNCLOSED;

    String document(int depth) {
      return switch (this) {
        case JSON_ARRAYS -> "[".repeat(depth) + "1" + "]".repeat(depth);
        case JSON_OBJECTS -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        case YAML_FLOW -> "rules: " + "[{a: ".repeat(depth) + "1" + "}]".repeat(depth);
        case YAML_BLOCK -> {
          // Indentation grows with depth: keep the document to a few hundred kB.
          StringBuilder out = new StringBuilder();
          int levels = Math.min(depth, 600);
          for (int i = 0; i < levels; i++) {
            out.append(" ".repeat(i)).append("rules:\n");
          }
          yield out.append(" ".repeat(levels)).append("- 1\n").toString();
        }
        case UNCLOSED -> "rules: " + "[{\"a\": ".repeat(depth);
      };
    }
  }

  @Provide
  Arbitrary<String> yamlTokens() {
    return Arbitraries.of(
            "rules", "PARAMETER_THRESHOLDS", ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",",
            "'", "\"", "#", "&a ", "*a", "!!str ", "!!float ", "? ", "|", ">", "\t", "\\", "id",
            "topic", "value", "limits", "level", "comparison", "greater_than", "severity",
            "warning", "deadband", "on_delay", "2s", "mode", "every_sample", "latch", "true",
            "null", "~", "25.0", "-1", "1e999", ".nan", "a/+/#", "é", "\u0000", "\"\\0\"",
            "---\n", "<<: *a")
        .list()
        .ofMaxSize(80)
        .map(tokens -> String.join("", tokens));
  }

  @Provide
  Arbitrary<String> mutatedRuleFiles() {
    return TextEdits.of(VALID, 6);
  }

  @Provide
  Arbitrary<String> ruleJson() {
    Arbitrary<Object> value = JsonValues.values(RuleFile.RULE_KEYS, PLAUSIBLE);
    Arbitrary<Map<String, Object>> rule =
        Arbitraries.maps(JsonValues.keys(RuleFile.RULE_KEYS), value).ofMaxSize(12);
    Arbitrary<Object> rules = Arbitraries.oneOf(rule.list().ofMaxSize(4).map(l -> l), value);
    Arbitrary<Object> seed =
        Arbitraries.oneOf(
            Arbitraries.maps(Arbitraries.of("p.t", "a", "bad key", "x..y", ""), rule)
                .ofMaxSize(3)
                .map(m -> m),
            value);
    return Combinators.combine(rules, seed, Arbitraries.integers().between(0, 3))
        .as(
            (r, s, pick) -> {
              Map<String, Object> top = new java.util.LinkedHashMap<>();
              if (pick != 1) {
                top.put("rules", r);
              }
              if (pick != 0) {
                top.put("PARAMETER_THRESHOLDS", s);
              }
              if (pick == 3) {
                top.put("unknown", 1);
              }
              return JsonValues.write(top);
            });
  }

  /** Values a rule file's fields take, right and nearly right. */
  private static final List<Object> PLAUSIBLE =
      List.of(
          "r-1", "plant/+/temperature", "a/#", "#/a", "a+", "", " ", "value", "a.b", "a..b",
          "greater_than", "less_than", "equal", "not_equal", "greater_or_equal", "WARNING",
          "critical", "loud", "alarm", "every_sample", "2s", "500ms", "1.5m", "25h", "-1s",
          "9999999999999999999999h", 0, 1, -1, 25.0, 0.5, -0.5, 1e308, Long.MAX_VALUE, true,
          false, "H", "HH", "L");

  @Provide
  Arbitrary<List<Rule>> validRules() {
    return RuleText.rules().list().ofMinSize(1).ofMaxSize(5).uniqueElements(Rule::id);
  }

  /** Generated rules written as rule-file text. */
  static final class RuleText {
    private RuleText() {}

    static Arbitrary<Rule> rules() {
      Arbitrary<String> id =
          Arbitraries.strings()
              .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-")
              .ofMinLength(1)
              .ofMaxLength(40);
      Arbitrary<String> name =
          Arbitraries.strings()
              .withCharRange(' ', '~')
              .withCharRange('\u00a0', '\u024f')
              .ofMinLength(1)
              .ofMaxLength(40)
              .filter(s -> !s.isBlank());
      Arbitrary<String> level =
          Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789-").ofMinLength(1).ofMaxLength(8);
      Arbitrary<String> topic =
          Combinators.combine(
                  Arbitraries.oneOf(level, Arbitraries.just("+")).list().ofMinSize(1).ofMaxSize(5),
                  Arbitraries.of(true, false))
              .as((levels, hash) -> String.join("/", levels) + (hash ? "/#" : ""));
      Arbitrary<String> path =
          Arbitraries.oneOf(
              Arbitraries.just(""),
              Arbitraries.strings()
                  .withCharRange('a', 'z')
                  .withChars("_")
                  .ofMinLength(1)
                  .ofMaxLength(10)
                  .list()
                  .ofMinSize(1)
                  .ofMaxSize(3)
                  .map(names -> String.join(".", names)));
      Arbitrary<Double> threshold = Arbitraries.doubles().between(-1e6, 1e6);
      Arbitrary<Double> deadband = Arbitraries.doubles().between(0, 100);
      Arbitrary<Duration> delay =
          Arbitraries.longs().between(0, Duration.ofDays(1).toMillis()).map(Duration::ofMillis);
      Arbitrary<Severity> severity = Arbitraries.of(Severity.class).injectNull(0.25);
      return Combinators.combine(
              List.of(
                  id.map(o -> (Object) o),
                  name.map(o -> (Object) o),
                  topic.map(o -> (Object) o),
                  path.map(o -> (Object) o),
                  Arbitraries.of(Comparison.class).map(o -> (Object) o),
                  threshold.map(o -> (Object) o),
                  severity.map(o -> (Object) o),
                  deadband.map(o -> (Object) o),
                  delay.map(o -> (Object) o),
                  delay.map(o -> (Object) o),
                  Arbitraries.of(Mode.class).map(o -> (Object) o),
                  Arbitraries.of(true, false).map(o -> (Object) o),
                  Arbitraries.of(true, false).map(o -> (Object) o)))
          .as(RuleText::rule);
    }

    private static Rule rule(List<Object> f) {
      Comparison comparison = (Comparison) f.get(4);
      Mode mode = (Mode) f.get(10);
      boolean alarm = mode == Mode.ALARM;
      // Settings that the reader refuses as having no effect are left at their defaults.
      double deadband = alarm && comparison != Comparison.NOT_EQUAL ? (Double) f.get(7) : 0.0;
      return new Rule(
          (String) f.get(0),
          (String) f.get(1),
          List.of((String) f.get(2)),
          (String) f.get(3),
          comparison,
          List.of(new Limit("", (Double) f.get(5), (Severity) f.get(6), deadband)),
          alarm ? (Duration) f.get(8) : Duration.ZERO,
          alarm ? (Duration) f.get(9) : Duration.ZERO,
          mode,
          alarm && (Boolean) f.get(11),
          (Boolean) f.get(12));
    }

    /** The fields a generated rule writes; defaults are left out where the reader allows it. */
    private static Map<String, Object> fields(Rule rule) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("id", rule.id());
      out.put("name", rule.name());
      out.put("topic", rule.topics().get(0));
      out.put("path", rule.path());
      out.put("comparison", rule.comparison().value());
      out.put("value", rule.threshold());
      if (rule.severity() != null) {
        out.put("severity", rule.severity().value().toUpperCase(Locale.ROOT));
      }
      if (rule.mode() == Mode.ALARM) {
        out.put("deadband", rule.deadband());
        out.put("on_delay", rule.onDelay().toMillis() + "ms");
        out.put("off_delay", rule.offDelay().toMillis() + "ms");
        out.put("latch", rule.latch());
      }
      out.put("mode", rule.mode().value());
      out.put("out_of_service", rule.outOfService());
      return out;
    }

    static String json(List<Rule> rules) {
      return JsonValues.write(Map.of("rules", rules.stream().map(RuleText::fields).toList()));
    }

    /** Block-style YAML; strings double-quoted with escapes (YAML's double quotes read JSON's). */
    static String yaml(List<Rule> rules) {
      StringBuilder out = new StringBuilder("rules:\n");
      for (Rule rule : rules) {
        String dash = "  - ";
        for (Map.Entry<String, Object> field : fields(rule).entrySet()) {
          out.append(dash)
              .append(field.getKey())
              .append(": ")
              .append(JsonValues.write(field.getValue()))
              .append('\n');
          dash = "    ";
        }
      }
      return out.toString();
    }
  }

  /** Arbitrary JSON values as Java objects, and a writer. */
  static final class JsonValues {
    private JsonValues() {}

    static Arbitrary<String> keys(java.util.Set<String> known) {
      return Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(4, Arbitraries.of(List.copyOf(new java.util.TreeSet<>(known)))),
          net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(8)));
    }

    static Arbitrary<Object> values(java.util.Set<String> keys, List<Object> plausible) {
      Arbitrary<Object> scalar =
          Arbitraries.frequencyOf(
              net.jqwik.api.Tuple.of(5, Arbitraries.of(plausible)),
              net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s)),
              net.jqwik.api.Tuple.of(1, Arbitraries.longs().map(l -> (Object) l)),
              net.jqwik.api.Tuple.of(1, Arbitraries.doubles().map(d -> (Object) d)),
              net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) null).injectNull(1.0)));
      return Arbitraries.recursive(
          () -> scalar,
          inner ->
              Arbitraries.oneOf(
                  inner.list().ofMaxSize(3).map(l -> (Object) l),
                  Arbitraries.maps(keys(keys), inner).ofMaxSize(3).map(m -> (Object) m)),
          0,
          3);
    }

    static String write(@org.jspecify.annotations.Nullable Object value) {
      StringBuilder out = new StringBuilder();
      write(value, out);
      return out.toString();
    }

    private static void write(@org.jspecify.annotations.Nullable Object value, StringBuilder out) {
      if (value == null) {
        out.append("null");
      } else if (value instanceof String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
          char c = s.charAt(i);
          if (c == '"' || c == '\\') {
            out.append('\\').append(c);
          } else if (c < 0x20 || c > 0x7e) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
        out.append('"');
      } else if (value instanceof Double d && !Double.isFinite(d)) {
        out.append('"').append(d).append('"');
      } else if (value instanceof Map<?, ?> map) {
        out.append('{');
        String sep = "";
        for (Map.Entry<?, ?> e : map.entrySet()) {
          out.append(sep);
          write(String.valueOf(e.getKey()), out);
          out.append(':');
          write(e.getValue(), out);
          sep = ",";
        }
        out.append('}');
      } else if (value instanceof List<?> list) {
        out.append('[');
        String sep = "";
        for (Object item : list) {
          out.append(sep);
          write(item, out);
          sep = ",";
        }
        out.append(']');
      } else {
        out.append(value);
      }
    }
  }

}
