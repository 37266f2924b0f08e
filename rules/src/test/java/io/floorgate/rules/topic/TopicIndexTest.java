package io.floorgate.rules.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicIndexTest {

  private static TopicIndex<String> indexOf(String... filters) {
    TopicIndex<String> index = new TopicIndex<>();
    for (String filter : filters) {
      index.add(filter, filter);
    }
    return index;
  }

  @Test
  void match_exactFilter_matchesOnlyThatTopic() {
    TopicIndex<String> index = indexOf("plant/line1/temp");

    assertThat(index.match("plant/line1/temp")).containsExactly("plant/line1/temp");
    assertThat(index.match("plant/line1")).isEmpty();
    assertThat(index.match("plant/line1/temp/x")).isEmpty();
    assertThat(index.match("plant/line2/temp")).isEmpty();
    assertThat(index.match("Plant/line1/temp")).as("topics are case-sensitive").isEmpty();
  }

  @Test
  void match_plusWildcard_matchesExactlyOneLevel() {
    TopicIndex<String> index = indexOf("plant/+/temp");

    assertThat(index.match("plant/line1/temp")).containsExactly("plant/+/temp");
    assertThat(index.match("plant/line2/temp")).containsExactly("plant/+/temp");
    assertThat(index.match("plant//temp"))
        .as("an empty level is a level")
        .containsExactly("plant/+/temp");
    assertThat(index.match("plant/temp")).isEmpty();
    assertThat(index.match("plant/a/b/temp")).isEmpty();
    assertThat(index.match("plant/line1/temp/x")).isEmpty();
  }

  @Test
  void match_plusAsLastLevel_doesNotMatchTheParent() {
    TopicIndex<String> index = indexOf("plant/+");

    assertThat(index.match("plant/line1")).containsExactly("plant/+");
    assertThat(index.match("plant")).isEmpty();
    assertThat(index.match("plant/line1/temp")).isEmpty();
  }

  @Test
  void match_hashWildcard_matchesAnyNumberOfLevelsBelow() {
    TopicIndex<String> index = indexOf("plant/#");

    assertThat(index.match("plant/line1")).containsExactly("plant/#");
    assertThat(index.match("plant/line1/s1/temp")).containsExactly("plant/#");
    assertThat(index.match("other/line1")).isEmpty();
    assertThat(index.match("plantx/line1")).isEmpty();
  }

  @Test
  void match_hashWildcard_matchesTheParentLevel() {
    TopicIndex<String> index = indexOf("a/#", "x/+/#");

    assertThat(index.match("a")).containsExactly("a/#");
    assertThat(index.match("x/y")).containsExactly("x/+/#");
    assertThat(index.match("x")).isEmpty();
  }

  @Test
  void match_hashAlone_matchesEveryNonSystemTopic() {
    TopicIndex<String> index = indexOf("#");

    assertThat(index.match("a")).containsExactly("#");
    assertThat(index.match("a/b/c")).containsExactly("#");
    assertThat(index.match("/leading/slash")).containsExactly("#");
  }

  @Test
  void match_systemTopic_isNotMatchedByLeadingWildcards() {
    TopicIndex<String> index = indexOf("#", "+/broker/uptime", "+/#");

    assertThat(index.match("$SYS/broker/uptime")).isEmpty();
    assertThat(index.match("$SYS")).isEmpty();
    assertThat(index.match("normal/broker/uptime"))
        .containsExactlyInAnyOrder("#", "+/broker/uptime", "+/#");
  }

  @Test
  void match_systemTopic_isMatchedByFiltersNamingIt() {
    TopicIndex<String> index = indexOf("$SYS/#", "$SYS/+/uptime", "$SYS/broker/uptime");

    assertThat(index.match("$SYS/broker/uptime"))
        .containsExactlyInAnyOrder("$SYS/#", "$SYS/+/uptime", "$SYS/broker/uptime");
  }

  @Test
  void match_severalFiltersWithTheSameValue_returnEachMatchingRegistration() {
    TopicIndex<String> index = new TopicIndex<>();
    index.add("plant/line1/temp", "rule-a");
    index.add("plant/+/temp", "rule-a");
    index.add("plant/#", "rule-a");
    index.add("plant/line2/temp", "rule-a");
    index.add("plant/+/temp", "rule-b");

    assertThat(index.size()).isEqualTo(5);
    assertThat(index.match("plant/line1/temp"))
        .containsExactlyInAnyOrder("rule-a", "rule-a", "rule-a", "rule-b");
    assertThat(index.match("plant/line3/temp"))
        .containsExactlyInAnyOrder("rule-a", "rule-a", "rule-b");
    assertThat(index.match("plant/line3/pressure")).containsExactly("rule-a");
  }

  @Test
  void match_emptyIndex_matchesNothing() {
    assertThat(new TopicIndex<String>().match("a/b")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/#/b", "a+", "a/b#", "#/a", "", "a/\0/b"})
  void add_invalidFilter_isRejectedAndNotRegistered(String filter) {
    TopicIndex<String> index = new TopicIndex<>();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> index.add(filter, "value"))
        .withMessage(TopicFilter.filterError(filter));
    assertThat(index.size()).isZero();
  }
}
