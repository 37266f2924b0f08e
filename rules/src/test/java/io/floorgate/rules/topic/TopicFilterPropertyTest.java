package io.floorgate.rules.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The topic filter check is one pass over the characters (start-up speed with many rules); this
 * property holds it to the level-by-level check it replaced: the same answer and message for every
 * filter.
 */
class TopicFilterPropertyTest {

  /** The check as it was: split into levels, then look at each. */
  private static String levelByLevel(String filter) {
    if (filter.isEmpty()) {
      return "a topic must not be empty";
    }
    if (filter.indexOf('\0') >= 0) {
      return "a topic must not contain the NUL character";
    }
    if (filter.getBytes(StandardCharsets.UTF_8).length > TopicFilter.MAX_BYTES) {
      return "a topic must be at most " + TopicFilter.MAX_BYTES + " bytes long";
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return "'#' must be the whole last level of a topic filter, but the filter is '"
            + filter
            + "'";
      }
      if (level.contains("+") && !level.equals("+")) {
        return "'+' must be a whole level of a topic filter, but the filter is '" + filter + "'";
      }
    }
    return null;
  }

  @Provide
  Arbitrary<String> filters() {
    // The characters that decide the answer, in short filters; long ones around the byte limit
    // (3-byte characters); and anything.
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("a/+#\0").ofMaxLength(12),
        Arbitraries.strings().withChars("ab/+#").ofMaxLength(30),
        Arbitraries.strings().withChars("\u20ac").ofMinLength(21_840).ofMaxLength(21_850),
        Arbitraries.strings().ofMaxLength(20));
  }

  @Property(tries = 3000)
  void filterCheck_answersAsTheLevelByLevelCheckDid(@ForAll("filters") String filter) {
    assertThat(TopicFilter.filterError(filter)).isEqualTo(levelByLevel(filter));
  }

  @Property(tries = 1000)
  void index_findsAFilterExactlyWhenTheFilterMatches(@ForAll("filters") String filter) {
    // add() walks the levels without splitting: what it registered must be what matches.
    if (TopicFilter.filterError(filter) != null || filter.startsWith("$")) {
      return;
    }
    String topic = filter.replace("+", "x").replace("/#", "").replace("#", "y");
    TopicIndex<String> index = new TopicIndex<>();
    index.add(filter, "it");

    assertThat(index.match(topic)).containsExactly("it");
    assertThat(index.size()).isEqualTo(1);
  }
}
