package io.floorgate.rules.tree;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A YAML or JSON document as a tree whose every node knows where it came from, so that validation
 * can report {@code file:line:column} for each problem. Scalars keep the parser's type (string,
 * long, double, boolean or null).
 */
public sealed interface Node {
  Location location();

  /** What the node is, for messages: "a mapping", "a list", "a string 'abc'", "null". */
  String describe();

  /** A mapping; keys keep document order. */
  record MapNode(Location location, Map<String, Entry> entries) implements Node {
    /** The entry for {@code key}, or null. */
    public @Nullable Entry get(String key) {
      return entries.get(key);
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /**
   * A key and its value.
   *
   * @param keyLocation where the key is written (for "unknown key" problems)
   */
  record Entry(String key, Location keyLocation, Node value) {}

  /** A sequence. */
  record ListNode(Location location, List<Node> items) implements Node {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A scalar: {@link String}, {@link Long}, {@link Double}, {@link Boolean} or null. */
  record ScalarNode(Location location, @Nullable Object value) implements Node {
    @Override
    public String describe() {
      if (value == null) {
        return "null";
      }
      if (value instanceof String s) {
        return "'" + s + "'";
      }
      return String.valueOf(value);
    }
  }
}
