package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.gateway.broker.InboundMessage;
import io.floorgate.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
  private final Ingests.InMemory gateway = new Ingests.InMemory();
  private final AtomicBoolean failNextAlarmState = new AtomicBoolean();

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void aReloadDroppingTwoAlarms_whoseFirstAlarmStateFails_stillAnnouncesTheSecond()
      throws Exception {
    Ingest ingest =
        gateway.closing(
            Ingests.ingest(
                Ingests.defaults(),
                List.of(),
                Ingests.temperatureAbove25(),
                gateway.events,
                (topic, payload, qos, retain) -> {
                  if (failNextAlarmState.getAndSet(false)) {
                    throw new IllegalStateException("broker refused '" + topic + "'");
                  }
                  return true;
                }));
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
    assertThat(ingest.failedAnnouncements()).isEqualTo(1);
    assertThat(thresholdEvents())
        .extracting(Event::message)
        .filteredOn(message -> message.startsWith("Alarm cleared: "))
        .hasSize(2)
        .anySatisfy(message -> assertThat(message).contains("plant/line1/s1/temperature"))
        .anySatisfy(message -> assertThat(message).contains("plant/line2/s1/temperature"));
  }

  private List<Event> thresholdEvents() {
    return gateway.published.stream().filter(e -> e.category() == EventCategory.THRESHOLD).toList();
  }
}
