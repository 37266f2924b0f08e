package io.floorgate.gateway.config;

import io.floorgate.rules.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A topic with placeholders, such as {@code alerts/{severity}/{category}}. Parsed once, rendered
 * per message. Values are made safe for a single topic level: {@code /}, {@code +}, {@code #} and
 * NUL become {@code _}.
 */
public final class TopicTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  private final String template;
  private final List<String> literals = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  private TopicTemplate(String template) {
    this.template = template;
  }

  /**
   * Parses {@code template}, allowing the placeholders in {@code allowed}.
   *
   * @throws IllegalArgumentException naming the unknown placeholder or the topic syntax problem
   */
  public static TopicTemplate parse(String template, Set<String> allowed) {
    TopicTemplate parsed = new TopicTemplate(template);
    Matcher m = PLACEHOLDER.matcher(template);
    int last = 0;
    StringBuilder sample = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(
            "unknown placeholder {"
                + name
                + "} in '"
                + template
                + "'; allowed: "
                + String.join(", ", new TreeSet<>(allowed).stream().map(n -> "{" + n + "}").toList()));
      }
      parsed.literals.add(template.substring(last, m.start()));
      parsed.names.add(name);
      sample.append(template, last, m.start()).append('x');
      last = m.end();
    }
    parsed.literals.add(template.substring(last));
    sample.append(template.substring(last));
    if (sample.indexOf("{") >= 0 || sample.indexOf("}") >= 0) {
      throw new IllegalArgumentException(
          "malformed placeholder in '" + template + "'; placeholders look like {severity}");
    }
    String error = TopicFilter.topicError(sample.toString());
    if (error != null) {
      throw new IllegalArgumentException("'" + template + "' is not a valid topic: " + error);
    }
    return parsed;
  }

  /** The placeholders used, in order. */
  public List<String> placeholders() {
    return List.copyOf(names);
  }

  /** The topic with every placeholder replaced; a missing value renders as {@code unknown}. */
  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder(template.length() + 16);
    for (int i = 0; i < names.size(); i++) {
      out.append(literals.get(i));
      appendSafe(out, values.getOrDefault(names.get(i), "unknown"));
    }
    return out.append(literals.get(literals.size() - 1)).toString();
  }

  private static void appendSafe(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      out.append(c == '/' || c == '+' || c == '#' || c == '\0' ? '_' : c);
    }
  }

  /** Equal when the text is: the text determines the parsed form. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TopicTemplate other && template.equals(other.template);
  }

  @Override
  public int hashCode() {
    return template.hashCode();
  }

  @Override
  public String toString() {
    return template;
  }
}
