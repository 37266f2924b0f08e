package io.floorgate.rules;

import io.floorgate.rules.topic.TopicIndex;
import io.floorgate.rules.topic.TopicName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated set of rules with a topic index: {@link #match} costs the rules that
 * match a topic, not all rules. Safe to share between threads; a reload builds a new set and swaps
 * it whole, so no message is evaluated against a half-applied set.
 */
public final class RuleSet {
  private static final RuleSet EMPTY = new RuleSet(List.of());

  private final List<Rule> rules;
  private final Map<String, Rule> byId;
  private final TopicIndex<Rule> index = new TopicIndex<>();

  private RuleSet(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    Map<String, Rule> ids = new LinkedHashMap<>();
    for (Rule rule : this.rules) {
      if (ids.putIfAbsent(rule.id(), rule) != null) {
        throw new IllegalArgumentException("rule '" + rule.id() + "': duplicate id");
      }
      for (String topic : rule.topics()) {
        index.add(topic, rule);
      }
    }
    this.byId = ids;
  }

  /**
   * A set of {@code rules}.
   *
   * @throws IllegalArgumentException when two rules share an id
   */
  public static RuleSet of(List<Rule> rules) {
    return rules.isEmpty() ? EMPTY : new RuleSet(rules);
  }

  public static RuleSet empty() {
    return EMPTY;
  }

  /** The rules in file order. */
  public List<Rule> rules() {
    return rules;
  }

  public int size() {
    return rules.size();
  }

  public Optional<Rule> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * The rules watching {@code topic}, each once (a rule whose filters overlap matches once), in
   * the order their filters matched.
   */
  public List<Rule> match(String topic) {
    return match(TopicName.of(topic));
  }

  /** As {@link #match(String)}, for a topic already split. */
  public List<Rule> match(TopicName topic) {
    List<Rule> matched = index.match(topic);
    if (matched.size() > 1) {
      return matched.stream().distinct().toList();
    }
    return matched;
  }
}
