package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.gateway.broker.InboundMessage;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalContents;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.JournalRecord;
import io.floorgate.rules.eval.AlarmState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
  private static final String TOPIC = "plant/line1/s1/temperature";
  private static final int MAX_EVENTS = 3;

  @TempDir Path dir;

  private final List<Event> published = new CopyOnWriteArrayList<>();
  private Journal journal;
  private EventManager events;
  private Ingest ingest;

  @AfterEach
  void close() {
    if (ingest != null) {
      ingest.close();
    }
    if (events != null) {
      events.close();
    }
    if (journal != null) {
      journal.close();
    }
  }

  /** A journaled gateway's ingest with one alarm rule, started, and its raise event's id. */
  private String raiseAnAlarm() {
    journal = Journal.open(JournalOptions.defaults(dir));
    events =
        EventManager.open(EventNotificationConfig.DEFAULTS.withMaxEvents(MAX_EVENTS), journal);
    events.subscribe(published::add);
    ingest = Ingests.temperatureAlarms(events);
    ingest.start();
    byte[] breach = "{\"value\": 30}".getBytes(StandardCharsets.UTF_8);
    ingest.offer(new InboundMessage(TOPIC, breach, 0, false, "plc-1", null, 0));
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> threshold(published), Optional::isPresent)
        .orElseThrow()
        .eventId();
  }

  private static Optional<Event> threshold(List<Event> events) {
    return events.stream().filter(e -> e.category() == EventCategory.THRESHOLD).findFirst();
  }

  /** Publishes enough other events that the window no longer holds {@code eventId}. */
  private void pushOutOfTheWindow(String eventId) {
    for (int i = 0; i < MAX_EVENTS; i++) {
      events.publish(Event.builder().message("later event " + i).build());
    }
    assertThat(events.getEvent(eventId)).as("the raise event has left the window").isEmpty();
  }

  @Test
  void anAlarmAwaitingAcknowledgement_isAcknowledgedByItsRaiseEvent_afterTheEventLeftTheWindow()
      throws Exception {
    String raise = raiseAnAlarm();
    pushOutOfTheWindow(raise);

    assertThat(ingest.acknowledge(raise, "op-7", "http").get(10, TimeUnit.SECONDS))
        .isEqualTo(Ingest.AckOutcome.ACKNOWLEDGED);

    Event action =
        published.stream()
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
    assertThat(JournalContents.records(journal))
        .filteredOn(JournalRecord.AckRecord.class::isInstance)
        .extracting(r -> ((JournalRecord.AckRecord) r).eventId())
        .containsExactly(raise);

    // What the next start restores the alarms from: the journal.
    AlarmHistory restored = new AlarmHistory();
    JournalContents.entries(journal).forEach(restored::accept);
    assertThat(restored.entries())
        .singleElement()
        .satisfies(
            alarm -> {
              assertThat(alarm.state()).isEqualTo(AlarmState.ACTIVE_ACKNOWLEDGED);
              assertThat(alarm.acknowledgedBy()).isEqualTo("op-7");
            });
  }

  @Test
  void anEventOutsideTheWindowThatRaisedNoAlarm_isStillUnknown_andNothingIsJournaled()
      throws Exception {
    String raise = raiseAnAlarm();
    pushOutOfTheWindow(raise);
    String filler = published.get(1).eventId(); // the first later event, also out of the window
    events.publish(Event.builder().message("one more").build());
    assertThat(events.getEvent(filler)).isEmpty();

    assertThat(ingest.acknowledge(filler, "op-7", "http").get(10, TimeUnit.SECONDS))
        .isEqualTo(Ingest.AckOutcome.UNKNOWN_EVENT);
    assertThat(ingest.acknowledge("no-such-event", "op-7", "http").get(10, TimeUnit.SECONDS))
        .isEqualTo(Ingest.AckOutcome.UNKNOWN_EVENT);
    assertThat(JournalContents.records(journal))
        .noneMatch(JournalRecord.AckRecord.class::isInstance);
  }
}
