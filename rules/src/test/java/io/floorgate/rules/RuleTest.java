package io.floorgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  // --- escalation tiers ----------------------------------------------------------------------

  private static final Limit H = new Limit("H", 200, Severity.WARNING, 0);
  private static final Limit HH = new Limit("HH", 250, Severity.CRITICAL, 5);

  private static Rule withLimits(Comparison comparison, List<Limit> limits) {
    return new Rule(
        "r",
        "r",
        List.of("a"),
        "value",
        comparison,
        limits,
        Duration.ZERO,
        Duration.ZERO,
        Mode.ALARM,
        false,
        false);
  }

  @Test
  void constructor_tiers_firstLimitIsTheRulesThresholdSeverityAndDeadband() {
    Rule rule =
        withLimits(Comparison.GREATER_THAN, List.of(new Limit("H", 200, Severity.WARNING, 1), HH));

    assertThat(rule.tiered()).isTrue();
    assertThat(rule.threshold()).isEqualTo(200);
    assertThat(rule.severity()).isEqualTo(Severity.WARNING);
    assertThat(rule.deadband()).isEqualTo(1);
    assertThat(rule.limits()).extracting(Limit::level).containsExactly("H", "HH");
  }

  @Test
  void constructor_singleLimit_isNotTiered() {
    Rule rule = Rule.of("r", "a", "value", Comparison.GREATER_THAN, 3);

    assertThat(rule.tiered()).isFalse();
    assertThat(rule.limits()).containsExactly(new Limit("", 3, null, 0));
  }

  @Test
  void constructor_greaterTiersNotIncreasing_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                withLimits(
                    Comparison.GREATER_OR_EQUAL,
                    List.of(H, new Limit("HH", 200, Severity.CRITICAL, 0))))
        .withMessage(
            "rule 'r': limit 'HH': tiers are listed from the least to the most severe, so its"
                + " value must be above 200.0, but was 200.0");
  }

  @Test
  void constructor_lessTiersNotDecreasing_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                withLimits(
                    Comparison.LESS_THAN,
                    List.of(new Limit("L", 10, null, 0), new Limit("LL", 12, null, 0))))
        .withMessage(
            "rule 'r': limit 'LL': tiers are listed from the least to the most severe, so its"
                + " value must be below 10.0, but was 12.0");
  }

  @Test
  void constructor_duplicateOrBadLevels_areRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                withLimits(
                    Comparison.GREATER_THAN, List.of(H, new Limit("H", 250, null, 0))))
        .withMessage("rule 'r': limit 'H': duplicate level");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                withLimits(
                    Comparison.GREATER_THAN, List.of(new Limit("", 200, null, 0), HH)))
        .withMessage(
            "rule 'r': limit #1: level must be 1 to 16 letters, digits or '_' (H, HH, LL...), but"
                + " was ''");
  }

  @Test
  void constructor_tiersWithEqualOrNotEqual_areRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withLimits(Comparison.EQUAL, List.of(H, HH)))
        .withMessage(
            "rule 'r': limits (escalation tiers) need a greater or less comparison, but"
                + " comparison is equal");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withLimits(Comparison.NOT_EQUAL, List.of(H, HH)))
        .withMessageContaining("but comparison is not_equal");
  }

  @Test
  void constructor_badThresholdOrDeadbandInATier_namesTheTier() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                withLimits(
                    Comparison.GREATER_THAN,
                    List.of(
                        new Limit("H", Double.POSITIVE_INFINITY, null, 0),
                        new Limit("HH", 250, null, -1))))
        .withMessageContaining("limit 'H': value must be a finite number, but was Infinity")
        .withMessageContaining("limit 'HH': deadband must be >= 0, but was -1.0");
  }

  @Test
  void constructor_noLimits_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withLimits(Comparison.GREATER_THAN, List.of()))
        .withMessage("rule 'r': value (the threshold) is required");
  }

  @Test
  void withOutOfService_changesOnlyThatFlag() {
    Rule rule = withLimits(Comparison.GREATER_THAN, List.of(H, HH));

    Rule parked = rule.withOutOfService(true);

    assertThat(parked.outOfService()).isTrue();
    assertThat(parked.withOutOfService(false)).isEqualTo(rule);
  }

  // --- sameCondition -------------------------------------------------------------------------

  private static final Rule BASE =
      new Rule(
          "r",
          "Boiler",
          List.of("plant/+/temp"),
          "value",
          Comparison.GREATER_THAN,
          List.of(H, HH),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Mode.ALARM,
          false,
          false);

  /** BASE with one edit. */
  private static Rule change(Consumer<Builder> edit) {
    Builder builder = new Builder();
    edit.accept(builder);
    return builder.build();
  }

  /** BASE's fields, to change one at a time. */
  private static final class Builder {
    String id = BASE.id();
    String name = BASE.name();
    List<String> topics = BASE.topics();
    String path = BASE.path();
    Comparison comparison = BASE.comparison();
    List<Limit> limits = BASE.limits();
    Duration onDelay = BASE.onDelay();
    Duration offDelay = BASE.offDelay();
    Mode mode = BASE.mode();
    boolean latch = BASE.latch();
    boolean outOfService = BASE.outOfService();

    Rule build() {
      return new Rule(
          id, name, topics, path, comparison, limits, onDelay, offDelay, mode, latch, outOfService);
    }
  }

  @Test
  void sameCondition_nameSeveritiesAndDelaysMayChange() {
    Rule presentation =
        change(
            b -> {
              b.name = "Boiler temperature";
              b.limits =
                  List.of(new Limit("H", 200, Severity.ERROR, 0), new Limit("HH", 250, null, 5));
              b.onDelay = Duration.ofSeconds(30);
              b.offDelay = Duration.ZERO;
            });

    assertThat(BASE.sameCondition(BASE)).isTrue();
    assertThat(BASE.sameCondition(presentation)).isTrue();
    assertThat(presentation.sameCondition(BASE)).isTrue();
  }

  private static Rule withTiers(Limit... limits) {
    return change(b -> b.limits = List.of(limits));
  }

  static Stream<Arguments> conditionChanges() {
    return Stream.of(
        argumentSet("threshold", withTiers(new Limit("H", 201, Severity.WARNING, 0), HH)),
        argumentSet("deadband", withTiers(H, new Limit("HH", 250, Severity.CRITICAL, 4))),
        argumentSet("a tier removed", withTiers(H)),
        argumentSet("a level renamed", withTiers(H, new Limit("HHH", 250, Severity.CRITICAL, 5))),
        argumentSet("latch", change(b -> b.latch = true)),
        argumentSet("topic", change(b -> b.topics = List.of("plant/line1/temp"))),
        argumentSet("a topic added", change(b -> b.topics = List.of("plant/+/temp", "other/temp"))),
        argumentSet("path", change(b -> b.path = "temperature")),
        argumentSet("mode", change(b -> b.mode = Mode.EVERY_SAMPLE)),
        argumentSet("comparison", change(b -> b.comparison = Comparison.GREATER_OR_EQUAL)),
        argumentSet("id", change(b -> b.id = "other")));
  }

  @ParameterizedTest
  @MethodSource("conditionChanges")
  void sameCondition_changeToWhatDecidesTheAlarm_isADifferentCondition(Rule changed) {
    assertThat(BASE.sameCondition(changed)).isFalse();
    assertThat(changed.sameCondition(BASE)).isFalse();
  }
}
