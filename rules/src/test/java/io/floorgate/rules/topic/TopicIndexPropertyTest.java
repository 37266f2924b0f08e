package io.floorgate.rules.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The topic index finds, for any topic, exactly the registrations whose filters match it by MQTT
 * 3.1.1 §4.7, decided here level by level on split strings. The index compares levels in place in
 * its own hash tables, so the levels include names with equal string hashes ("Aa", "BB"), empty
 * levels and {@code $} topics, and an index holds up to 40 filters.
 */
class TopicIndexPropertyTest {
  private static final List<String> NAMES = List.of("a", "b", "ab", "", "Aa", "BB", "c/d");

  /** MQTT's matching, level by level, on split strings. */
  private static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
      return false;
    }
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true; // this level and any below, or none: "a/#" matches "a"
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }

  @Property(tries = 500)
  void match_findsExactlyTheRegistrationsWhoseFiltersMatch(
      @ForAll("filterLists") List<String> filters, @ForAll("topicLists") List<String> topics) {
    TopicIndex<Integer> index = new TopicIndex<>();
    for (int i = 0; i < filters.size(); i++) {
      index.add(filters.get(i), i);
    }

    for (String topic : topics) {
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < filters.size(); i++) {
        if (matches(filters.get(i), topic)) {
          expected.add(i);
        }
      }
      assertThat(index.match(topic)).as(topic).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Provide
  Arbitrary<List<String>> filterLists() {
    Arbitrary<String> level = Arbitraries.of(concat(NAMES, List.of("+", "+", "$s")));
    Arbitrary<String> filter =
        level
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .flatMap(
                levels ->
                    Arbitraries.of(false, true)
                        .map(hash -> String.join("/", levels) + (hash ? "/#" : "")))
            .filter(candidate -> TopicFilter.filterError(candidate) == null);
    return Arbitraries.oneOf(filter, Arbitraries.just("#"), Arbitraries.just("+/#"))
        .list()
        .ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<String>> topicLists() {
    Arbitrary<String> level = Arbitraries.of(concat(NAMES, List.of("ba", "x")));
    Arbitrary<String> topic =
        level
            .list()
            .ofMinSize(1)
            .ofMaxSize(5)
            .flatMap(
                levels ->
                    Arbitraries.of(false, true)
                        .map(system -> (system ? "$s/" : "") + String.join("/", levels)))
            .filter(candidate -> TopicFilter.topicError(candidate) == null);
    return topic.list().ofMinSize(1).ofMaxSize(20);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
