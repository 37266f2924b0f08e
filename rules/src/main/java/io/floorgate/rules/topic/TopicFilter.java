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
    // One pass over the characters (a rule file's every topic is checked on a cold JVM at start),
    // judging each level at its end as a split would: '#' first, then '+'.
    int length = filter.length();
    int levelStart = 0;
    boolean hash = false;
    boolean plus = false;
    for (int i = 0; i <= length; i++) {
      char c = i < length ? filter.charAt(i) : '/';
      if (c == '/') {
        boolean single = i - levelStart == 1;
        if (hash && (!single || i != length)) {
          return "'#' must be the whole last level of a topic filter, but the filter is '"
              + filter
              + "'";
        }
        if (plus && !single) {
          return "'+' must be a whole level of a topic filter, but the filter is '"
              + filter
              + "'";
        }
        levelStart = i + 1;
        hash = false;
        plus = false;
      } else if (c == '#') {
        hash = true;
      } else if (c == '+') {
        plus = true;
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
    // A char is at most 3 bytes in UTF-8 (a surrogate pair is 4 for 2 chars): encode only when
    // the text could be too long.
    if (text.length() > MAX_BYTES / 3 && text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "a topic must be at most " + MAX_BYTES + " bytes long";
    }
    return null;
  }
}
