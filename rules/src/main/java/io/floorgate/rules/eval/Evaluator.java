package io.floorgate.rules.eval;

import io.floorgate.rules.Mode;
import io.floorgate.rules.Rule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * Turns readings into alarm transitions.
 *
 * <p>Alarm semantics (the default): a reading that breaches starts an excursion; after {@code
 * on_delay} with the condition still breaching the alarm raises once. It clears once the value no
 * longer {@linkplain io.floorgate.rules.Comparison#holds holds} (the threshold moved back by the
 * deadband) for {@code off_delay}. A delay runs on time, not on samples: call {@link #advance}
 * (the gateway does so on a timer at {@link #nextDeadline()}). The acknowledgement states follow
 * ISA-18.2: an alarm that returns to normal unacknowledged stays visible until acknowledged.
 *
 * <p>{@code every_sample} rules have no state: each breaching reading is a {@link
 * Transition.Kind#SAMPLE}.
 *
 * <p>Only alarms that are not normal are kept, so memory follows what is active, not how many
 * topics a wildcard rule has seen. Not thread-safe: one thread owns an evaluator.
 */
public final class Evaluator {
  private final Map<AlarmKey, Alarm> alarms = new HashMap<>();
  private final Map<String, Alarm> byEventId = new HashMap<>();
  private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();

  private enum Condition {
    NORMAL,
    PENDING_RAISE,
    ACTIVE,
    PENDING_CLEAR
  }

  private static final class Alarm {
    Rule rule;
    final String topic;
    Condition condition = Condition.NORMAL;
    long deadline;
    long generation;
    Reading last;
    boolean raised;
    boolean acknowledged;
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

    AlarmState isaState() {
      boolean active = condition == Condition.ACTIVE || condition == Condition.PENDING_CLEAR;
      if (active) {
        return acknowledged ? AlarmState.ACTIVE_ACKNOWLEDGED : AlarmState.ACTIVE_UNACKNOWLEDGED;
      }
      return raised && !acknowledged ? AlarmState.RETURNED_UNACKNOWLEDGED : AlarmState.NORMAL;
    }

    AlarmSnapshot snapshot() {
      return new AlarmSnapshot(
          rule, topic, state, last.value(), since, eventId, acknowledgedBy);
    }
  }

  private record Deadline(long at, long generation, Alarm alarm) implements Comparable<Deadline> {
    @Override
    public int compareTo(Deadline other) {
      return Long.compare(at, other.at);
    }
  }

  /**
   * Evaluates one reading of {@code rule}; transitions go to {@code out}.
   *
   * @param nowMillis the current time (epoch milliseconds), normally {@code
   *     reading.receivedMillis()}
   */
  public void onReading(Rule rule, Reading reading, long nowMillis, List<Transition> out) {
    boolean breaches = rule.comparison().breaches(reading.value(), rule.threshold());
    if (rule.mode() == Mode.EVERY_SAMPLE) {
      if (breaches) {
        AlarmSnapshot sample =
            new AlarmSnapshot(
                rule, reading.topic(), AlarmState.NORMAL, reading.value(), nowMillis, null, null);
        out.add(new Transition(Transition.Kind.SAMPLE, rule, reading, sample));
      }
      return;
    }
    AlarmKey key = new AlarmKey(rule.id(), reading.topic());
    Alarm alarm = alarms.get(key);
    if (alarm == null) {
      if (!breaches) {
        return; // normal and staying normal: nothing to keep
      }
      alarm = new Alarm(rule, reading.topic(), reading);
      alarms.put(key, alarm);
    }
    alarm.rule = rule;
    alarm.last = reading;
    switch (alarm.condition) {
      case NORMAL -> {
        if (breaches) {
          startRaise(alarm, nowMillis, out);
        }
      }
      case PENDING_RAISE -> {
        if (!breaches) {
          alarm.condition = Condition.NORMAL; // a spike shorter than on_delay
          alarm.generation++;
        } else if (nowMillis >= alarm.deadline) {
          raise(alarm, nowMillis, out);
        }
      }
      case ACTIVE -> {
        if (!holds(rule, reading)) {
          startClear(alarm, nowMillis, out);
        }
      }
      case PENDING_CLEAR -> {
        if (holds(rule, reading)) {
          alarm.condition = Condition.ACTIVE; // came back before off_delay ran out
          alarm.generation++;
        } else if (nowMillis >= alarm.deadline) {
          clear(alarm, nowMillis, out);
        }
      }
    }
    forgetIfNormal(alarm);
  }

  /** Fires the delayed raises and clears that are due at {@code nowMillis}. */
  public void advance(long nowMillis, List<Transition> out) {
    while (!deadlines.isEmpty() && deadlines.peek().at() <= nowMillis) {
      Deadline due = deadlines.poll();
      Alarm alarm = due.alarm();
      if (due.generation() != alarm.generation) {
        continue; // superseded
      }
      if (alarm.condition == Condition.PENDING_RAISE) {
        raise(alarm, nowMillis, out);
      } else if (alarm.condition == Condition.PENDING_CLEAR) {
        clear(alarm, nowMillis, out);
      }
      forgetIfNormal(alarm);
    }
  }

  /** When {@link #advance} next has something to do, if ever. */
  public OptionalLong nextDeadline() {
    while (!deadlines.isEmpty()) {
      Deadline next = deadlines.peek();
      if (next.generation() == next.alarm().generation
          && (next.alarm().condition == Condition.PENDING_RAISE
              || next.alarm().condition == Condition.PENDING_CLEAR)) {
        return OptionalLong.of(next.at());
      }
      deadlines.poll();
    }
    return OptionalLong.empty();
  }

  /**
   * Puts back an alarm known from before a restart, as the gateway's journal recorded it. Later
   * readings continue it (a normal reading clears it). Normal states and {@code every_sample}
   * rules are ignored: they hold no alarm.
   */
  public void restore(
      Rule rule,
      String topic,
      AlarmState state,
      double value,
      long sinceMillis,
      @Nullable String eventId,
      @Nullable String acknowledgedBy) {
    if (state == AlarmState.NORMAL || rule.mode() == Mode.EVERY_SAMPLE) {
      return;
    }
    Alarm alarm = new Alarm(rule, topic, new Reading(topic, value, null, null, sinceMillis));
    alarm.raised = true;
    alarm.acknowledged = state == AlarmState.ACTIVE_ACKNOWLEDGED;
    alarm.acknowledgedBy = acknowledgedBy;
    alarm.condition =
        state == AlarmState.RETURNED_UNACKNOWLEDGED ? Condition.NORMAL : Condition.ACTIVE;
    alarm.state = state;
    alarm.since = sinceMillis;
    Alarm previous = alarms.put(new AlarmKey(rule.id(), topic), alarm);
    if (previous != null && previous.eventId != null) {
      byEventId.remove(previous.eventId);
    }
    if (eventId != null) {
      alarm.eventId = eventId;
      byEventId.put(eventId, alarm);
    }
  }

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
   * Acknowledges the alarm raised by event {@code eventId}. Empty when no alarm has that event or
   * it is already acknowledged.
   */
  public Optional<Transition> acknowledge(String eventId, String user, long nowMillis) {
    Alarm alarm = byEventId.get(eventId);
    if (alarm == null || alarm.acknowledged || !alarm.raised) {
      return Optional.empty();
    }
    alarm.acknowledged = true;
    alarm.acknowledgedBy = user;
    updateState(alarm, nowMillis);
    Transition transition =
        new Transition(Transition.Kind.ACKNOWLEDGED, alarm.rule, alarm.last, alarm.snapshot());
    forgetIfNormal(alarm);
    return Optional.of(transition);
  }

  /** The alarms that are not normal (an alarm still waiting out its on_delay is normal). */
  public Collection<AlarmSnapshot> alarms() {
    List<AlarmSnapshot> snapshots = new ArrayList<>(alarms.size());
    for (Alarm alarm : alarms.values()) {
      if (alarm.state != AlarmState.NORMAL) {
        snapshots.add(alarm.snapshot());
      }
    }
    return snapshots;
  }

  /** The alarm for {@code key}, if it is not normal. */
  public Optional<AlarmSnapshot> alarm(AlarmKey key) {
    Alarm alarm = alarms.get(key);
    return alarm == null || alarm.state == AlarmState.NORMAL
        ? Optional.empty()
        : Optional.of(alarm.snapshot());
  }

  /** Number of alarms held (active, unacknowledged or pending a delay). */
  public int size() {
    return alarms.size();
  }

  private static boolean holds(Rule rule, Reading reading) {
    return rule.comparison().holds(reading.value(), rule.threshold(), rule.deadband());
  }

  private void startRaise(Alarm alarm, long now, List<Transition> out) {
    long delay = alarm.rule.onDelay().toMillis();
    if (delay <= 0) {
      raise(alarm, now, out);
      return;
    }
    alarm.condition = Condition.PENDING_RAISE;
    schedule(alarm, now + delay);
  }

  private void startClear(Alarm alarm, long now, List<Transition> out) {
    long delay = alarm.rule.offDelay().toMillis();
    if (delay <= 0) {
      clear(alarm, now, out);
      return;
    }
    alarm.condition = Condition.PENDING_CLEAR;
    schedule(alarm, now + delay);
  }

  private void schedule(Alarm alarm, long at) {
    alarm.generation++;
    alarm.deadline = at;
    deadlines.add(new Deadline(at, alarm.generation, alarm));
  }

  private void raise(Alarm alarm, long now, List<Transition> out) {
    alarm.condition = Condition.ACTIVE;
    alarm.generation++;
    alarm.raised = true;
    alarm.acknowledged = false;
    alarm.acknowledgedBy = null;
    if (alarm.eventId != null) {
      byEventId.remove(alarm.eventId);
      alarm.eventId = null;
    }
    updateState(alarm, now);
    out.add(new Transition(Transition.Kind.RAISED, alarm.rule, alarm.last, alarm.snapshot()));
  }

  private void clear(Alarm alarm, long now, List<Transition> out) {
    alarm.condition = Condition.NORMAL;
    alarm.generation++;
    updateState(alarm, now);
    out.add(new Transition(Transition.Kind.CLEARED, alarm.rule, alarm.last, alarm.snapshot()));
  }

  private static void updateState(Alarm alarm, long now) {
    AlarmState state = alarm.isaState();
    if (state != alarm.state) {
      alarm.state = state;
      alarm.since = now;
    }
  }

  private void forgetIfNormal(Alarm alarm) {
    if (alarm.condition == Condition.NORMAL && alarm.isaState() == AlarmState.NORMAL) {
      alarms.remove(new AlarmKey(alarm.rule.id(), alarm.topic));
      if (alarm.eventId != null) {
        byEventId.remove(alarm.eventId);
      }
    }
  }
}
