package io.floorgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetTest {

  private static Rule rule(String id, String... topics) {
    return new Rule(
        id,
        id,
        List.of(topics),
        "value",
        Comparison.GREATER_THAN,
        1,
        null,
        0,
        Duration.ZERO,
        Duration.ZERO,
        Mode.ALARM);
  }

  @Test
  void match_ruleWithOverlappingFilters_matchesOnce() {
    Rule both = rule("both", "plant/+/state", "plant/#");
    RuleSet rules = RuleSet.of(List.of(both, rule("other", "other")));

    assertThat(rules.match("plant/line1/state")).containsExactly(both);
    assertThat(rules.match("plant/line1/temp")).containsExactly(both);
    assertThat(rules.match("nothing")).isEmpty();
  }

  @Test
  void of_duplicateIds_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RuleSet.of(List.of(rule("same", "a"), rule("same", "b"))))
        .withMessage("rule 'same': duplicate id");
  }

  @Test
  void rules_keepTheGivenOrderAndAreFoundById() {
    Rule b = rule("b", "x");
    Rule a = rule("a", "y");
    RuleSet rules = RuleSet.of(List.of(b, a));

    assertThat(rules.rules()).containsExactly(b, a);
    assertThat(rules.size()).isEqualTo(2);
    assertThat(rules.get("a")).contains(a);
    assertThat(rules.get("c")).isEmpty();
  }

  @Test
  void empty_hasNoRules() {
    assertThat(RuleSet.empty().size()).isZero();
    assertThat(RuleSet.of(List.of()).match("a")).isEmpty();
  }
}
