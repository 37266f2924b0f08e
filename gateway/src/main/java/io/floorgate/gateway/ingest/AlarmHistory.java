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
 * alarm nor leaves a stale retained state behind: raise events open an alarm, clear events
 * (those naming {@code raised_event_id}) return it to normal, acknowledgement records acknowledge
 * it, and the acknowledging {@code UserActionEvent} names who.
 */
final class AlarmHistory {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmHistory.class);

  private AlarmHistory() {}

  /** An alarm that was not normal when the journal ended. */
  record Entry(
      String ruleId,
      String topic,
      AlarmState state,
      double value,
      long sinceMillis,
      String eventId,
      @Nullable String acknowledgedBy) {}

  private static final class Open {
    final String ruleId;
    final String topic;
    final String eventId;
    final double value;
    AlarmState state = AlarmState.ACTIVE_UNACKNOWLEDGED;
    long since;
    @Nullable String acknowledgedBy;

    Open(String ruleId, String topic, String eventId, double value, long since) {
      this.ruleId = ruleId;
      this.topic = topic;
      this.eventId = eventId;
      this.value = value;
      this.since = since;
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
            threshold(event, open, byEvent);
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
                    a.ruleId, a.topic, a.state, a.value, a.since, a.eventId, a.acknowledgedBy))
        .toList();
  }

  private static void threshold(
      JournalRecord.EventRecord event, Map<AlarmKey, Open> open, Map<String, Open> byEvent) {
    Map<String, Object> details = details(event);
    if (details == null
        || !(details.get("rule_id") instanceof String ruleId)
        || !(details.get("topic") instanceof String topic)) {
      return; // a threshold event some other publisher made
    }
    AlarmKey key = new AlarmKey(ruleId, topic);
    if (details.get("raised_event_id") != null) {
      Open alarm = open.get(key);
      if (alarm == null) {
        return;
      }
      alarm.since = event.timestampMicros() / 1000;
      if (alarm.state == AlarmState.ACTIVE_ACKNOWLEDGED) {
        forget(alarm, open, byEvent);
      } else {
        alarm.state = AlarmState.RETURNED_UNACKNOWLEDGED;
      }
      return;
    }
    double value = details.get("actual_value") instanceof Number n ? n.doubleValue() : Double.NaN;
    if (!Double.isFinite(value)) {
      return;
    }
    Open previous = open.get(key);
    if (previous != null) {
      byEvent.remove(previous.eventId);
    }
    Open alarm = new Open(ruleId, topic, event.eventId(), value, event.timestampMicros() / 1000);
    open.put(key, alarm);
    byEvent.put(event.eventId(), alarm);
  }

  @SuppressWarnings("unchecked")
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
