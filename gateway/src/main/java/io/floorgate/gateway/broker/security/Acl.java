package io.floorgate.gateway.broker.security;

import io.floorgate.rules.topic.TopicFilter;
import io.floorgate.rules.tree.Location;
import io.floorgate.rules.tree.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Access rules in Mosquitto's {@code acl_file} format, and their check. Immutable, thread-safe.
 *
 * <pre>
 * # anonymous clients: the topic lines before the first user line
 * topic read alerts/#
 * user scada
 * topic read alerts/#
 * topic write alerts/ack
 * # every client, %c = its client id, %u = its user name (a whole level each)
 * pattern write plant/%c/#
 * </pre>
 *
 * <p>{@code topic [read|write|readwrite|deny] FILTER} (no access word = readwrite), {@code user
 * NAME}, {@code pattern [access] FILTER}, {@code #} comments. As in Mosquitto: deny lines are
 * checked first and win; patterns apply to every client, those with {@code %u} only to clients
 * with a user name; a client id or user name containing {@code +} or {@code #} gets nothing where
 * a pattern would substitute it. Floorgate also refuses {@code /} there (a client id {@code a/b}
 * would otherwise reach into client {@code a}'s tree).
 *
 * <p>Subscriptions: Moquette 0.17 cannot filter deliveries per message, so a subscription is
 * allowed only when one readable filter covers it entirely and no deny line could match any topic
 * of it. A device subscribing to {@code #} is therefore refused unless it may read everything.
 */
public final class Acl {
  /** What a client asks to do. */
  public enum Access {
    /** Publish on a topic name. */
    WRITE,
    /** Subscribe to a topic filter. */
    SUBSCRIBE
  }

  /** The answer, and why. */
  public enum Verdict {
    ALLOWED,
    /** A deny line matches. */
    DENIED,
    /** No line grants it. */
    NOT_GRANTED,
    /** A pattern would substitute a client id or user name holding {@code / + #}. */
    UNSAFE_IDENTITY
  }

  private enum Grant {
    READ(true, false),
    WRITE(false, true),
    READWRITE(true, true),
    DENY(false, false);

    final boolean read;
    final boolean write;

    Grant(boolean read, boolean write) {
      this.read = read;
      this.write = write;
    }
  }

  private record Line(Grant grant, String filter, String[] levels, boolean pattern) {
    boolean usesUser() {
      return pattern && List.of(levels).contains("%u");
    }

    boolean usesClient() {
      return pattern && List.of(levels).contains("%c");
    }
  }

  /** What reading a file gave: rules exactly when there are no problems. */
  public record Result(Optional<Acl> acl, List<Problem> problems) {}

  private final String source;
  private final List<Line> anonymous;
  private final Map<String, List<Line>> users;
  private final List<Line> patterns;
  private final boolean clientPatterns;
  private final boolean userPatterns;

  private Acl(
      String source, List<Line> anonymous, Map<String, List<Line>> users, List<Line> patterns) {
    this.source = source;
    this.anonymous = List.copyOf(anonymous);
    Map<String, List<Line>> copy = new LinkedHashMap<>();
    users.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.users = java.util.Collections.unmodifiableMap(copy);
    this.patterns = List.copyOf(patterns);
    this.clientPatterns = patterns.stream().anyMatch(Line::usesClient);
    this.userPatterns = patterns.stream().anyMatch(Line::usesUser);
  }

  /** Reads {@code path}; an unreadable file is one problem naming it. */
  public static Result load(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Result(
          Optional.empty(),
          List.of(
              new Problem(
                  new Location(path.toString(), 1, 1),
                  null,
                  "cannot read the ACL file: " + PasswordFile.describe(e))));
    }
    return parse(text, path.toString());
  }

  /** Parses {@code text}; {@code file} names it in problems. */
  public static Result parse(String text, String file) {
    List<Problem> problems = new ArrayList<>();
    List<Line> anonymous = new ArrayList<>();
    Map<String, List<Line>> users = new LinkedHashMap<>();
    List<Line> patterns = new ArrayList<>();
    List<Line> current = anonymous;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String raw = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int column = raw.indexOf(line.charAt(0)) + 1;
      String keyword = firstWord(line);
      String rest = line.substring(keyword.length()).strip();
      Location at = new Location(file, lineNo, column);
      switch (keyword) {
        case "user" -> {
          if (rest.isEmpty()) {
            problems.add(new Problem(at, null, "'user' needs a user name"));
            current = new ArrayList<>(); // the lines below belong to nobody
          } else {
            current = users.computeIfAbsent(rest, u -> new ArrayList<>());
          }
        }
        case "topic", "pattern" -> {
          Line parsed = access(keyword, rest, at, problems);
          if (parsed != null) {
            (parsed.pattern() ? patterns : current).add(parsed);
          }
        }
        default ->
            problems.add(
                new Problem(
                    at,
                    null,
                    "unknown keyword '"
                        + shorten(keyword)
                        + "'; a line is 'user NAME', 'topic [read|write|readwrite|deny] FILTER'"
                        + " or 'pattern [read|write|readwrite|deny] FILTER'"));
      }
    }
    if (!problems.isEmpty()) {
      return new Result(Optional.empty(), List.copyOf(problems));
    }
    return new Result(Optional.of(new Acl(file, anonymous, users, patterns)), List.of());
  }

  private static @Nullable Line access(
      String keyword, String rest, Location at, List<Problem> problems) {
    Grant grant = Grant.READWRITE;
    String filter = rest;
    String word = firstWord(rest);
    String remainder = rest.substring(word.length()).strip();
    if (!remainder.isEmpty()) {
      switch (word) {
        case "read" -> grant = Grant.READ;
        case "write" -> grant = Grant.WRITE;
        case "readwrite" -> grant = Grant.READWRITE;
        case "deny" -> grant = Grant.DENY;
        default -> {
          // Mosquitto: without an access word the whole rest is the topic (it may hold spaces).
        }
      }
      if (grant != Grant.READWRITE || word.equals("readwrite")) {
        filter = remainder;
      }
    }
    if (filter.isEmpty()) {
      problems.add(new Problem(at, null, "'" + keyword + "' needs a topic filter"));
      return null;
    }
    String error = TopicFilter.filterError(filter);
    if (error != null) {
      problems.add(new Problem(at, null, keyword + " '" + shorten(filter) + "': " + error));
      return null;
    }
    String[] levels = Topics.split(filter);
    boolean pattern = keyword.equals("pattern");
    for (String level : levels) {
      boolean substitution = level.contains("%c") || level.contains("%u");
      if (substitution && !pattern) {
        problems.add(
            new Problem(
                at,
                null,
                "%c and %u are substituted only in 'pattern' lines, but this is a 'topic' line: '"
                    + shorten(filter)
                    + "'"));
        return null;
      }
      if (substitution && !level.equals("%c") && !level.equals("%u")) {
        problems.add(
            new Problem(
                at,
                null,
                "%c or %u must be a whole topic level, but the filter is '"
                    + shorten(filter)
                    + "'"));
        return null;
      }
    }
    return new Line(grant, filter, levels, pattern);
  }

  /**
   * May a client do this?
   *
   * @param access publish or subscribe
   * @param topic the topic name (publish) or topic filter (subscribe)
   * @param user the authenticated user name; null or empty for an anonymous client
   * @param clientId the client id
   */
  public Verdict check(Access access, String topic, @Nullable String user, String clientId) {
    boolean anonymousClient = user == null || user.isEmpty();
    List<Line> own = anonymousClient ? anonymous : users.getOrDefault(user, List.of());
    if ((clientPatterns && !safe(clientId)) || (userPatterns && !anonymousClient && !safe(user))) {
      return Verdict.UNSAFE_IDENTITY;
    }
    String[] wanted = Topics.split(topic);
    List<String[]> substituted = new ArrayList<>(patterns.size());
    List<Grant> patternGrants = new ArrayList<>(patterns.size());
    for (Line p : patterns) {
      if (p.usesUser() && anonymousClient) {
        continue;
      }
      String[] levels = p.levels().clone();
      for (int i = 0; i < levels.length; i++) {
        if (levels[i].equals("%c")) {
          levels[i] = clientId;
        } else if (levels[i].equals("%u")) {
          levels[i] = user;
        }
      }
      substituted.add(levels);
      patternGrants.add(p.grant());
    }
    // Deny lines first: they win.
    for (Line line : own) {
      if (line.grant() == Grant.DENY && denies(access, line.levels(), wanted)) {
        return Verdict.DENIED;
      }
    }
    for (int i = 0; i < substituted.size(); i++) {
      if (patternGrants.get(i) == Grant.DENY && denies(access, substituted.get(i), wanted)) {
        return Verdict.DENIED;
      }
    }
    for (Line line : own) {
      if (grants(access, line.grant(), line.levels(), wanted)) {
        return Verdict.ALLOWED;
      }
    }
    for (int i = 0; i < substituted.size(); i++) {
      if (grants(access, patternGrants.get(i), substituted.get(i), wanted)) {
        return Verdict.ALLOWED;
      }
    }
    return Verdict.NOT_GRANTED;
  }

  private static boolean denies(Access access, String[] filter, String[] wanted) {
    return access == Access.WRITE
        ? Topics.matches(filter, wanted)
        : Topics.intersects(filter, wanted);
  }

  private static boolean grants(Access access, Grant grant, String[] filter, String[] wanted) {
    return access == Access.WRITE
        ? grant.write && Topics.matches(filter, wanted)
        : grant.read && Topics.covers(filter, wanted);
  }

  private static boolean safe(String value) {
    return !value.isEmpty()
        && value.indexOf('/') < 0
        && value.indexOf('+') < 0
        && value.indexOf('#') < 0;
  }

  /** True when the file names {@code user} in a {@code user} line. */
  public boolean hasUser(String user) {
    return users.containsKey(user);
  }

  /** The users the file names. */
  public java.util.Set<String> userNames() {
    return users.keySet();
  }

  public String source() {
    return source;
  }

  private static String firstWord(String text) {
    int end = 0;
    while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    return text.substring(0, end);
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  /** Equal when built from the same lines in the same file. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Acl other
        && source.equals(other.source)
        && describe().equals(other.describe());
  }

  @Override
  public int hashCode() {
    return describe().hashCode();
  }

  private String describe() {
    StringBuilder out = new StringBuilder();
    anonymous.forEach(l -> out.append("topic ").append(l.grant()).append(' ').append(l.filter()).append('\n'));
    users.forEach(
        (u, ls) -> {
          out.append("user ").append(u).append('\n');
          ls.forEach(l -> out.append("topic ").append(l.grant()).append(' ').append(l.filter()).append('\n'));
        });
    patterns.forEach(
        l -> out.append("pattern ").append(l.grant()).append(' ').append(l.filter()).append('\n'));
    return out.toString();
  }

  @Override
  public String toString() {
    return "Acl["
        + source
        + ", "
        + users.size()
        + " user(s), "
        + anonymous.size()
        + " anonymous line(s), "
        + patterns.size()
        + " pattern(s)]";
  }
}
