package io.floorgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values are chosen to be exact in binary floating point (25 - 0.5 = 24.5 exactly), so the
 * boundaries are the boundaries and not rounding accidents.
 */
class ComparisonTest {

  @ParameterizedTest(name = "{0}: {1} vs 25 breaches = {2}")
  @CsvSource({
    "greater_than,     25.25, true",
    "greater_than,     25,    false",
    "greater_than,     24.75, false",
    "less_than,        24.75, true",
    "less_than,        25,    false",
    "less_than,        25.25, false",
    "greater_or_equal, 25.25, true",
    "greater_or_equal, 25,    true",
    "greater_or_equal, 24.75, false",
    "less_or_equal,    24.75, true",
    "less_or_equal,    25,    true",
    "less_or_equal,    25.25, false",
    "equal,            25,    true",
    "equal,            25.25, false",
    "equal,            24.75, false",
    "not_equal,        25.25, true",
    "not_equal,        24.75, true",
    "not_equal,        25,    false",
  })
  void breaches_atAndAroundTheThreshold(String comparison, double value, boolean expected) {
    assertThat(Comparison.parse(comparison).breaches(value, 25)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: {1} vs 25 with deadband 0.5 holds = {2}")
  @CsvSource({
    // greater_than: stays active while above 24.5
    "greater_than,     26,     true",
    "greater_than,     24.75,  true",
    "greater_than,     24.5,   false",
    "greater_than,     24.25,  false",
    // less_than: stays active while below 25.5
    "less_than,        24,     true",
    "less_than,        25.25,  true",
    "less_than,        25.5,   false",
    "less_than,        25.75,  false",
    // greater_or_equal: stays active while at or above 24.5
    "greater_or_equal, 25,     true",
    "greater_or_equal, 24.5,   true",
    "greater_or_equal, 24.25,  false",
    // less_or_equal: stays active while at or below 25.5
    "less_or_equal,    25,     true",
    "less_or_equal,    25.5,   true",
    "less_or_equal,    25.75,  false",
    // equal: stays active while within the deadband of the threshold
    "equal,            25,     true",
    "equal,            25.5,   true",
    "equal,            24.5,   true",
    "equal,            25.75,  false",
    "equal,            24.25,  false",
    // not_equal: normal is the threshold alone, so it stays active until back at the threshold
    "not_equal,        25.75,  true",
    "not_equal,        24.25,  true",
    "not_equal,        25.5,   true",
    "not_equal,        24.75,  true",
    "not_equal,        25,     false",
  })
  void holds_withDeadband_movesTheThresholdTowardsNormal(
      String comparison, double value, boolean expected) {
    assertThat(Comparison.parse(comparison).holds(value, 25, 0.5)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(Comparison.class)
  void holds_withoutDeadband_isBreaches(Comparison comparison) {
    for (double value : new double[] {24, 24.75, 25, 25.25, 26}) {
      assertThat(comparison.holds(value, 25, 0))
          .as("%s %s", comparison, value)
          .isEqualTo(comparison.breaches(value, 25));
    }
  }

  @ParameterizedTest
  @EnumSource(Comparison.class)
  void holds_whateverTheDeadband_whenItBreaches(Comparison comparison) {
    // Hysteresis only widens the active region: a breaching value always keeps the alarm active.
    for (double value : new double[] {20, 24.75, 25, 25.25, 30}) {
      if (comparison.breaches(value, 25)) {
        assertThat(comparison.holds(value, 25, 0.5)).as("%s %s", comparison, value).isTrue();
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "greater_than,     GREATER_THAN",
    "GREATER_THAN,     GREATER_THAN",
    "Less_Than,        LESS_THAN",
    "greater_or_equal, GREATER_OR_EQUAL",
    "LESS_OR_EQUAL,    LESS_OR_EQUAL",
    "Equal,            EQUAL",
    "NOT_equal,        NOT_EQUAL",
  })
  void parse_anyCase_givesTheComparison(String text, Comparison expected) {
    assertThat(Comparison.parse(text)).isSameAs(expected);
  }

  @Test
  void parse_surroundingWhitespace_isIgnored() {
    assertThat(Comparison.parse("  less_than ")).isSameAs(Comparison.LESS_THAN);
  }

  @Test
  void parse_unknownValue_listsTheAllowedValues() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Comparison.parse("bigger"))
        .withMessage(
            "comparison must be one of [greater_than, less_than, greater_or_equal, less_or_equal,"
                + " equal, not_equal], but was 'bigger'");
  }

  @Test
  void parse_symbol_isRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> Comparison.parse(">"));
  }

  @ParameterizedTest
  @EnumSource(Comparison.class)
  void value_roundTripsThroughParse(Comparison comparison) {
    assertThat(Comparison.parse(comparison.value())).isSameAs(comparison);
    assertThat(comparison.toString()).isEqualTo(comparison.value());
  }
}
