package io.floorgate.rules;

import io.floorgate.rules.tree.Location;
import io.floorgate.rules.tree.MapReader;
import io.floorgate.rules.tree.Node;
import io.floorgate.rules.tree.Problem;
import io.floorgate.rules.tree.TreeReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates a rule file (YAML, or JSON) as a whole.
 *
 * <p>Two forms, in one file or both: the native {@code rules:} list and the seed's {@code
 * PARAMETER_THRESHOLDS} block, whose entries watch the configured state topics and take the
 * entry's key as both id and dotted path. Every problem is collected with file, line, column and
 * rule id; a file with any problem yields no rule set at all.
 */
public final class RuleFile {
  static final Set<String> TOP_LEVEL_KEYS = Set.of("rules", "PARAMETER_THRESHOLDS");
  /** What a rule says about its condition and alarm, in either form. */
  static final Set<String> CONDITION_KEYS =
      Set.of(
          "name",
          "comparison",
          "value",
          "severity",
          "deadband",
          "on_delay",
          "off_delay",
          "mode",
          "limits",
          "latch",
          "out_of_service");
  /** A native rule also says which rule, where and what: id, topic, path. */
  static final Set<String> RULE_KEYS = union(CONDITION_KEYS, Set.of("id", "topic", "path"));
  /** A PARAMETER_THRESHOLDS entry's key is its id and path; its topics are the state topics. */
  static final Set<String> SEED_KEYS = CONDITION_KEYS;
  static final Set<String> LIMIT_KEYS = Set.of("level", "value", "severity", "deadband");

  /**
   * The largest rule file taken, in bytes: 3 MiB, about 19,000 rules of one line each. The gateway
   * journals every applied rule file whole, as one record, and YAML's parser stops at 3 Mi code
   * points anyway; checked before the file is read, so a wrong path to a large file cannot fill
   * the heap.
   */
  public static final int MAX_BYTES = 3 << 20;

  private final String file;
  private final List<String> stateTopics;
  private final List<Problem> problems = new ArrayList<>();
  /** Where each rule id was first given, so that a duplicate is reported where it is written. */
  private final Map<String, Location> ids = new HashMap<>();

  private RuleFile(String file, List<String> stateTopics) {
    this.file = file;
    this.stateTopics = stateTopics;
  }

  /**
   * What reading a rule file gave: the rules when there was no problem, else every problem.
   *
   * @param rules present exactly when {@code problems} is empty
   */
  public record Result(Optional<RuleSet> rules, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }

    /** The rules; throws with every problem, one per line, when there were problems. */
    public RuleSet orThrow() {
      return rules.orElseThrow(() -> new InvalidRulesException(problems));
    }
  }

  /** Thrown by {@link Result#orThrow()}; its message lists every problem, one per line. */
  public static final class InvalidRulesException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public InvalidRulesException(List<Problem> problems) {
      super(
          problems.size()
              + " problem(s) in the rules:\n"
              + String.join("\n", problems.stream().map(Problem::toString).toList()));
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  /**
   * Reads the rule file at {@code path}. An unreadable file is one problem, not an exception.
   *
   * @param stateTopics the topic filters that {@code PARAMETER_THRESHOLDS} rules watch
   */
  public static Result load(Path path, List<String> stateTopics) {
    String name = path.toString();
    byte[] bytes;
    try {
      Optional<Problem> tooLarge = tooLarge(name, Files.size(path));
      if (tooLarge.isPresent()) {
        return new Result(Optional.empty(), List.of(tooLarge.get()));
      }
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      return failed(name, "cannot read the rule file: " + describe(e));
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return failed(name, "the rule file is not valid UTF-8");
    }
    return parse(text, name, stateTopics);
  }

  /** The problem of a rule file of {@code size} bytes, when that is more than {@link #MAX_BYTES}. */
  public static Optional<Problem> tooLarge(String file, long size) {
    if (size <= MAX_BYTES) {
      return Optional.empty();
    }
    return Optional.of(
        new Problem(
            new Location(file, 1, 1),
            null,
            "the rule file is "
                + size
                + " bytes, more than the "
                + MAX_BYTES
                + " (3 MiB) a rule file may be: each applied version is journaled whole"));
  }

  /** Reads rules from {@code text}; {@code file} names it in problems. */
  public static Result parse(String text, String file, List<String> stateTopics) {
    return validate(TreeReader.read(text, file), file, stateTopics);
  }

  /**
   * Validates a document already read into a tree (by {@link TreeReader}, or decoded by {@link
   * io.floorgate.rules.tree.TreeCodec}): the same checks, problems and rules as {@link #parse}
   * of the text it was read from.
   */
  public static Result validate(TreeReader.Result tree, String file, List<String> stateTopics) {
    return new RuleFile(file, List.copyOf(stateTopics)).read(tree);
  }

  private static Result failed(String file, String message) {
    return new Result(
        Optional.empty(), List.of(new Problem(new Location(file, 1, 1), null, message)));
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private Result read(TreeReader.Result tree) {
    for (TreeReader.TreeProblem problem : tree.problems()) {
      problems.add(new Problem(problem.location(), null, problem.message()));
    }
    List<Rule> rules = new ArrayList<>();
    if (tree.root().isPresent()) {
      Node root = tree.root().get();
      if (root instanceof Node.MapNode map) {
        readTopLevel(map, rules);
      } else {
        problems.add(
            new Problem(
                root.location(),
                null,
                "a rule file must be a mapping with 'rules' and/or 'PARAMETER_THRESHOLDS', but was "
                    + root.describe()));
      }
    }
    if (!problems.isEmpty()) {
      return new Result(Optional.empty(), List.copyOf(problems));
    }
    return new Result(Optional.of(RuleSet.of(rules)), List.of());
  }

  private void readTopLevel(Node.MapNode root, List<Rule> rules) {
    MapReader top = new MapReader(root, null, "", problems::add);
    top.rejectUnknownKeys(TOP_LEVEL_KEYS);
    Node list = top.node("rules");
    if (list != null) {
      if (list instanceof Node.ListNode items) {
        for (int i = 0; i < items.items().size(); i++) {
          readNativeRule(items.items().get(i), i + 1, rules);
        }
      } else if (!(list instanceof Node.ScalarNode scalar && scalar.value() == null)) {
        top.problem(list.location(), "rules must be a list of rules, but was " + list.describe());
      }
    }
    Node seed = top.node("PARAMETER_THRESHOLDS");
    if (seed != null) {
      if (seed instanceof Node.MapNode thresholds) {
        for (Node.Entry entry : thresholds.entries().values()) {
          readSeedRule(entry, rules);
        }
      } else if (!(seed instanceof Node.ScalarNode scalar && scalar.value() == null)) {
        top.problem(
            seed.location(),
            "PARAMETER_THRESHOLDS must be a mapping of parameter path to threshold, but was "
                + seed.describe());
      }
    }
  }

  /** Reads the {@code position}th (1-based) entry of the {@code rules} list. */
  private void readNativeRule(Node item, int position, List<Rule> rules) {
    if (!(item instanceof Node.MapNode map)) {
      problems.add(
          new Problem(item.location(), null, "a rule must be a mapping, but was " + item.describe()));
      return;
    }
    Node idNode = map.get("id") == null ? null : map.get("id").value();
    String rawId =
        idNode instanceof Node.ScalarNode scalar && scalar.value() != null
            ? String.valueOf(scalar.value())
            : null;
    String context = rawId == null ? "rule #" + position : "rule '" + rawId + "'";
    MapReader r = new MapReader(map, context, "", problems::add);
    r.rejectUnknownKeys(RULE_KEYS);
    String id = null;
    if (r.require("id")) {
      id = r.string("id");
      if (id != null) {
        String idError = Rule.idError(id);
        if (idError != null) {
          r.problem(r.location("id"), idError);
          id = null;
        } else {
          checkUnique(r, id, r.location("id"));
        }
      }
    }
    String topic = null;
    if (r.require("topic")) {
      topic = r.string("topic");
      if (topic != null && Rule.topicError(topic) != null) {
        r.problem(r.location("topic"), Rule.topicError(topic));
        topic = null;
      }
    }
    String path = r.has("path") ? r.string("path") : "value";
    if (path != null && Rule.pathError(path) != null) {
      r.problem(r.location("path"), Rule.pathError(path));
      path = null;
    }
    Rule rule =
        readCondition(r, id, topic == null ? null : List.of(topic), path, id);
    if (rule != null) {
      rules.add(rule);
    }
  }

  private void readSeedRule(Node.Entry entry, List<Rule> rules) {
    String key = entry.key();
    if (!(entry.value() instanceof Node.MapNode map)) {
      problems.add(
          new Problem(
              entry.value().location(),
              "rule '" + key + "'",
              "a PARAMETER_THRESHOLDS entry must be a mapping with name, value, comparison and"
                  + " severity, but was "
                  + entry.value().describe()));
      return;
    }
    MapReader r = new MapReader(map, "rule '" + key + "'", "", problems::add);
    r.rejectUnknownKeys(SEED_KEYS);
    String id = key;
    String idError = Rule.idError(key);
    if (idError != null) {
      r.problem(entry.keyLocation(), idError);
      id = null;
    } else {
      checkUnique(r, key, entry.keyLocation());
    }
    String path = key;
    if (Rule.pathError(key) != null) {
      r.problem(entry.keyLocation(), Rule.pathError(key));
      path = null;
    }
    if (stateTopics.isEmpty()) {
      r.problem(
          entry.keyLocation(),
          "PARAMETER_THRESHOLDS needs state topics to watch, but none are configured"
              + " (rules.state_topics)");
    }
    List<String> topics = stateTopics.isEmpty() ? null : stateTopics;
    for (String topic : stateTopics) {
      String topicError = Rule.topicError(topic);
      if (topicError != null) {
        r.problem(entry.keyLocation(), "state topic '" + topic + "': " + topicError);
        topics = null;
      }
    }
    Rule rule = readCondition(r, id, topics, path, key);
    if (rule != null) {
      rules.add(rule);
    }
  }

  /** Reads the fields both forms share; null when anything was wrong (already reported). */
  private @Nullable Rule readCondition(
      MapReader r,
      @Nullable String id,
      @Nullable List<String> topics,
      @Nullable String path,
      String defaultName) {
    int before = problems.size();
    String name = r.has("name") ? r.string("name") : defaultName;
    if (name != null && name.isBlank()) {
      r.problem(r.location("name"), "name must not be blank");
    }
    Comparison comparison = null;
    if (r.require("comparison")) {
      String text = r.string("comparison");
      if (text != null) {
        try {
          comparison = Comparison.parse(text);
        } catch (IllegalArgumentException e) {
          r.problem(r.location("comparison"), e.getMessage());
        }
      }
    }
    List<Limit> limits = r.has("limits") ? readLimits(r) : readSingleLimit(r);
    Duration onDelay = r.has("on_delay") ? r.duration("on_delay") : Duration.ZERO;
    Duration offDelay = r.has("off_delay") ? r.duration("off_delay") : Duration.ZERO;
    Mode mode = Mode.ALARM;
    if (r.has("mode")) {
      String text = r.string("mode");
      if (text != null) {
        try {
          mode = Mode.parse(text);
        } catch (IllegalArgumentException e) {
          r.problem(r.location("mode"), e.getMessage());
        }
      }
    }
    boolean latch = Boolean.TRUE.equals(r.has("latch") ? r.bool("latch") : Boolean.FALSE);
    boolean outOfService =
        Boolean.TRUE.equals(r.has("out_of_service") ? r.bool("out_of_service") : Boolean.FALSE);
    // Settings that would be silently ignored are mistakes worth pointing at.
    if (mode == Mode.EVERY_SAMPLE) {
      for (String key : List.of("deadband", "on_delay", "off_delay", "latch")) {
        if (r.has(key)) {
          r.problem(r.location(key), key + " has no effect with mode every_sample; remove it");
        }
      }
    } else if (comparison == Comparison.NOT_EQUAL
        && limits != null
        && limits.stream().anyMatch(l -> l.deadband() > 0)) {
      r.problem(
          r.location("deadband"),
          "deadband has no effect with not_equal (normal is exactly the threshold); remove it");
    }
    if (comparison != null && limits != null) {
      for (String error : Rule.limitErrors(comparison, limits)) {
        r.problem(r.location(r.has("limits") ? "limits" : "value"), error);
      }
    }
    reportIfPresent(r, "on_delay", onDelay == null ? null : Rule.delayError("on_delay", onDelay));
    reportIfPresent(r, "off_delay", offDelay == null ? null : Rule.delayError("off_delay", offDelay));
    if (problems.size() > before
        || id == null
        || topics == null
        || path == null
        || name == null
        || comparison == null
        || limits == null
        || onDelay == null
        || offDelay == null) {
      return null;
    }
    return new Rule(
        id, name, topics, path, comparison, limits, onDelay, offDelay, mode, latch, outOfService);
  }

  /** {@code value}, {@code severity}, {@code deadband} at the rule's level: one limit. */
  private @Nullable List<Limit> readSingleLimit(MapReader r) {
    Double threshold = null;
    if (r.has("value")) {
      threshold = r.number("value");
    } else {
      r.problem(r.node().location(), "value (the threshold) is required, or limits");
    }
    Severity severity = severity(r);
    Double deadband = deadband(r);
    return threshold == null || deadband == null
        ? null
        : List.of(new Limit("", threshold, severity, deadband));
  }

  /** {@code limits:}, a list of {@code {level, value, severity, deadband}}. */
  private @Nullable List<Limit> readLimits(MapReader r) {
    for (String key : List.of("value", "severity", "deadband")) {
      if (r.has(key)) {
        r.problem(
            r.location(key),
            key + " belongs inside each of limits when a rule has limits; move it there");
      }
    }
    Node list = r.node("limits");
    if (!(list instanceof Node.ListNode items) || items.items().isEmpty()) {
      r.problem(
          r.location("limits"),
          "limits must be a list of {level, value, severity, deadband}, but was "
              + (list == null || list instanceof Node.ListNode
                  ? "an empty list"
                  : list.describe()));
      return null;
    }
    List<Limit> limits = new ArrayList<>();
    boolean ok = true;
    int position = 0;
    for (Node item : items.items()) {
      position++;
      if (!(item instanceof Node.MapNode map)) {
        r.problem(item.location(), "limit #" + position + " must be a mapping, but was " + item.describe());
        ok = false;
        continue;
      }
      MapReader limit = new MapReader(map, r.context(), "limits[" + position + "].", problems::add);
      limit.rejectUnknownKeys(LIMIT_KEYS);
      String level = limit.require("level") ? limit.string("level") : null;
      Double threshold = limit.require("value") ? limit.number("value") : null;
      Severity severity = severity(limit);
      Double deadband = deadband(limit);
      if (level == null || threshold == null || deadband == null) {
        ok = false;
        continue;
      }
      limits.add(new Limit(level, threshold, severity, deadband));
    }
    return ok ? limits : null;
  }

  private static @Nullable Severity severity(MapReader r) {
    if (!r.has("severity")) {
      return null;
    }
    String text = r.string("severity");
    if (text == null) {
      return null;
    }
    try {
      return Severity.parse(text);
    } catch (IllegalArgumentException e) {
      r.problem(r.location("severity"), r.name("") + e.getMessage());
      return null;
    }
  }

  /** The deadband (0 when absent), or null when it is wrong (reported). */
  private static @Nullable Double deadband(MapReader r) {
    if (!r.has("deadband")) {
      return 0.0;
    }
    Double value = r.number("deadband");
    if (value == null) {
      return null;
    }
    String error = Rule.deadbandError(value);
    if (error != null) {
      r.problem(r.location("deadband"), r.name("") + error);
      return null;
    }
    return value;
  }


  /** Reports {@code id} at {@code at} when an earlier rule (valid or not) already has it. */
  private void checkUnique(MapReader r, String id, Location at) {
    Location first = ids.putIfAbsent(id, at);
    if (first != null) {
      r.problem(
          at, "duplicate id: every rule needs its own id (first at line " + first.line() + ")");
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  private static void reportIfPresent(MapReader r, String key, @Nullable String error) {
    if (error != null) {
      r.problem(r.location(key), error);
    }
  }
}
