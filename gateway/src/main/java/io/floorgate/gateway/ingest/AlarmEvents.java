package io.floorgate.gateway.ingest;

import io.floorgate.events.DigitalTwinPublisher;
import io.floorgate.events.Event;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.PythonFormat;
import io.floorgate.gateway.alerts.AlarmBoard;
import io.floorgate.rules.Limit;
import io.floorgate.rules.Rule;
import io.floorgate.rules.eval.AlarmKey;
import io.floorgate.rules.eval.Evaluator;
import io.floorgate.rules.eval.Reading;
import io.floorgate.rules.eval.Transition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Announces the evaluator's transitions: the event for each (through {@link
 * DigitalTwinPublisher}, details carrying the alarm's state) and the retained alarm state. Used
 * by the ingest thread only.
 */
final class AlarmEvents {
  private final DigitalTwinPublisher twin;
  private final AlarmBoard board;
  private final Evaluator evaluator;

  AlarmEvents(DigitalTwinPublisher twin, AlarmBoard board, Evaluator evaluator) {
    this.twin = twin;
    this.board = board;
    this.evaluator = evaluator;
  }

  /** Publishes the event for {@code transition} (if it has one) and the alarm's new state. */
  void announce(Transition transition) {
    Rule rule = transition.rule();
    AlarmKey key = transition.alarm().key();
    switch (transition.kind()) {
      case RAISED -> {
        raise(transition).ifPresent(e -> evaluator.attachEvent(key, e.eventId()));
        board.publish(evaluator.alarm(key).orElse(transition.alarm()));
      }
      case SAMPLE -> raise(transition);
      case LOWERED -> {
        Limit from = transition.from();
        notice(
            transition,
            board.severityOf(transition.limit()),
            "Threshold lowered: "
                + rule.name()
                + " fell below "
                + (from == null ? "" : from.level() + " (" + PythonFormat.str(from.threshold()) + ")")
                + " with value "
                + PythonFormat.str(transition.reading().value())
                + "; still beyond "
                + transition.limit().level()
                + " ("
                + PythonFormat.str(transition.limit().threshold())
                + ")");
        board.publish(evaluator.alarm(key).orElse(transition.alarm()));
      }
      case CLEARED -> {
        if (transition.alarm().latched()) {
          notice(
              transition,
              EventSeverity.INFO,
              "Threshold returned: "
                  + rule.name()
                  + " returned to normal with value "
                  + PythonFormat.str(transition.reading().value())
                  + "; the alarm is latched until reset");
        } else {
          Reading reading = transition.reading();
          twin.publishParameterClearedEvent(
              rule.path(),
              rule.name(),
              transition.limit().threshold(),
              reading.value(),
              stateOf(reading),
              details(transition));
        }
        board.publish(evaluator.alarm(key).orElse(transition.alarm()));
      }
      case REMOVED, UNSHELVED -> {
        notice(
            transition,
            EventSeverity.INFO,
            "Alarm "
                + (transition.kind() == Transition.Kind.REMOVED ? "cleared" : "unshelved")
                + ": "
                + rule.name()
                + " on "
                + transition.alarm().topic()
                + ", "
                + transition.note()
                + "; it is now "
                + transition.alarm().state().value());
        board.publish(transition.alarm());
      }
      case ACKNOWLEDGED, SHELVED, RESET -> board.publish(transition.alarm());
    }
  }

  /**
   * For transitions an operator caused (shelve, unshelve, reset): only the retained state, and
   * the raise of an alarm that a shelving had hidden; the operator's command publishes its own
   * {@code UserActionEvent}.
   */
  void announceOperatorAction(Transition transition) {
    if (transition.kind() == Transition.Kind.RAISED) {
      announce(transition);
    } else {
      board.publish(evaluator.alarm(transition.alarm().key()).orElse(transition.alarm()));
    }
  }

  private Optional<Event> raise(Transition transition) {
    Rule rule = transition.rule();
    Reading reading = transition.reading();
    return twin.publishParameterThresholdEvent(
        rule.path(),
        rule.name(),
        transition.limit().threshold(),
        reading.value(),
        stateOf(reading),
        board.severityOf(transition.limit()),
        details(transition));
  }

  private void notice(Transition transition, EventSeverity severity, String message) {
    Rule rule = transition.rule();
    Reading reading = transition.reading();
    twin.publishThresholdNotice(
        rule.path(),
        rule.name(),
        transition.limit().threshold(),
        reading.value(),
        stateOf(reading),
        severity,
        message,
        details(transition));
  }

  private static Map<String, Object> stateOf(Reading reading) {
    return reading.sourceTimestamp() == null
        ? Map.of()
        : Map.of("timestamp", reading.sourceTimestamp());
  }

  /** The gateway's details after the seed's: which rule, topic, comparison, sample, alarm. */
  static Map<String, @Nullable Object> details(Transition transition) {
    Rule rule = transition.rule();
    Reading reading = transition.reading();
    Map<String, @Nullable Object> details = new LinkedHashMap<>();
    details.put("rule_id", rule.id());
    details.put("topic", reading.topic());
    details.put("comparison", rule.comparison().value());
    if (reading.seq() != null) {
      details.put("seq", reading.seq());
    }
    if (rule.tiered()) {
      details.put("level", transition.limit().level());
      if (transition.from() != null) {
        details.put("from_level", transition.from().level());
      }
    }
    if (transition.kind() != Transition.Kind.SAMPLE) {
      details.put("alarm_state", transition.alarm().state().value());
    }
    if (transition.kind() != Transition.Kind.RAISED
        && transition.kind() != Transition.Kind.SAMPLE
        && transition.alarm().eventId() != null) {
      details.put("raised_event_id", transition.alarm().eventId());
    }
    if (transition.alarm().latched()) {
      details.put("latched", true);
    }
    if (transition.note() != null) {
      details.put("note", transition.note());
    }
    return details;
  }
}
