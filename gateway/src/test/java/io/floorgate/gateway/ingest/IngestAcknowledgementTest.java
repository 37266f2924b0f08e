package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalContents;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.JournalRecord;
import io.floorgate.rules.eval.AlarmState;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alarm can be acknowledged by its raise event's id for as long as it awaits acknowledgement,
 * also once that event has left the event window ({@code max_events}), and the acknowledgement is
 * journaled so that it survives a restart.
 */
class IngestAcknowledgementTest {
  private static final int MAX_EVENTS = 3;

  @TempDir Path dir;

  private Ingests.JournaledIngest gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  /** A journaled gateway's ingest with one alarm rule, started, and its raise event's id. */
  private String raiseAnAlarm() {
    gateway =
        new Ingests.JournaledIngest(
            Journal.open(JournalOptions.defaults(dir)),
            EventNotificationConfig.DEFAULTS.withMaxEvents(MAX_EVENTS));
    return gateway.raise().eventId();
  }

  /** Publishes enough other events that the window no longer holds {@code eventId}. */
  private void pushOutOfTheWindow(String eventId) {
    for (int i = 0; i < MAX_EVENTS; i++) {
      gateway.events.publish(Event.builder().message("later event " + i).build());
    }
    assertThat(gateway.events.getEvent(eventId)).as("the raise event has left the window").isEmpty();
  }

  @Test
  void anAlarmAwaitingAcknowledgement_isAcknowledgedByItsRaiseEvent_afterTheEventLeftTheWindow()
      throws Exception {
    String raise = raiseAnAlarm();
    pushOutOfTheWindow(raise);

    assertThat(gateway.ingest.acknowledge(raise, "op-7", "http").get(10, TimeUnit.SECONDS))
        .isEqualTo(Ingest.AckOutcome.ACKNOWLEDGED);

    Event action =
        gateway.published.stream()
            .filter(e -> e.category() == EventCategory.USER)
            .findFirst()
            .orElseThrow();
    assertThat(action.details()).containsEntry("user_id", "op-7");
    @SuppressWarnings("unchecked")
    Map<String, Object> actionDetails =
        (Map<String, Object>) action.details().get("action_details");
    assertThat(actionDetails)
        .containsEntry("event_id", raise)
        .containsEntry("rule_id", "t")
        .containsEntry("alarm_state", "active_acknowledged");
    assertThat(JournalContents.records(gateway.journal))
        .filteredOn(JournalRecord.AckRecord.class::isInstance)
        .extracting(r -> ((JournalRecord.AckRecord) r).eventId())
        .containsExactly(raise);

    // What the next start restores the alarms from: the journal.
    AlarmHistory restored = new AlarmHistory();
    JournalContents.entries(gateway.journal).forEach(restored::accept);
    assertThat(restored.entries())
        .singleElement()
        .satisfies(
            alarm -> {
              assertThat(alarm.state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
              assertThat(alarm.acknowledgedBy()).isEqualTo("op-7");
            });
  }

  @Test
  void aRepeatedAcknowledgement_afterTheRaiseEventLeftTheWindow_isAcknowledgedAndJournaledOnce()
      throws Exception {
    String raise = raiseAnAlarm();
    pushOutOfTheWindow(raise);

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThat(gateway.ingest.acknowledge(raise, "op-7", "mqtt").get(10, TimeUnit.SECONDS))
          .as("attempt %d", attempt + 1)
          .isEqualTo(Ingest.AckOutcome.ACKNOWLEDGED);
    }

    assertThat(JournalContents.records(gateway.journal))
        .filteredOn(JournalRecord.AckRecord.class::isInstance)
        .extracting(r -> ((JournalRecord.AckRecord) r).eventId())
        .containsExactly(raise);
  }

  @Test
  void anEventOutsideTheWindowThatRaisedNoAlarm_isStillUnknown_andNothingIsJournaled()
      throws Exception {
    String raise = raiseAnAlarm();
    pushOutOfTheWindow(raise);
    String filler = gateway.published.get(1).eventId(); // the first later event, also out of the window
    gateway.events.publish(Event.builder().message("one more").build());
    assertThat(gateway.events.getEvent(filler)).isEmpty();

    assertThat(gateway.ingest.acknowledge(filler, "op-7", "http").get(10, TimeUnit.SECONDS))
        .isEqualTo(Ingest.AckOutcome.UNKNOWN_EVENT);
    assertThat(gateway.ingest.acknowledge("no-such-event", "op-7", "http").get(10, TimeUnit.SECONDS))
        .isEqualTo(Ingest.AckOutcome.UNKNOWN_EVENT);
    assertThat(JournalContents.records(gateway.journal))
        .noneMatch(JournalRecord.AckRecord.class::isInstance);
  }
}
