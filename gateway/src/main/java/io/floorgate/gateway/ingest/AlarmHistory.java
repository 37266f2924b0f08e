package io.floorgate.gateway.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.floorgate.events.EventJson;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalRecord;
import io.floorgate.rules.eval.AlarmKey;
import io.floorgate.rules.eval.AlarmState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms as the journal last left them, so a restarted gateway neither forgets an active
 * alarm nor leaves a stale retained state behind. Every alarm event the gateway publishes names
 * its rule, topic and the alarm's state after it ({@code alarm_state}); acknowledgement records
 * acknowledge, and the acknowledging {@code UserActionEvent} names who. Shelvings are not
 * restored: after a restart a shelved alarm announces itself again.
 *
 * <p>A fold of the journal: fed record by record, it can be saved ({@link #entries()}) and fed on
 * from where it was saved ({@link #of}), so a start-up reads only the records that follow. Not
 * thread-safe: one thread feeds it.
 */
public final class AlarmHistory {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmHistory.class);

  private final Map<AlarmKey, Open> open = new HashMap<>();
  private final Map<String, List<Open>> byEvent = new HashMap<>();

  /** No alarm open: the state before the journal's first record. */
  public AlarmHistory() {}

  /**
   * An alarm that was not normal when the journal ended.
   *
   * @param ruleId the rule's id
   * @param topic the topic the alarm is on
   * @param state not {@link AlarmState#NORMAL}
   * @param level the level it was raised at ({@code ""} when the events named none)
   * @param latched whether it is latched
   * @param value the last value its events reported
   * @param sinceMillis when it entered {@code state}, milliseconds since the epoch
   * @param eventId the event that raised it (acknowledgements name it)
   * @param acknowledgedBy who acknowledged it, when someone did
   */
  public record Entry(
      String ruleId,
      String topic,
      AlarmState state,
      String level,
      boolean latched,
      double value,
      long sinceMillis,
      String eventId,
      @Nullable String acknowledgedBy) {
    public Entry {
      Objects.requireNonNull(ruleId, "ruleId");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(eventId, "eventId");
      if (state == AlarmState.NORMAL) {
        throw new IllegalArgumentException(
            "alarm of rule '" + ruleId + "' on '" + topic + "': state must not be normal");
      }
    }
  }

  private static final class Open {
    final String ruleId;
    final String topic;
    String eventId;
    AlarmState state;
    String level = "";
    boolean latched;
    double value;
    long since;
    @Nullable String acknowledgedBy;

    Open(String ruleId, String topic, String eventId) {
      this.ruleId = ruleId;
      this.topic = topic;
      this.eventId = eventId;
      this.state = AlarmState.ACTIVE_UNACKNOWLEDGED;
    }
  }

  /**
   * The alarms as {@link #entries()} once returned them.
   *
   * @throws IllegalArgumentException when two entries are for the same rule and topic
   */
  public static AlarmHistory of(Collection<Entry> entries) {
    AlarmHistory history = new AlarmHistory();
    for (Entry e : entries) {
      Open alarm = new Open(e.ruleId(), e.topic(), e.eventId());
      alarm.state = e.state();
      alarm.level = e.level();
      alarm.latched = e.latched();
      alarm.value = e.value();
      alarm.since = e.sinceMillis();
      alarm.acknowledgedBy = e.acknowledgedBy();
      if (history.open.put(new AlarmKey(e.ruleId(), e.topic()), alarm) != null) {
        throw new IllegalArgumentException(
            "alarm of rule '" + e.ruleId() + "' on '" + e.topic() + "' appears twice");
      }
      history.link(alarm);
    }
    return history;
  }

  /** Applies one journal record; only threshold and user events are parsed. */
  public void accept(JournalEntry entry) {
    JournalRecord record = entry.record();
    if (record instanceof JournalRecord.EventRecord event) {
      if (event.category().equals("threshold")) {
        alarmEvent(event);
      } else if (event.category().equals("user")) {
        acknowledgedBy(event);
      }
    } else if (record instanceof JournalRecord.AckRecord ack) {
      for (Open alarm : raisedBy(ack.eventId())) {
        alarm.since = ack.atMicros() / 1000;
        if (alarm.state == AlarmState.ACTIVE_UNACKNOWLEDGED) {
          alarm.state = AlarmState.ACTIVE_ACKNOWLEDGED;
        } else if (alarm.state == AlarmState.RETURNED_UNACKNOWLEDGED) {
          forget(alarm);
        }
      }
    }
  }

  /** The alarms not normal after the records fed so far. */
  public List<Entry> entries() {
    return open.values().stream()
        .map(
            a ->
                new Entry(
                    a.ruleId,
                    a.topic,
                    a.state,
                    a.level,
                    a.latched,
                    a.value,
                    a.since,
                    a.eventId,
                    a.acknowledgedBy))
        .toList();
  }

  private void alarmEvent(JournalRecord.EventRecord event) {
    Details details = details(event);
    if (details == null
        || details.ruleId == null
        || details.topic == null
        || details.alarmState == null) {
      return; // every_sample events, or threshold events some other publisher made
    }
    String ruleId = details.ruleId;
    String topic = details.topic;
    String stateName = details.alarmState;
    AlarmState state;
    try {
      state = AlarmState.valueOf(stateName.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return;
    }
    AlarmKey key = new AlarmKey(ruleId, topic);
    Open alarm = open.get(key);
    boolean raise = !details.raisedEventId;
    if (raise) {
      if (alarm != null) {
        unlink(alarm);
      }
      alarm = new Open(ruleId, topic, event.eventId());
      open.put(key, alarm);
      link(alarm);
    } else if (alarm == null) {
      return;
    }
    if (state == AlarmState.NORMAL) {
      forget(alarm);
      return;
    }
    alarm.state = state;
    alarm.since = event.timestampMicros() / 1000;
    alarm.latched = details.latched;
    if (details.level != null) {
      alarm.level = details.level;
    }
    if (details.actualValue != null) {
      alarm.value = details.actualValue;
    }
  }

  private void acknowledgedBy(JournalRecord.EventRecord event) {
    Details details = details(event);
    if (details != null
        && "acknowledge_event".equals(details.action)
        && details.acknowledgedEventId != null
        && details.userId != null) {
      for (Open alarm : raisedBy(details.acknowledgedEventId)) {
        alarm.acknowledgedBy = details.userId;
      }
    }
  }

  // An acknowledgement names the event that raised an alarm. The gateway's event ids are unique,
  // but a journal may reuse one (another publisher, a test): it then applies to every open alarm
  // that id raised, so the open alarms alone say what the journal's next record does (which is
  // what a checkpoint relies on).

  private List<Open> raisedBy(String eventId) {
    List<Open> alarms = byEvent.get(eventId);
    return alarms == null ? List.of() : List.copyOf(alarms);
  }

  private void link(Open alarm) {
    byEvent.computeIfAbsent(alarm.eventId, id -> new ArrayList<>(1)).add(alarm);
  }

  private void unlink(Open alarm) {
    List<Open> alarms = byEvent.get(alarm.eventId);
    if (alarms != null) {
      alarms.remove(alarm);
      if (alarms.isEmpty()) {
        byEvent.remove(alarm.eventId);
      }
    }
  }

  private void forget(Open alarm) {
    open.remove(new AlarmKey(alarm.ruleId, alarm.topic));
    unlink(alarm);
  }

  private static @Nullable Details details(JournalRecord.EventRecord event) {
    try {
      return Details.read(event.json());
    } catch (IOException e) {
      LOG.debug("event {} in the journal is not readable: {}", event.eventId(), e.getMessage());
      return null;
    }
  }

  /**
   * The few fields of an event's {@code details} that alarm states come from, read as a stream:
   * a long journal is read whole at start-up, and building each event's JSON into maps was most
   * of that time (docs/benchmarks.md, Start-up). Means what reading the object into maps and
   * testing the values' types would: a field of another JSON type than expected counts as
   * missing, a repeated key's last value wins, and the whole event must be one valid object.
   */
  static final class Details {
    @Nullable String ruleId;
    @Nullable String topic;
    @Nullable String alarmState;
    @Nullable String level;
    @Nullable Double actualValue;
    /** Present and not null. */
    boolean raisedEventId;
    /** JSON true. */
    boolean latched;
    @Nullable String action;
    @Nullable String userId;
    /** {@code action_details.event_id}. */
    @Nullable String acknowledgedEventId;

    /**
     * The event's details, or null when it has none that is an object.
     *
     * @throws IOException when {@code json} is not one valid JSON object
     */
    static @Nullable Details read(byte[] json) throws IOException {
      try (JsonParser parser = EventJson.parser(json)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new JsonParseException(parser, "expected a JSON object");
        }
        Details details = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if (name.equals("details")) {
            details = value == JsonToken.START_OBJECT ? readDetails(parser) : null;
          }
          parser.skipChildren(); // a no-op after readDetails, which ends on END_OBJECT
        }
        if (parser.nextToken() != null) {
          throw new JsonParseException(parser, "unexpected data after the JSON object");
        }
        return details;
      }
    }

    private static Details readDetails(JsonParser parser) throws IOException {
      Details d = new Details();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "rule_id" -> d.ruleId = text(parser, value);
          case "topic" -> d.topic = text(parser, value);
          case "alarm_state" -> d.alarmState = text(parser, value);
          case "level" -> d.level = text(parser, value);
          case "action" -> d.action = text(parser, value);
          case "user_id" -> d.userId = text(parser, value);
          case "raised_event_id" -> d.raisedEventId = value != JsonToken.VALUE_NULL;
          case "latched" -> d.latched = value == JsonToken.VALUE_TRUE;
          case "actual_value" ->
              d.actualValue = value.isNumeric() ? parser.getDoubleValue() : null;
          case "action_details" -> d.acknowledgedEventId = eventId(parser, value);
          default -> {
            // not needed
          }
        }
        parser.skipChildren();
      }
      return d;
    }

    private static @Nullable String text(JsonParser parser, JsonToken value) throws IOException {
      return value == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    /** {@code event_id} of an {@code action_details} object; leaves the parser on its end. */
    private static @Nullable String eventId(JsonParser parser, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        return null;
      }
      String eventId = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken field = parser.nextToken();
        if (name.equals("event_id")) {
          eventId = text(parser, field);
        }
        parser.skipChildren();
      }
      return eventId;
    }
  }
}
