package io.floorgate.gateway.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.floorgate.events.EventJson;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import io.floorgate.rules.eval.AlarmKey;
import io.floorgate.rules.eval.AlarmState;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms as the journal last left them, so a restarted gateway neither forgets an active
 * alarm nor leaves a stale retained state behind. Every alarm event the gateway publishes names
 * its rule, topic and the alarm's state after it ({@code alarm_state}); acknowledgement records
 * acknowledge, and the acknowledging {@code UserActionEvent} names who. Shelvings are not
 * restored: after a restart a shelved alarm announces itself again.
 */
final class AlarmHistory {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmHistory.class);

  private AlarmHistory() {}

  /** An alarm that was not normal when the journal ended. */
  record Entry(
      String ruleId,
      String topic,
      AlarmState state,
      String level,
      boolean latched,
      double value,
      long sinceMillis,
      String eventId,
      @Nullable String acknowledgedBy) {}

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

  /** Reads the whole journal; only threshold and user events are parsed. */
  static Collection<Entry> read(Journal journal) {
    Map<AlarmKey, Open> open = new HashMap<>();
    Map<String, Open> byEvent = new HashMap<>();
    try (JournalReader reader = journal.reader()) {
      for (Optional<JournalEntry> next = reader.next(); next.isPresent(); next = reader.next()) {
        JournalRecord record = next.get().record();
        if (record instanceof JournalRecord.EventRecord event) {
          if (event.category().equals("threshold")) {
            alarmEvent(event, open, byEvent);
          } else if (event.category().equals("user")) {
            acknowledgedBy(event, byEvent);
          }
        } else if (record instanceof JournalRecord.AckRecord ack) {
          Open alarm = byEvent.get(ack.eventId());
          if (alarm != null) {
            alarm.since = ack.atMicros() / 1000;
            if (alarm.state == AlarmState.ACTIVE_UNACKNOWLEDGED) {
              alarm.state = AlarmState.ACTIVE_ACKNOWLEDGED;
            } else if (alarm.state == AlarmState.RETURNED_UNACKNOWLEDGED) {
              forget(alarm, open, byEvent);
            }
          }
        }
      }
    }
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

  private static void alarmEvent(
      JournalRecord.EventRecord event, Map<AlarmKey, Open> open, Map<String, Open> byEvent) {
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
        byEvent.remove(alarm.eventId);
      }
      alarm = new Open(ruleId, topic, event.eventId());
      open.put(key, alarm);
      byEvent.put(event.eventId(), alarm);
    } else if (alarm == null) {
      return;
    }
    if (state == AlarmState.NORMAL) {
      forget(alarm, open, byEvent);
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

  private static void acknowledgedBy(JournalRecord.EventRecord event, Map<String, Open> byEvent) {
    Details details = details(event);
    if (details != null
        && "acknowledge_event".equals(details.action)
        && details.acknowledgedEventId != null
        && details.userId != null) {
      Open alarm = byEvent.get(details.acknowledgedEventId);
      if (alarm != null) {
        alarm.acknowledgedBy = details.userId;
      }
    }
  }

  private static void forget(Open alarm, Map<AlarmKey, Open> open, Map<String, Open> byEvent) {
    open.remove(new AlarmKey(alarm.ruleId, alarm.topic));
    byEvent.remove(alarm.eventId);
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
