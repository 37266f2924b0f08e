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
import io.floorgate.journal.RefusingDisk;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a rule change does to an alarm reaches the journal even when the journal refuses writes for
 * a while: the ingest thread holds it and tries again, as it does for telemetry's transitions.
 */
class IngestJournalOutageTest {
  private static final String TOPIC = "plant/line1/s1/temperature";

  @TempDir Path dir;

  private final RefusingDisk disk = new RefusingDisk();
  private final List<Event> published = new CopyOnWriteArrayList<>();
  private Journal journal;
  private EventManager events;
  private Ingest ingest;

  @AfterEach
  void close() {
    disk.refuseWrites(false);
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

  @Test
  void aReloadThatRemovesAnAlarmsRule_whileTheJournalRefuses_journalsTheClearOnceItTakesWrites()
      throws Exception {
    journal = disk.open(JournalOptions.defaults(dir));
    events = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
    events.subscribe(published::add);
    ingest = Ingests.temperatureAlarms(events);
    ingest.start();
    ingest.offer(
        new InboundMessage(
            TOPIC, "{\"value\": 30}".getBytes(StandardCharsets.UTF_8), 0, false, "plc-1", null, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> thresholdEvents().size() == 1);

    disk.refuseWrites(true);
    CompletableFuture<Ingest.RuleChange> change = ingest.replaceRules(pressureRuleOnly());

    await().atMost(Duration.ofSeconds(10)).until(ingest::journalBlocked);
    assertThat(change).isNotDone();
    disk.refuseWrites(false);

    Ingest.RuleChange done = change.get(10, TimeUnit.SECONDS);
    assertThat(done.removed()).containsExactly("t");
    assertThat(done.alarmsDropped()).isEqualTo(1);
    assertThat(ingest.journalBlocked()).isFalse();
    assertThat(thresholdEvents())
        .extracting(Event::message)
        .last()
        .asString()
        .startsWith("Alarm cleared: ")
        .contains(TOPIC, "rule 't' was removed");
    assertThat(JournalContents.records(journal))
        .filteredOn(JournalRecord.EventRecord.class::isInstance)
        .extracting(r -> ((JournalRecord.EventRecord) r).category())
        .containsExactly("threshold", "threshold");
  }

  private List<Event> thresholdEvents() {
    return published.stream().filter(e -> e.category() == EventCategory.THRESHOLD).toList();
  }

  private static RuleSet pressureRuleOnly() {
    return RuleFile.parse(
            "rules:\n  - {id: p, topic: plant/+/+/pressure, comparison: greater_than, value: 5}\n",
            "rules.yaml",
            List.of())
        .rules()
        .orElseThrow();
  }
}
