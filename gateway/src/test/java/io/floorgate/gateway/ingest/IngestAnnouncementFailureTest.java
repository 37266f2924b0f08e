package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.gateway.broker.InboundMessage;
import io.floorgate.gateway.config.IngestConfig;
import io.floorgate.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An alarm transition whose announcement fails for another reason than the journal (here the
 * broker, publishing its alarm state) costs that transition only: the rest of its batch is still
 * announced, and the command that made them completes.
 */
class IngestAnnouncementFailureTest {
  private final EventManager events = EventManager.inMemory(EventNotificationConfig.DEFAULTS);
  private final List<Event> published = new CopyOnWriteArrayList<>();
  private final AtomicBoolean failNextAlarmState = new AtomicBoolean();
  private Ingest ingest;

  @AfterEach
  void close() {
    if (ingest != null) {
      ingest.close();
    }
    events.close();
  }

  @Test
  void aReloadDroppingTwoAlarms_whoseFirstAlarmStateFails_stillAnnouncesTheSecond()
      throws Exception {
    events.subscribe(published::add);
    ingest =
        Ingests.ingest(
            Ingests.config(
                1_000, IngestConfig.DEFAULT_QUEUE_BYTES, List.of(),
                IngestConfig.DEFAULT_MAX_JSON_DEPTH),
            List.of(),
            Ingests.temperatureAbove25(),
            events,
            (topic, payload, qos, retain) -> {
              if (failNextAlarmState.getAndSet(false)) {
                throw new IllegalStateException("broker refused '" + topic + "'");
              }
              return true;
            });
    ingest.start();
    for (String line : List.of("line1", "line2")) {
      byte[] breach = "{\"value\": 30}".getBytes(StandardCharsets.UTF_8);
      ingest.offer(
          new InboundMessage(
              "plant/" + line + "/s1/temperature", breach, 0, false, "plc-1", null, 0));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> thresholdEvents().size() == 2);

    failNextAlarmState.set(true);
    Ingest.RuleChange change = ingest.replaceRules(RuleSet.empty()).get(10, TimeUnit.SECONDS);

    assertThat(change.alarmsDropped()).isEqualTo(2);
    assertThat(failNextAlarmState).as("the failure happened").isFalse();
    assertThat(thresholdEvents())
        .extracting(Event::message)
        .filteredOn(message -> message.startsWith("Alarm cleared: "))
        .hasSize(2)
        .anySatisfy(message -> assertThat(message).contains("plant/line1/s1/temperature"))
        .anySatisfy(message -> assertThat(message).contains("plant/line2/s1/temperature"));
  }

  private List<Event> thresholdEvents() {
    return published.stream().filter(e -> e.category() == EventCategory.THRESHOLD).toList();
  }
}
