package io.floorgate.gateway.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.rules.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Topic-filter algebra, checked against brute force: over a small alphabet every topic up to four
 * levels is enumerated, so "covers" and "intersects" can be decided by looking at all of them.
 */
class TopicsTest {
  private static final String[] LEVELS = {"a", "b", "$s", ""};
  private static final List<String> ALL_TOPICS = enumerate();

  private static List<String> enumerate() {
    List<String> topics = new ArrayList<>();
    List<String> frontier = new ArrayList<>(List.of(LEVELS));
    for (int depth = 1; depth <= 4; depth++) {
      topics.addAll(frontier);
      List<String> next = new ArrayList<>();
      for (String t : frontier) {
        for (String l : LEVELS) {
          if (!l.startsWith("$")) {
            next.add(t + "/" + l);
          }
        }
      }
      frontier = next;
    }
    // "" (one empty level) is not a valid topic name, but the algebra works on level sequences,
    // where it is a member like any other.
    return topics;
  }

  static String randomTopic(Random random, boolean filter) {
    int levels = 1 + random.nextInt(3);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < levels; i++) {
      if (i > 0) {
        out.append('/');
      }
      int pick = random.nextInt(filter ? 7 : 4);
      out.append(
          switch (pick) {
            case 4, 5 -> "+";
            case 6 -> i == levels - 1 ? "#" : "+";
            default -> i == 0 || pick != 2 ? LEVELS[pick] : "a";
          });
    }
    return out.toString();
  }

  private static boolean matches(String filter, String topic) {
    return Topics.matches(Topics.split(filter), Topics.split(topic));
  }

  @Test
  void matches_agreesWithTheRulesModulesTopicIndex() {
    Random random = new Random(3);
    for (int i = 0; i < 3_000; i++) {
      String filter = randomTopic(random, true);
      String topic = ALL_TOPICS.get(random.nextInt(ALL_TOPICS.size()));
      if (TopicFilter.filterError(filter) != null || TopicFilter.topicError(topic) != null) {
        continue;
      }
      assertThat(matches(filter, topic)).as(filter + " ~ " + topic).isEqualTo(TopicFilter.matches(filter, topic));
    }
  }

  @Test
  void covers_isExactlyInclusionOfMatchedTopics() {
    Random random = new Random(5);
    for (int i = 0; i < 3_000; i++) {
      String outer = randomTopic(random, true);
      String inner = randomTopic(random, true);
      if (TopicFilter.filterError(outer) != null || TopicFilter.filterError(inner) != null) {
        continue;
      }
      boolean included =
          ALL_TOPICS.stream().filter(t -> matches(inner, t)).allMatch(t -> matches(outer, t));
      boolean covers = Topics.covers(Topics.split(outer), Topics.split(inner));
      if (covers) {
        assertThat(included).as(outer + " covers " + inner).isTrue();
      }
      // "covers" may only be more careful than inclusion over this finite alphabet where inner
      // reaches deeper than four levels (a "#"), never where it can be decided here.
      if (included && !inner.contains("#")) {
        assertThat(covers).as(outer + " covers " + inner).isTrue();
      }
    }
  }

  @Test
  void intersects_isExactlyASharedMatchedTopic() {
    Random random = new Random(9);
    for (int i = 0; i < 3_000; i++) {
      String a = randomTopic(random, true);
      String b = randomTopic(random, true);
      if (TopicFilter.filterError(a) != null || TopicFilter.filterError(b) != null) {
        continue;
      }
      boolean shared = ALL_TOPICS.stream().anyMatch(t -> matches(a, t) && matches(b, t));

      assertThat(Topics.intersects(Topics.split(a), Topics.split(b))).as(a + " & " + b).isEqualTo(shared);
      assertThat(Topics.intersects(Topics.split(b), Topics.split(a))).isEqualTo(shared);
    }
  }

  @Test
  void examples() {
    assertThat(matches("a/#", "a")).isTrue();
    assertThat(matches("#", "$SYS/x")).isFalse();
    assertThat(matches("+/x", "$SYS/x")).isFalse();
    assertThat(matches("$SYS/#", "$SYS/x")).isTrue();
    assertThat(Topics.covers(Topics.split("alerts/#"), Topics.split("alerts/critical/#"))).isTrue();
    assertThat(Topics.covers(Topics.split("plant/d1/#"), Topics.split("#"))).isFalse();
    assertThat(Topics.covers(Topics.split("a/+"), Topics.split("a/+/b"))).isFalse();
    assertThat(Topics.intersects(Topics.split("a/+/c"), Topics.split("a/b/#"))).isTrue();
    assertThat(Topics.intersects(Topics.split("a/b"), Topics.split("a/c/#"))).isFalse();
  }
}
