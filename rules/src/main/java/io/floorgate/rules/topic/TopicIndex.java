package io.floorgate.rules.topic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic tree: values registered under MQTT topic filters, looked up by topic name. A lookup costs
 * the levels of the topic and the filters that match it, not the number of filters.
 *
 * <p>Matching follows MQTT 3.1.1 §4.7: {@code +} matches one level, {@code #} the parent level and
 * any below; filters starting with a wildcard do not match topics starting with {@code $}.
 *
 * <p>Not thread-safe while it is being built; safe to share for lookups once built (the rule set
 * builds one and never changes it).
 *
 * @param <T> the registered values
 */
public final class TopicIndex<T> {
  private final Level<T> root = new Level<>();
  private int size;

  private static final class Level<T> {
    final Map<String, Level<T>> children = new HashMap<>(4);
    Level<T> plus;
    final List<T> exact = new ArrayList<>(1);
    final List<T> hash = new ArrayList<>(1);

    Level<T> child(String name) {
      return children.computeIfAbsent(name, k -> new Level<>());
    }
  }

  /** Registers {@code value} under {@code filter}; the filter must be valid. */
  public void add(String filter, T value) {
    String error = TopicFilter.filterError(filter);
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
    Level<T> level = root;
    int start = 0;
    while (true) {
      int end = filter.indexOf('/', start);
      String name = filter.substring(start, end < 0 ? filter.length() : end);
      if (name.equals("#")) {
        level.hash.add(value);
        size++;
        return;
      }
      if (name.equals("+")) {
        if (level.plus == null) {
          level.plus = new Level<>();
        }
        level = level.plus;
      } else {
        level = level.child(name);
      }
      if (end < 0) {
        break;
      }
      start = end + 1;
    }
    level.exact.add(value);
    size++;
  }

  /** Number of registrations. */
  public int size() {
    return size;
  }

  /** Every value whose filter matches {@code topic}, each registration once. */
  public List<T> match(String topic) {
    return match(TopicName.of(topic));
  }

  /** As {@link #match(String)}, for a topic already split. */
  public List<T> match(TopicName topic) {
    List<T> out = new ArrayList<>(2);
    collect(root, topic, 0, topic.system(), out);
    return out;
  }

  private void collect(Level<T> level, TopicName topic, int depth, boolean system, List<T> out) {
    boolean wildcardsAllowed = !(system && depth == 0);
    // addAll only when there is something to add: it copies its argument to an array first, even
    // an empty one, and this runs for every level of every message's topic.
    if (wildcardsAllowed && !level.hash.isEmpty()) {
      // '#' matches the parent level too: "a/#" matches "a".
      out.addAll(level.hash);
    }
    if (depth == topic.depth()) {
      if (!level.exact.isEmpty()) {
        out.addAll(level.exact);
      }
      return;
    }
    Level<T> next = level.children.get(topic.level(depth));
    if (next != null) {
      collect(next, topic, depth + 1, system, out);
    }
    if (wildcardsAllowed && level.plus != null) {
      collect(level.plus, topic, depth + 1, system, out);
    }
  }
}
