package io.floorgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTest {

  @Test
  void of_fillsTheDefaults() {
    Rule rule = Rule.of("r1", "a/+/b", "value", Comparison.LESS_THAN, 3);

    assertThat(rule.name()).isEqualTo("r1");
    assertThat(rule.topics()).containsExactly("a/+/b");
    assertThat(rule.severity()).isNull();
    assertThat(rule.deadband()).isZero();
    assertThat(rule.onDelay()).isEqualTo(Duration.ZERO);
    assertThat(rule.offDelay()).isEqualTo(Duration.ZERO);
    assertThat(rule.mode()).isEqualTo(Mode.ALARM);
  }

  @Test
  void constructor_invalidFields_areAllNamedInOneMessage() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new Rule(
                    "bad id",
                    " ",
                    List.of("a/#/b"),
                    "a..b",
                    Comparison.EQUAL,
                    Double.NaN,
                    null,
                    -1,
                    Duration.ofSeconds(-1),
                    Duration.ofSeconds(-2),
                    Mode.ALARM))
        .withMessageStartingWith("rule 'bad id': id must be 1 to 128 letters")
        .withMessageContaining("name must not be blank")
        .withMessageContaining("topic is not a valid MQTT topic filter")
        .withMessageContaining("path must be dotted names")
        .withMessageContaining("value must be a finite number, but was NaN")
        .withMessageContaining("deadband must be >= 0, but was -1.0")
        .withMessageContaining("on_delay must be between 0 and 24h, but was PT-1S")
        .withMessageContaining("off_delay must be between 0 and 24h, but was PT-2S");
  }

  @Test
  void constructor_noTopic_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new Rule(
                    "r",
                    "r",
                    List.of(),
                    "value",
                    Comparison.EQUAL,
                    1,
                    null,
                    0,
                    Duration.ZERO,
                    Duration.ZERO,
                    Mode.ALARM))
        .withMessage("rule 'r': topic is required");
  }

  @Test
  void sameCondition_ignoresPresentationButNotTheCondition() {
    Rule base = Rule.of("r", "a", "value", Comparison.GREATER_THAN, 25);
    Rule renamed =
        new Rule(
            "r",
            "Another name",
            List.of("a"),
            "value",
            Comparison.GREATER_THAN,
            25,
            Severity.CRITICAL,
            0,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Mode.ALARM);

    assertThat(base.sameCondition(renamed)).isTrue();
    assertThat(base.sameCondition(Rule.of("r", "a", "value", Comparison.GREATER_THAN, 26)))
        .isFalse();
    assertThat(base.sameCondition(Rule.of("r", "b", "value", Comparison.GREATER_THAN, 25)))
        .isFalse();
  }
}
