package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.Event;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.journal.JournalContents;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.JournalRecord;
import io.floorgate.journal.RefusingDisk;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a rule change does to an alarm reaches the journal even when the journal refuses writes for
 * a while: the ingest thread holds it and tries again, as it does for telemetry's transitions.
 */
class IngestJournalOutageTest {
  @TempDir Path dir;

  private final RefusingDisk disk = new RefusingDisk();
  private Ingests.JournaledIngest gateway;

  @AfterEach
  void close() {
    disk.refuseWrites(false);
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aReloadThatRemovesAnAlarmsRule_whileTheJournalRefuses_journalsTheClearOnceItTakesWrites()
      throws Exception {
    gateway =
        new Ingests.JournaledIngest(
            disk.open(JournalOptions.defaults(dir)), EventNotificationConfig.DEFAULTS);
    gateway.raise();
    Ingest ingest = gateway.ingest;

    disk.refuseWrites(true);
    CompletableFuture<Ingest.RuleChange> change = ingest.replaceRules(pressureRuleOnly());

    await().atMost(Duration.ofSeconds(10)).until(ingest::journalBlocked);
    assertThat(change).isNotDone();
    disk.refuseWrites(false);

    Ingest.RuleChange done = change.get(10, TimeUnit.SECONDS);
    assertThat(done.removed()).containsExactly("t");
    assertThat(done.alarmsDropped()).isEqualTo(1);
    assertThat(ingest.journalBlocked()).isFalse();
    assertThat(gateway.thresholdEvents())
        .extracting(Event::message)
        .last()
        .asString()
        .startsWith("Alarm cleared: ")
        .contains(Ingests.JournaledIngest.TOPIC, "rule 't' was removed");
    assertThat(JournalContents.records(gateway.journal))
        .filteredOn(JournalRecord.EventRecord.class::isInstance)
        .extracting(r -> ((JournalRecord.EventRecord) r).category())
        .containsExactly("threshold", "threshold");
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
