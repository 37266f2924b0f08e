package io.floorgate.rules.topic;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** MQTT topic and topic-filter syntax (MQTT 3.1.1 §4.7). */
public final class TopicFilter {
  /** The protocol's limit on a topic's UTF-8 length. */
  public static final int MAX_BYTES = 65_535;

  private TopicFilter() {}

  /**
   * Why {@code filter} is not a valid topic filter, or null when it is. {@code +} must fill a whole
   * level; {@code #} must be the whole last level.
   */
  public static @Nullable String filterError(String filter) {
    String common = commonError(filter);
    if (common != null) {
      return common;
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

  /** Why {@code topic} is not a valid topic name (no wildcards), or null when it is. */
  public static @Nullable String topicError(String topic) {
    String common = commonError(topic);
    if (common != null) {
      return common;
    }
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      return "a topic name must not contain '+' or '#', but was '" + topic + "'";
    }
    return null;
  }

  /** True when the filter has {@code +} or {@code #}. */
  public static boolean hasWildcard(String filter) {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }

  /** True when {@code topic} matches {@code filter}, by the same rules as {@link TopicIndex}. */
  public static boolean matches(String filter, String topic) {
    TopicIndex<Boolean> index = new TopicIndex<>();
    index.add(filter, Boolean.TRUE);
    return !index.match(topic).isEmpty();
  }

  private static @Nullable String commonError(String text) {
    if (text.isEmpty()) {
      return "a topic must not be empty";
    }
    if (text.indexOf('\0') >= 0) {
      return "a topic must not contain the NUL character";
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "a topic must be at most " + MAX_BYTES + " bytes long";
    }
    return null;
  }
}
