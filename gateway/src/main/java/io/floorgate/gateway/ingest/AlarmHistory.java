package io.floorgate.gateway.ingest;

import io.floorgate.events.EventJson;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import io.floorgate.rules.eval.AlarmKey;
import io.floorgate.rules.eval.AlarmState;
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
    Map<String, Object> details = details(event);
    if (details == null
        || !(details.get("rule_id") instanceof String ruleId)
        || !(details.get("topic") instanceof String topic)
        || !(details.get("alarm_state") instanceof String stateName)) {
      return; // every_sample events, or threshold events some other publisher made
    }
    AlarmState state;
    try {
      state = AlarmState.valueOf(stateName.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return;
    }
    AlarmKey key = new AlarmKey(ruleId, topic);
    Open alarm = open.get(key);
    boolean raise = details.get("raised_event_id") == null;
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
    alarm.latched = Boolean.TRUE.equals(details.get("latched"));
    if (details.get("level") instanceof String level) {
      alarm.level = level;
    }
    if (details.get("actual_value") instanceof Number value) {
      alarm.value = value.doubleValue();
    }
  }

  private static void acknowledgedBy(JournalRecord.EventRecord event, Map<String, Open> byEvent) {
    Map<String, Object> details = details(event);
    if (details != null
        && "acknowledge_event".equals(details.get("action"))
        && details.get("action_details") instanceof Map<?, ?> action
        && action.get("event_id") instanceof String eventId
        && details.get("user_id") instanceof String user) {
      Open alarm = byEvent.get(eventId);
      if (alarm != null) {
        alarm.acknowledgedBy = user;
      }
    }
  }

  private static void forget(Open alarm, Map<AlarmKey, Open> open, Map<String, Open> byEvent) {
    open.remove(new AlarmKey(alarm.ruleId, alarm.topic));
    byEvent.remove(alarm.eventId);
  }

  @SuppressWarnings("unchecked")
  private static @Nullable Map<String, Object> details(JournalRecord.EventRecord event) {
    try {
      Object details = EventJson.readObject(event.json()).get("details");
      return details instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    } catch (IllegalArgumentException e) {
      LOG.debug("event {} in the journal is not readable: {}", event.eventId(), e.getMessage());
      return null;
    }
  }
}
