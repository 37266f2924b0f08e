package io.floorgate.rules.eval;

import io.floorgate.rules.Limit;
import io.floorgate.rules.Mode;
import io.floorgate.rules.Rule;
import io.floorgate.rules.RuleSet;
import io.floorgate.rules.topic.TopicFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * Turns readings into alarm transitions, following ISA-18.2's alarm lifecycle.
 *
 * <p>An alarm is kept per rule and telemetry topic. A reading that breaches starts an excursion;
 * once the condition has held for {@code on_delay} the alarm raises. It clears once the value no
 * longer {@linkplain io.floorgate.rules.Comparison#holds holds} (the threshold moved back by the
 * deadband) for {@code off_delay}. Delays run on time, not on samples: call {@link #advance} (the
 * gateway does so at {@link #nextDeadline()}). A rule with escalation tiers (H/HH, L/LL) keeps one
 * alarm whose tier follows the value: entering a higher tier raises again at that tier's severity,
 * falling back to a lower one lowers it, leaving the lowest clears it.
 *
 * <p>Acknowledgement: raised alarms are unacknowledged until {@link #acknowledge}; an alarm that
 * returns unacknowledged stays visible ({@link AlarmState#RETURNED_UNACKNOWLEDGED}). A latching
 * rule keeps its alarm active after the value returns until {@link #reset}. {@link #shelve}
 * silences a rule's alarms for a time (they keep evaluating); when the shelving ends, an alarm
 * still active is announced again. Out-of-service rules are not evaluated.
 *
 * <p>{@code every_sample} rules have no state: each breaching reading is a {@link
 * Transition.Kind#SAMPLE} at the highest tier it breaches.
 *
 * <p>Only alarms that are not normal are kept, so memory follows what is active, not how many
 * topics a wildcard rule has seen. Not thread-safe: one thread owns an evaluator.
 */
public final class Evaluator {
  private final Map<AlarmKey, Alarm> alarms = new HashMap<>();
  private final Map<String, Alarm> byEventId = new HashMap<>();
  private final Map<String, List<Shelf>> shelves = new HashMap<>();
  private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();

  private static final class Alarm {
    Rule rule;
    final String topic;
    /** The tier in effect, -1 when the condition is normal. */
    int tier = -1;
    boolean pending;
    int pendingTier;
    long deadline;
    long generation;
    Reading last;
    boolean raised;
    boolean acknowledged;
    boolean latched;
    @Nullable String eventId;
    @Nullable String acknowledgedBy;
    AlarmState state = AlarmState.NORMAL;
    long since;

    Alarm(Rule rule, String topic, Reading first) {
      this.rule = rule;
      this.topic = topic;
      this.last = first;
      this.since = first.receivedMillis();
    }

    boolean active() {
      return tier >= 0 || latched;
    }

    AlarmKey key() {
      return new AlarmKey(rule.id(), topic);
    }
  }

  /** A time at which something is due: an alarm's delay, or a shelving's end. */
  private record Deadline(long at, long generation, @Nullable Alarm alarm, @Nullable Shelf shelf)
      implements Comparable<Deadline> {
    @Override
    public int compareTo(Deadline other) {
      return Long.compare(at, other.at);
    }
  }

  // ---- readings and time ----

  /**
   * Evaluates one reading of {@code rule}; transitions go to {@code out}.
   *
   * @param nowMillis the current time (epoch milliseconds)
   */
  public void onReading(Rule rule, Reading reading, long nowMillis, List<Transition> out) {
    if (rule.outOfService()) {
      return;
    }
    if (rule.mode() == Mode.EVERY_SAMPLE) {
      int tier = desiredTier(rule, reading.value(), -1);
      if (tier >= 0) {
        AlarmSnapshot sample =
            new AlarmSnapshot(
                rule,
                reading.topic(),
                AlarmState.NORMAL,
                reading.value(),
                nowMillis,
                null,
                null,
                rule.limits().get(tier),
                false,
                null);
        out.add(new Transition(Transition.Kind.SAMPLE, rule, reading, sample,
            rule.limits().get(tier), null, null));
      }
      return;
    }
    AlarmKey key = new AlarmKey(rule.id(), reading.topic());
    Alarm alarm = alarms.get(key);
    if (alarm == null) {
      if (desiredTier(rule, reading.value(), -1) < 0) {
        return; // normal and staying normal: nothing to keep
      }
      alarm = new Alarm(rule, reading.topic(), reading);
      alarms.put(key, alarm);
    }
    alarm.rule = rule;
    alarm.last = reading;
    int desired = desiredTier(rule, reading.value(), alarm.tier);
    if (alarm.pending) {
      if (desired == alarm.pendingTier) {
        if (nowMillis >= alarm.deadline) {
          apply(alarm, desired, nowMillis, out);
        }
      } else if (desired == alarm.tier) {
        alarm.pending = false; // a spike shorter than the delay
        alarm.generation++;
      } else {
        startChange(alarm, desired, nowMillis, out);
      }
    } else if (desired != alarm.tier) {
      startChange(alarm, desired, nowMillis, out);
    }
    forgetIfNormal(alarm);
  }

  /** Fires the delayed changes and shelving ends that are due at {@code nowMillis}. */
  public void advance(long nowMillis, List<Transition> out) {
    while (!deadlines.isEmpty() && deadlines.peek().at() <= nowMillis) {
      Deadline due = deadlines.poll();
      if (due.shelf() != null) {
        List<Shelf> ruleShelves = shelves.get(due.shelf().ruleId());
        if (ruleShelves != null && ruleShelves.contains(due.shelf())) {
          unshelve(due.shelf(), nowMillis, "shelving ended", out);
        }
        continue;
      }
      Alarm alarm = due.alarm();
      if (alarm == null || due.generation() != alarm.generation || !alarm.pending) {
        continue; // superseded
      }
      apply(alarm, alarm.pendingTier, nowMillis, out);
      forgetIfNormal(alarm);
    }
  }

  /** When {@link #advance} next has something to do, if ever. */
  public OptionalLong nextDeadline() {
    while (!deadlines.isEmpty()) {
      Deadline next = deadlines.peek();
      boolean live =
          next.shelf() != null
              ? shelves.getOrDefault(next.shelf().ruleId(), List.of()).contains(next.shelf())
              : next.alarm() != null
                  && next.generation() == next.alarm().generation
                  && next.alarm().pending;
      if (live) {
        return OptionalLong.of(next.at());
      }
      deadlines.poll();
    }
    return OptionalLong.empty();
  }

  /**
   * The highest tier the value is in: a tier above the current one must be breached, the current
   * one and those below need only hold (the deadband keeps the alarm from chattering).
   */
  private static int desiredTier(Rule rule, double value, int current) {
    List<Limit> limits = rule.limits();
    for (int i = limits.size() - 1; i >= 0; i--) {
      Limit limit = limits.get(i);
      boolean in =
          i > current
              ? rule.comparison().breaches(value, limit.threshold())
              : rule.comparison().holds(value, limit.threshold(), limit.deadband());
      if (in) {
        return i;
      }
    }
    return -1;
  }

  private void startChange(Alarm alarm, int desired, long now, List<Transition> out) {
    long delay = (desired > alarm.tier ? alarm.rule.onDelay() : alarm.rule.offDelay()).toMillis();
    if (delay <= 0) {
      apply(alarm, desired, now, out);
      return;
    }
    alarm.pending = true;
    alarm.pendingTier = desired;
    alarm.generation++;
    alarm.deadline = now + delay;
    deadlines.add(new Deadline(alarm.deadline, alarm.generation, alarm, null));
  }

  private void apply(Alarm alarm, int target, long now, List<Transition> out) {
    alarm.pending = false;
    alarm.generation++;
    int from = alarm.tier;
    if (target == from) {
      return;
    }
    Rule rule = alarm.rule;
    boolean silent = shelfFor(alarm) != null;
    alarm.tier = target;
    if (target > from) {
      alarm.latched = false;
      Limit previous = from >= 0 ? rule.limits().get(from) : null;
      if (silent) {
        AlarmState before = alarm.state;
        updateState(alarm, now);
        if (before != AlarmState.SHELVED) {
          // A new alarm under a shelving: show it as shelved, announce it when the shelving ends.
          out.add(transition(Transition.Kind.SHELVED, alarm, rule.limits().get(target), null,
              "shelved"));
        }
        return;
      }
      announceRaise(alarm, now, previous, null, out);
    } else if (target >= 0) {
      updateState(alarm, now);
      if (!silent) {
        out.add(transition(Transition.Kind.LOWERED, alarm, rule.limits().get(target),
            rule.limits().get(from), null));
      }
    } else {
      alarm.latched = rule.latch() && alarm.raised && !silent;
      updateState(alarm, now);
      if (!silent && alarm.raised) {
        out.add(transition(Transition.Kind.CLEARED, alarm, rule.limits().get(from), null, null));
      }
    }
  }

  /** Raises (or re-announces) the alarm at its tier: a new, unacknowledged excursion. */
  private void announceRaise(
      Alarm alarm, long now, @Nullable Limit from, @Nullable String note, List<Transition> out) {
    alarm.raised = true;
    alarm.acknowledged = false;
    alarm.acknowledgedBy = null;
    if (alarm.eventId != null) {
      byEventId.remove(alarm.eventId);
      alarm.eventId = null;
    }
    updateState(alarm, now);
    Limit limit = alarm.rule.limits().get(Math.max(0, alarm.tier));
    out.add(transition(Transition.Kind.RAISED, alarm, limit, from, note));
  }

  private Transition transition(
      Transition.Kind kind, Alarm alarm, Limit limit, @Nullable Limit from, @Nullable String note) {
    return new Transition(kind, alarm.rule, alarm.last, snapshot(alarm), limit, from, note);
  }

  // ---- operator actions ----

  /** Records the id of the event that announced {@code key}'s raise, for acknowledgements. */
  public void attachEvent(AlarmKey key, String eventId) {
    Alarm alarm = alarms.get(key);
    if (alarm == null) {
      return;
    }
    if (alarm.eventId != null) {
      byEventId.remove(alarm.eventId);
    }
    alarm.eventId = eventId;
    byEventId.put(eventId, alarm);
  }

  /**
   * Whether the alarm raised by event {@code eventId} awaits an acknowledgement: {@link
   * #acknowledge} would acknowledge it now.
   */
  public boolean awaitsAcknowledgement(String eventId) {
    return awaitingAcknowledgement(eventId) != null;
  }

  /**
   * Whether the alarm raised by event {@code eventId} is still held: active (acknowledged or not)
   * or awaiting acknowledgement. An alarm acknowledged and back to normal is forgotten.
   */
  public boolean holdsAlarmRaisedBy(String eventId) {
    Alarm alarm = byEventId.get(eventId);
    return alarm != null && alarm.raised;
  }

  private @Nullable Alarm awaitingAcknowledgement(String eventId) {
    Alarm alarm = byEventId.get(eventId);
    return alarm != null && alarm.raised && !alarm.acknowledged ? alarm : null;
  }

  /**
   * Acknowledges the alarm raised by event {@code eventId}. Empty when no alarm has that event or
   * it is already acknowledged.
   */
  public Optional<Transition> acknowledge(String eventId, String user, long nowMillis) {
    Alarm alarm = awaitingAcknowledgement(eventId);
    if (alarm == null) {
      return Optional.empty();
    }
    alarm.acknowledged = true;
    alarm.acknowledgedBy = user;
    updateState(alarm, nowMillis);
    Transition transition =
        transition(Transition.Kind.ACKNOWLEDGED, alarm, currentLimit(alarm), null, null);
    forgetIfNormal(alarm);
    return Optional.of(transition);
  }

  /**
   * Resets the latched alarms of {@code ruleId} (only {@code topic}'s when given): each becomes
   * normal if acknowledged, else returned-unacknowledged.
   *
   * @return the transitions; empty when no alarm of the rule is latched
   */
  public List<Transition> reset(
      String ruleId, @Nullable String topic, String user, long nowMillis) {
    List<Transition> out = new ArrayList<>();
    for (Alarm alarm : List.copyOf(alarms.values())) {
      if (alarm.rule.id().equals(ruleId)
          && (topic == null || topic.equals(alarm.topic))
          && alarm.latched) {
        alarm.latched = false;
        updateState(alarm, nowMillis);
        out.add(transition(Transition.Kind.RESET, alarm, currentLimit(alarm), null,
            "reset by " + user));
        forgetIfNormal(alarm);
      }
    }
    return out;
  }

  /**
   * Shelves {@code shelf.ruleId()}'s alarms (only {@code shelf.topic()}'s when given) until {@code
   * shelf.untilMillis()}: they keep evaluating but announce nothing. Replaces an earlier shelving
   * of the same scope.
   *
   * @return a SHELVED transition for every existing alarm it covers
   */
  public List<Transition> shelve(Shelf shelf, long nowMillis) {
    List<Shelf> ruleShelves = shelves.computeIfAbsent(shelf.ruleId(), r -> new ArrayList<>());
    ruleShelves.removeIf(s -> java.util.Objects.equals(s.topic(), shelf.topic()));
    ruleShelves.add(shelf);
    deadlines.add(new Deadline(shelf.untilMillis(), 0, null, shelf));
    List<Transition> out = new ArrayList<>();
    for (Alarm alarm : List.copyOf(alarms.values())) {
      if (shelf.covers(alarm.rule.id(), alarm.topic)) {
        updateState(alarm, nowMillis);
        out.add(transition(Transition.Kind.SHELVED, alarm, currentLimit(alarm), null,
            shelf.reason()));
      }
    }
    return out;
  }

  /**
   * Ends the shelving of {@code ruleId} (of {@code topic} only, when given). An alarm still active
   * is announced again (RAISED, unacknowledged); the others become normal.
   *
   * @return the transitions; empty when nothing of that scope was shelved
   */
  public List<Transition> unshelve(
      String ruleId, @Nullable String topic, String user, long nowMillis) {
    List<Transition> out = new ArrayList<>();
    List<Shelf> ruleShelves = shelves.getOrDefault(ruleId, List.of());
    for (Shelf shelf : List.copyOf(ruleShelves)) {
      if (topic == null || topic.equals(shelf.topic())) {
        unshelve(shelf, nowMillis, "unshelved by " + user, out);
      }
    }
    return out;
  }

  private void unshelve(Shelf shelf, long now, String note, List<Transition> out) {
    List<Shelf> ruleShelves = shelves.get(shelf.ruleId());
    ruleShelves.remove(shelf);
    if (ruleShelves.isEmpty()) {
      shelves.remove(shelf.ruleId());
    }
    for (Alarm alarm : List.copyOf(alarms.values())) {
      if (!shelf.covers(alarm.rule.id(), alarm.topic) || shelfFor(alarm) != null) {
        continue;
      }
      if (alarm.tier >= 0) {
        announceRaise(alarm, now, null, note, out);
      } else {
        if (!alarm.latched) {
          // ISA-18.2: unshelved with its condition normal, the alarm is normal; an excursion
          // that ended while shelved leaves nothing to acknowledge.
          alarm.raised = false;
        }
        updateState(alarm, now);
        out.add(transition(Transition.Kind.UNSHELVED, alarm, currentLimit(alarm), null, note));
        forgetIfNormal(alarm);
      }
    }
  }

  /** The shelvings in force. */
  public List<Shelf> shelves() {
    List<Shelf> all = new ArrayList<>();
    shelves.values().forEach(all::addAll);
    return all;
  }

  private @Nullable Shelf shelfFor(Alarm alarm) {
    List<Shelf> ruleShelves = shelves.get(alarm.rule.id());
    if (ruleShelves == null) {
      return null;
    }
    for (Shelf shelf : ruleShelves) {
      if (shelf.covers(alarm.rule.id(), alarm.topic)) {
        return shelf;
      }
    }
    return null;
  }

  // ---- rules changing under the evaluator ----

  /**
   * Applies a new rule set: alarms of rules whose id and condition are unchanged keep their state
   * (and take the new rule's name, severities and delays); alarms of rules that were removed,
   * changed their condition or went out of service are dropped with a REMOVED transition saying
   * why. Shelvings of removed rules end.
   */
  public void replaceRules(RuleSet rules, long nowMillis, List<Transition> out) {
    for (Alarm alarm : List.copyOf(alarms.values())) {
      Optional<Rule> next = rules.get(alarm.rule.id());
      String why = null;
      if (next.isEmpty()) {
        why = "rule '" + alarm.rule.id() + "' was removed";
      } else if (next.get().outOfService()) {
        why = "rule '" + alarm.rule.id() + "' is out of service";
      } else if (!next.get().sameCondition(alarm.rule)
          || next.get().topics().stream().noneMatch(f -> TopicFilter.matches(f, alarm.topic))) {
        why = "rule '" + alarm.rule.id() + "' changed its condition; evaluating afresh";
      }
      if (why == null) {
        alarm.rule = next.get();
        continue;
      }
      Limit limit = currentLimit(alarm);
      boolean announced = alarm.state != AlarmState.NORMAL;
      drop(alarm);
      if (!announced) {
        continue; // only waiting out its on_delay: nothing was raised, so nothing to take back
      }
      alarm.state = AlarmState.NORMAL;
      alarm.since = nowMillis;
      out.add(transition(Transition.Kind.REMOVED, alarm, limit, null, why));
    }
    for (Iterator<String> it = shelves.keySet().iterator(); it.hasNext(); ) {
      if (rules.get(it.next()).isEmpty()) {
        it.remove();
      }
    }
  }

  /**
   * Puts back an alarm known from before a restart, as the gateway's journal recorded it. Later
   * readings continue it (a normal reading clears it). Normal states and {@code every_sample}
   * rules are ignored: they hold no alarm.
   *
   * @param level the tier the alarm was at ({@code ""} for a rule with one limit)
   * @param latched the value had returned but the rule latches (the alarm awaits a reset)
   */
  public void restore(
      Rule rule,
      String topic,
      AlarmState state,
      String level,
      boolean latched,
      double value,
      long sinceMillis,
      @Nullable String eventId,
      @Nullable String acknowledgedBy) {
    if (state == AlarmState.NORMAL
        || state == AlarmState.OUT_OF_SERVICE
        || rule.mode() == Mode.EVERY_SAMPLE
        || rule.outOfService()) {
      return;
    }
    Alarm alarm = new Alarm(rule, topic, new Reading(topic, value, null, null, sinceMillis));
    alarm.raised = true;
    alarm.acknowledged = state == AlarmState.ACTIVE_ACKNOWLEDGED;
    alarm.acknowledgedBy = acknowledgedBy;
    alarm.latched = latched && rule.latch();
    if (state != AlarmState.RETURNED_UNACKNOWLEDGED && !alarm.latched) {
      int tier = 0;
      for (int i = 0; i < rule.limits().size(); i++) {
        if (rule.limits().get(i).level().equals(level)) {
          tier = i;
        }
      }
      alarm.tier = tier;
    }
    alarm.state = state;
    alarm.since = sinceMillis;
    Alarm previous = alarms.put(alarm.key(), alarm);
    if (previous != null && previous.eventId != null) {
      byEventId.remove(previous.eventId);
    }
    if (eventId != null) {
      alarm.eventId = eventId;
      byEventId.put(eventId, alarm);
    }
  }

  // ---- queries ----

  /** The alarms that are not normal (an alarm still waiting out its on_delay is normal). */
  public Collection<AlarmSnapshot> alarms() {
    List<AlarmSnapshot> snapshots = new ArrayList<>(alarms.size());
    for (Alarm alarm : alarms.values()) {
      if (alarm.state != AlarmState.NORMAL) {
        snapshots.add(snapshot(alarm));
      }
    }
    return snapshots;
  }

  /** The alarm for {@code key}, if it is not normal. */
  public Optional<AlarmSnapshot> alarm(AlarmKey key) {
    Alarm alarm = alarms.get(key);
    return alarm == null || alarm.state == AlarmState.NORMAL
        ? Optional.empty()
        : Optional.of(snapshot(alarm));
  }

  /** Number of alarms held (not normal, or pending a delay). */
  public int size() {
    return alarms.size();
  }

  // ---- state ----

  private AlarmSnapshot snapshot(Alarm alarm) {
    return new AlarmSnapshot(
        alarm.rule,
        alarm.topic,
        alarm.state,
        alarm.last.value(),
        alarm.since,
        alarm.eventId,
        alarm.acknowledgedBy,
        alarm.tier >= 0 ? alarm.rule.limits().get(alarm.tier) : null,
        alarm.latched,
        shelfFor(alarm));
  }

  private static Limit currentLimit(Alarm alarm) {
    return alarm.rule.limits().get(Math.max(0, alarm.tier));
  }

  private AlarmState isaState(Alarm alarm) {
    if (shelfFor(alarm) != null) {
      return AlarmState.SHELVED;
    }
    if (alarm.active()) {
      if (!alarm.raised) {
        return AlarmState.NORMAL; // active under a shelving that ended? announced on unshelve
      }
      return alarm.acknowledged ? AlarmState.ACTIVE_ACKNOWLEDGED : AlarmState.ACTIVE_UNACKNOWLEDGED;
    }
    return alarm.raised && !alarm.acknowledged
        ? AlarmState.RETURNED_UNACKNOWLEDGED
        : AlarmState.NORMAL;
  }

  private void updateState(Alarm alarm, long now) {
    AlarmState state = isaState(alarm);
    if (state != alarm.state) {
      alarm.state = state;
      alarm.since = now;
    }
  }

  private void forgetIfNormal(Alarm alarm) {
    if (!alarm.pending && !alarm.active() && isaState(alarm) == AlarmState.NORMAL) {
      drop(alarm);
    }
  }

  private void drop(Alarm alarm) {
    alarms.remove(alarm.key());
    alarm.generation++;
    alarm.pending = false;
    if (alarm.eventId != null) {
      byEventId.remove(alarm.eventId);
    }
  }
}
