package io.floorgate.rules.tree;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed fields out of a {@link Node.MapNode}, reporting every problem (wrong type, missing,
 * unknown key) to a sink instead of stopping at the first, so a whole file is validated at once.
 *
 * <p>Getters return null when the field is absent or wrong; callers check for null only to skip
 * dependent checks, never to report again.
 */
public final class MapReader {
  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  private final Node.MapNode map;
  private final @Nullable String context;
  private final String prefix;
  private final Consumer<Problem> problems;

  /**
   * @param context what the map is, for messages ({@code rule 'x'}), or null
   * @param prefix prepended to field names in messages ({@code "broker."}), may be empty
   */
  public MapReader(
      Node.MapNode map, @Nullable String context, String prefix, Consumer<Problem> problems) {
    this.map = map;
    this.context = context;
    this.prefix = prefix;
    this.problems = problems;
  }

  public Node.MapNode node() {
    return map;
  }

  /** What the map is, for messages ({@code rule 'x'}), or null. */
  public @Nullable String context() {
    return context;
  }

  /** Reports a problem at {@code location} in this reader's context. */
  public void problem(Location location, String message) {
    problems.accept(new Problem(location, context, message));
  }

  /** The field's name as messages print it. */
  public String name(String key) {
    return prefix + key;
  }

  public boolean has(String key) {
    return map.get(key) != null;
  }

  public @Nullable Node node(String key) {
    Node.Entry entry = map.get(key);
    return entry == null ? null : entry.value();
  }

  /** Reports every key not in {@code allowed}, with the allowed list. */
  public void rejectUnknownKeys(Set<String> allowed) {
    for (Node.Entry entry : map.entries().values()) {
      if (!allowed.contains(entry.key())) {
        problem(
            entry.keyLocation(),
            "unknown key '"
                + name(entry.key())
                + "'; allowed: "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** Reports a missing required field at the map's location. */
  public boolean require(String key) {
    if (!has(key)) {
      problem(map.location(), name(key) + " is required");
      return false;
    }
    return true;
  }

  public @Nullable String string(String key) {
    Node node = node(key);
    if (node == null) {
      return null;
    }
    if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof String s) {
      return s;
    }
    // YAML reads `id: 42` as a number; ids and names are text, so take its literal form.
    if (node instanceof Node.ScalarNode scalar
        && (scalar.value() instanceof Long || scalar.value() instanceof Boolean)) {
      return String.valueOf(scalar.value());
    }
    problem(node.location(), name(key) + " must be a string, but was " + node.describe());
    return null;
  }

  public @Nullable Double number(String key) {
    Node node = node(key);
    if (node == null) {
      return null;
    }
    if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof Number n) {
      double value = n.doubleValue();
      if (Double.isFinite(value)) {
        return value;
      }
    }
    problem(node.location(), name(key) + " must be a finite number, but was " + node.describe());
    return null;
  }

  public @Nullable Long integer(String key) {
    Node node = node(key);
    if (node == null) {
      return null;
    }
    if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof Long n) {
      return n;
    }
    problem(node.location(), name(key) + " must be an integer, but was " + node.describe());
    return null;
  }

  /** An integer within [min, max], inclusive. */
  public @Nullable Long integer(String key, long min, long max) {
    Long value = integer(key);
    if (value != null && (value < min || value > max)) {
      problem(
          location(key),
          name(key) + " must be in [" + min + ", " + max + "], but was " + value);
      return null;
    }
    return value;
  }

  public @Nullable Boolean bool(String key) {
    Node node = node(key);
    if (node == null) {
      return null;
    }
    if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof Boolean b) {
      return b;
    }
    problem(node.location(), name(key) + " must be true or false, but was " + node.describe());
    return null;
  }

  /**
   * A duration: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 5m}, {@code 1h}, or a bare number
   * of seconds. Must be >= 0.
   */
  public @Nullable Duration duration(String key) {
    Node node = node(key);
    if (node == null) {
      return null;
    }
    Duration parsed = null;
    if (node instanceof Node.ScalarNode scalar) {
      parsed = parseDuration(scalar.value());
    }
    if (parsed == null) {
      problem(
          node.location(),
          name(key)
              + " must be a duration such as 500ms, 2s, 5m or 1h (>= 0), but was "
              + node.describe());
    }
    return parsed;
  }

  /** A list of strings (a single string counts as a list of one). */
  public @Nullable List<String> strings(String key) {
    Node node = node(key);
    if (node == null) {
      return null;
    }
    if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof String s) {
      return List.of(s);
    }
    if (node instanceof Node.ListNode list) {
      List<String> values = new ArrayList<>();
      boolean ok = true;
      for (Node item : list.items()) {
        if (item instanceof Node.ScalarNode scalar && scalar.value() instanceof String s) {
          values.add(s);
        } else {
          problem(
              item.location(),
              name(key) + " must hold strings, but has " + item.describe());
          ok = false;
        }
      }
      return ok ? List.copyOf(values) : null;
    }
    problem(node.location(), name(key) + " must be a list of strings, but was " + node.describe());
    return null;
  }

  /** A nested mapping, or null (reported) when the field is something else. */
  public Node.@Nullable MapNode map(String key) {
    Node node = node(key);
    if (node == null) {
      return null;
    }
    if (node instanceof Node.MapNode nested) {
      return nested;
    }
    problem(node.location(), name(key) + " must be a mapping, but was " + node.describe());
    return null;
  }

  /** Where the field's value is, or the map's location when it is absent. */
  public Location location(String key) {
    Node node = node(key);
    return node == null ? map.location() : node.location();
  }

  /** Parses {@code 250ms}, {@code 2s}, {@code 1.5m}, {@code 1h} or seconds; null if malformed. */
  public static @Nullable Duration parseDuration(@Nullable Object value) {
    if (value instanceof Long seconds) {
      return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
    }
    if (value instanceof Double seconds) {
      return seconds >= 0 && Double.isFinite(seconds)
          ? Duration.ofNanos(Math.round(seconds * 1e9))
          : null;
    }
    if (!(value instanceof String text)) {
      return null;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    double nanosPerUnit =
        switch (unit) {
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          default -> 3600e9;
        };
    return Duration.ofNanos(Math.round(amount * nanosPerUnit));
  }
}
