package io.floorgate.rules.topic;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
    final Children<T> children = new Children<>();
    @Nullable Level<T> plus;
    final List<T> exact = new ArrayList<>(1);
    final List<T> hash = new ArrayList<>(1);
  }

  /**
   * A level's named children: an open-addressing table looked up by a range of the topic, so that
   * no level is cut out of the topic as a string of its own for every message.
   */
  private static final class Children<T> {
    private @Nullable String[] names = new String[0];
    private @Nullable Object[] levels = new Object[0];
    private int size;

    Level<T> getOrAdd(String name) {
      @Nullable Level<T> found = get(name, 0, name.length());
      if (found != null) {
        return found;
      }
      if (2 * (size + 1) > names.length) {
        grow();
      }
      Level<T> added = new Level<>();
      put(name, added);
      size++;
      return added;
    }

    @SuppressWarnings("unchecked")
    @Nullable Level<T> get(String topic, int start, int end) {
      if (size == 0) {
        return null;
      }
      int mask = names.length - 1;
      for (int i = hash(topic, start, end) & mask; ; i = (i + 1) & mask) {
        @Nullable String name = names[i];
        if (name == null) {
          return null;
        }
        if (name.length() == end - start && topic.startsWith(name, start)) {
          return (Level<T>) levels[i];
        }
      }
    }

    private void grow() {
      @Nullable String[] oldNames = names;
      @Nullable Object[] oldLevels = levels;
      names = new String[Math.max(4, oldNames.length * 2)];
      levels = new Object[names.length];
      for (int i = 0; i < oldNames.length; i++) {
        if (oldNames[i] != null) {
          put(oldNames[i], oldLevels[i]);
        }
      }
    }

    private void put(String name, Object level) {
      int mask = names.length - 1;
      int i = hash(name, 0, name.length()) & mask;
      while (names[i] != null) {
        i = (i + 1) & mask;
      }
      names[i] = name;
      levels[i] = level;
    }

    /** String's hash of the range, its high bits folded in for the table's low-bit index. */
    private static int hash(String text, int start, int end) {
      int h = 0;
      for (int i = start; i < end; i++) {
        h = 31 * h + text.charAt(i);
      }
      return h ^ (h >>> 16);
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
        level = level.children.getOrAdd(name);
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

  /**
   * As {@link #match(String)}, for a topic already split. When nothing matches, the list is the
   * immutable empty list: most lookups find nothing, and they allocate nothing.
   */
  public List<T> match(TopicName topic) {
    @Nullable List<T> out = collect(root, topic, 0, topic.system(), null);
    return out == null ? List.of() : out;
  }

  private @Nullable List<T> collect(
      Level<T> level, TopicName topic, int depth, boolean system, @Nullable List<T> out) {
    boolean wildcardsAllowed = !(system && depth == 0);
    if (wildcardsAllowed) {
      // '#' matches the parent level too: "a/#" matches "a".
      out = addAll(out, level.hash);
    }
    if (depth == topic.depth()) {
      return addAll(out, level.exact);
    }
    @Nullable Level<T> next =
        level.children.get(topic.name(), topic.levelStart(depth), topic.levelEnd(depth));
    if (next != null) {
      out = collect(next, topic, depth + 1, system, out);
    }
    if (wildcardsAllowed && level.plus != null) {
      out = collect(level.plus, topic, depth + 1, system, out);
    }
    return out;
  }

  /**
   * {@code out} with {@code values} added, made when there is a first value to add. One by one:
   * {@code addAll} copies its argument to a new array first, and this runs for every level of every
   * message's topic (24 of the 215 bytes a lookup allocated in {@code IngestPathBenchmark.match}).
   */
  private static <T> @Nullable List<T> addAll(@Nullable List<T> out, List<T> values) {
    int count = values.size();
    if (count == 0) {
      return out;
    }
    List<T> into = out == null ? new ArrayList<>(count + 1) : out;
    for (int i = 0; i < count; i++) {
      into.add(values.get(i)); // a level's lists are ArrayLists
    }
    return into;
  }
}
