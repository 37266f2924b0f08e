package io.floorgate.rules.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"a", "a/b/c", "+", "#", "a/+/c", "a/#", "+/+/#", "/a", "a/", "$SYS/#", "a b/ü"})
  void filterError_validFilter_isNull(String filter) {
    assertThat(TopicFilter.filterError(filter)).isNull();
  }

  @Test
  void filterError_hashNotLast_saysHashMustBeTheWholeLastLevel() {
    assertThat(TopicFilter.filterError("a/#/b"))
        .isEqualTo("'#' must be the whole last level of a topic filter, but the filter is 'a/#/b'");
  }

  @Test
  void filterError_hashSharingALevel_isRejected() {
    assertThat(TopicFilter.filterError("a/b#")).startsWith("'#' must be the whole last level");
  }

  @Test
  void filterError_plusSharingALevel_saysPlusMustBeAWholeLevel() {
    assertThat(TopicFilter.filterError("a+"))
        .isEqualTo("'+' must be a whole level of a topic filter, but the filter is 'a+'");
    assertThat(TopicFilter.filterError("a/+b/c")).startsWith("'+' must be a whole level");
  }

  @Test
  void filterError_empty_saysEmpty() {
    assertThat(TopicFilter.filterError("")).isEqualTo("a topic must not be empty");
  }

  @Test
  void filterError_nul_saysNul() {
    assertThat(TopicFilter.filterError("a/\0b"))
        .isEqualTo("a topic must not contain the NUL character");
  }

  @Test
  void filterError_longerThan65535Bytes_isRejected() {
    // 'é' is two bytes in UTF-8: 32 768 characters are 65 536 bytes.
    assertThat(TopicFilter.filterError("é".repeat(32_768)))
        .isEqualTo("a topic must be at most 65535 bytes long");
    assertThat(TopicFilter.filterError("a".repeat(65_535))).isNull();
  }

  @Test
  void topicError_wildcardInTopicName_isRejected() {
    assertThat(TopicFilter.topicError("a/+/c")).contains("must not contain '+' or '#'");
    assertThat(TopicFilter.topicError("a/#")).contains("must not contain '+' or '#'");
    assertThat(TopicFilter.topicError("a/b/c")).isNull();
    assertThat(TopicFilter.topicError("")).isEqualTo("a topic must not be empty");
  }

  @Test
  void hasWildcard_tellsFiltersWithWildcardsApart() {
    assertThat(TopicFilter.hasWildcard("a/+/c")).isTrue();
    assertThat(TopicFilter.hasWildcard("a/#")).isTrue();
    assertThat(TopicFilter.hasWildcard("a/b/c")).isFalse();
  }

  @Test
  void matches_followsTheSameRulesAsTheIndex() {
    assertThat(TopicFilter.matches("a/+/c", "a/b/c")).isTrue();
    assertThat(TopicFilter.matches("a/+/c", "a/b/d")).isFalse();
    assertThat(TopicFilter.matches("a/#", "a")).isTrue();
    assertThat(TopicFilter.matches("#", "$SYS/x")).isFalse();
    assertThat(TopicFilter.matches("a/b", "a/b")).isTrue();
  }
}
