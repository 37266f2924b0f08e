package io.floorgate.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.floorgate.events.EventCategory;
import io.floorgate.gateway.ManualClock;
import io.floorgate.gateway.ingest.Ingests;
import io.floorgate.journal.JournalContents;
import io.floorgate.journal.JournalRecord;
import io.floorgate.journal.JournalUnavailableException;
import io.floorgate.journal.RefusingDisk;
import io.floorgate.rules.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A rule change is journaled before it is applied, so that while the journal refuses writes (a
 * full disk) nothing changes and the caller is told so, and the journal's history never lacks a
 * rule set that was in force; an edit of the file is applied once the journal takes writes again.
 */
class RuleReloaderJournalTest {
  private static final String T_RULE = RuleReloaders.T_RULE;
  private static final String T_AND_P_RULES = RuleReloaders.T_AND_P_RULES;

  private static final String P_RULE =
      "rules:\n  - {id: p, topic: plant/+/+/pressure, comparison: greater_than, value: 5}\n";

  @TempDir Path dir;

  private final RefusingDisk disk = new RefusingDisk();
  private final Logger reloaderLog = (Logger) LoggerFactory.getLogger(RuleReloader.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Ingests.JournaledIngest gateway;
  private RuleReloader reloader;
  private Path file;

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("rules.yaml");
    Files.writeString(file, T_RULE);
    gateway = Ingests.JournaledIngest.on(disk, dir.resolve("journal"));
    logged.start();
    reloaderLog.addAppender(logged);
  }

  @AfterEach
  void close() {
    reloaderLog.detachAppender(logged);
    disk.refuseWrites(false);
    if (reloader != null) {
      reloader.close();
    }
    gateway.close();
  }

  @Test
  void aWrite_whileTheJournalRefuses_changesNothing_andIsAppliedWhenAskedAgainAfter()
      throws Exception {
    startReloader(RuleReloader.APPLY_TIMEOUT);

    disk.refuseWrites(true);
    assertThatThrownBy(() -> reloader.write(T_AND_P_RULES, "alice"))
        .isInstanceOf(JournalUnavailableException.class)
        .hasMessageContaining("cannot append");

    assertThat(Files.readString(file)).isEqualTo(T_RULE);
    assertThat(reloader.appliedSha256()).isEqualTo(RuleReloader.sha256(T_RULE));
    assertThat(ruleIds()).containsExactly("t");
    disk.refuseWrites(false);
    assertThat(journaledRuleSets()).containsExactly("file " + RuleReloader.sha256(T_RULE));

    assertThat(reloader.write(T_AND_P_RULES, "alice").status())
        .isEqualTo(RuleReloader.Status.APPLIED);
    assertThat(ruleIds()).containsExactly("t", "p");
    assertThat(journaledRuleSets())
        .containsExactly(
            "file " + RuleReloader.sha256(T_RULE), "alice " + RuleReloader.sha256(T_AND_P_RULES));
  }

  @Test
  void anEditOfTheFile_whileTheJournalRefuses_isAppliedOnceItTakesWrites() throws Exception {
    startReloader(RuleReloader.APPLY_TIMEOUT);

    disk.refuseWrites(true);
    Files.writeString(file, T_AND_P_RULES);
    reloader.requestReload("SIGHUP");
    await().atMost(Duration.ofSeconds(10)).until(reloader::heldBack);
    assertThat(ruleIds()).containsExactly("t");
    disk.refuseWrites(false);

    await().atMost(Duration.ofSeconds(10)).until(() -> !reloader.heldBack());
    assertThat(reloader.appliedSha256()).isEqualTo(RuleReloader.sha256(T_AND_P_RULES));
    assertThat(ruleIds()).containsExactly("t", "p");
    assertThat(journaledRuleSets())
        .containsExactly(
            "file " + RuleReloader.sha256(T_RULE), "file " + RuleReloader.sha256(T_AND_P_RULES));
  }

  @Test
  void aHeldBackEdit_isLoggedAtMostEvery30Seconds_notAtEveryRetry() throws Exception {
    ManualClock clock = new ManualClock();
    reloader = RuleReloaders.started(file, gateway, RuleReloader.APPLY_TIMEOUT, clock);
    disk.refuseWrites(true);
    Files.writeString(file, T_AND_P_RULES);
    reloader.requestReload("SIGHUP");
    // The first try and the retry 2 s later (the next comes 4 s after that): logged once.
    await().atMost(Duration.ofSeconds(10)).until(() -> disk.refusedAppends() >= 2);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> heldBackLines().size() == 1);

    clock.advance(RuleReloader.RETRY_MAX);
    // That next retry comes 30 s on by the clock: logged again.
    await().atMost(Duration.ofSeconds(10)).until(() -> heldBackLines().size() == 2);
    assertThat(disk.refusedAppends()).isEqualTo(3);
  }

  /** What the reloader logged so far. */
  private List<ILoggingEvent> loggedLines() {
    synchronized (logged) { // the appender appends under its own lock
      return List.copyOf(logged.list);
    }
  }

  private List<String> heldBackLines() {
    return loggedLines().stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains("changed (SIGHUP), but the journal refuses writes"))
        .toList();
  }

  @Test
  void aWrite_whoseRulesChangedEventTheJournalRefuses_staysApplied_andTheLostEventIsLogged() {
    startReloader(RuleReloader.APPLY_TIMEOUT);
    // The disk fills between the rule set's record and the event announcing it.
    disk.refuseWritesAfter(1);
    RuleReloader.Outcome outcome = reloader.write(T_AND_P_RULES, "alice");

    assertThat(outcome.status()).isEqualTo(RuleReloader.Status.APPLIED);
    assertThat(ruleIds()).containsExactly("t", "p");
    assertThat(reloader.appliedSha256()).isEqualTo(RuleReloader.sha256(T_AND_P_RULES));
    assertThat(disk.refusedAppends()).isEqualTo(1);
    disk.refuseWrites(false);
    assertThat(journaledRuleSets())
        .containsExactly(
            "file " + RuleReloader.sha256(T_RULE), "alice " + RuleReloader.sha256(T_AND_P_RULES));
    assertThat(gateway.published)
        .noneMatch(e -> "rules_changed".equals(e.details().get("action")));
    assertThat(loggedLines())
        .filteredOn(e -> e.getLevel() == Level.ERROR)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .startsWith(
            "rules "
                + RuleReloader.sha256(T_AND_P_RULES)
                + " applied and journaled, but their rules_changed event was not published: ")
        .contains("JournalUnavailableException");
  }

  @Test
  void anInvalidWrite_whileTheJournalRefuses_isRejectedWithItsProblems() {
    startReloader(RuleReloader.APPLY_TIMEOUT);

    disk.refuseWrites(true);
    RuleReloader.Outcome outcome = reloader.write("rules:\n  - {id: t}\n", "alice");

    assertThat(outcome.status()).isEqualTo(RuleReloader.Status.REJECTED);
    assertThat(outcome.problems()).isNotEmpty();
    assertThat(gateway.published).noneMatch(e -> e.category() == EventCategory.ERROR);
  }

  @Test
  void aWriteTheIngestThreadDoesNotTakeUp_isWithdrawn_andTheFileAndJournalSayWhatIsInForce()
      throws Exception {
    startReloader(Duration.ofMillis(200));
    CountDownLatch release = holdTheIngestThreadAtTheNextAlarm();
    try {
      assertThatThrownBy(() -> reloader.write(T_AND_P_RULES, "alice"))
          .isInstanceOf(RuleReloader.NotAppliedException.class)
          .hasMessageContaining("did not take the rules up")
          .hasMessageContaining("they were not applied");
    } finally {
      release.countDown();
    }

    assertThat(Files.readString(file)).isEqualTo(T_RULE);
    assertThat(reloader.appliedSha256()).isEqualTo(RuleReloader.sha256(T_RULE));
    assertThat(ruleIds()).containsExactly("t");
    assertThat(journaledRuleSets())
        .containsExactly(
            "file " + RuleReloader.sha256(T_RULE),
            "alice " + RuleReloader.sha256(T_AND_P_RULES),
            "floorgate " + RuleReloader.sha256(T_RULE));
  }

  @Test
  void aWithdrawnWrite_whoseUndoTheJournalRefuses_failsNamingWhatIsLeftOver() throws Exception {
    startReloader(Duration.ofMillis(200));
    CountDownLatch release = holdTheIngestThreadAtTheNextAlarm();
    disk.refuseWritesAfter(1); // the write's own record is taken, the undo's is not
    try {
      assertThatThrownBy(() -> reloader.write(T_AND_P_RULES, "alice"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("were not applied")
          .hasMessageContaining("putting back the rules in force failed")
          .hasMessageContaining("the journal's last rule set is the one not applied")
          .hasMessageNotContaining("the rule file holds");
    } finally {
      release.countDown();
    }
    disk.refuseWrites(false);

    assertThat(Files.readString(file)).as("the file was put back").isEqualTo(T_RULE);
    assertThat(reloader.appliedSha256()).isEqualTo(RuleReloader.sha256(T_RULE));
    assertThat(ruleIds()).containsExactly("t");
    assertThat(journaledRuleSets())
        .containsExactly(
            "file " + RuleReloader.sha256(T_RULE), "alice " + RuleReloader.sha256(T_AND_P_RULES));
  }

  @Test
  void anEditOfTheFile_theIngestThreadDoesNotTakeUp_isTriedAgainUntilItApplies() throws Exception {
    startReloader(Duration.ofMillis(200));
    CountDownLatch release = holdTheIngestThreadAtTheNextAlarm();
    try {
      Files.writeString(file, T_AND_P_RULES);
      reloader.requestReload("SIGHUP");
      await().atMost(Duration.ofSeconds(10)).until(reloader::heldBack);
      assertThat(ruleIds()).containsExactly("t");
    } finally {
      release.countDown();
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> !reloader.heldBack());
    assertThat(ruleIds()).containsExactly("t", "p");
    assertThat(Files.readString(file))
        .as("an edit of the file is never put back")
        .isEqualTo(T_AND_P_RULES);
  }

  @Test
  void aChangeTheIngestThreadHasBegun_isWaitedFor_pastTheTimeout() throws Exception {
    startReloader(Duration.ofSeconds(1)); // time enough for the ingest thread to begin it
    gateway.raise();

    // The rules record is taken; the clear of t's alarm, which removing t causes, is refused.
    disk.refuseWritesAfter(1);
    CompletableFuture<RuleReloader.Outcome> change =
        CompletableFuture.supplyAsync(() -> reloader.write(P_RULE, "alice"));
    await().atMost(Duration.ofSeconds(10)).until(gateway.ingest::journalBlocked);
    await() // past the 1 s the reloader waits before it would withdraw
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !change.isDone());
    disk.refuseWrites(false);

    RuleReloader.Outcome outcome = change.get(10, TimeUnit.SECONDS);
    assertThat(outcome.status()).isEqualTo(RuleReloader.Status.APPLIED);
    assertThat(outcome.change()).isNotNull();
    assertThat(outcome.change().removed()).containsExactly("t");
    assertThat(outcome.change().alarmsDropped()).isEqualTo(1);
    assertThat(Files.readString(file)).isEqualTo(P_RULE);
    assertThat(journaledRuleSets())
        .containsExactly(
            "file " + RuleReloader.sha256(T_RULE), "alice " + RuleReloader.sha256(P_RULE));
  }

  /** Raises an alarm whose event holds the ingest thread (as a slow journal would), to release. */
  private CountDownLatch holdTheIngestThreadAtTheNextAlarm() {
    CountDownLatch release = new CountDownLatch(1);
    gateway.events.subscribe(
        event -> {
          if (event.category() == EventCategory.THRESHOLD) {
            awaitQuietly(release);
          }
        });
    gateway.send(Ingests.JournaledIngest.TOPIC, "{\"value\": 30}");
    await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.published.isEmpty());
    return release;
  }

  private void startReloader(Duration applyTimeout) {
    reloader = RuleReloaders.started(file, gateway, applyTimeout);
  }

  /** The ids of the rules the ingest evaluates. */
  private List<String> ruleIds() {
    return gateway.ingest.rules().rules().stream().map(Rule::id).toList();
  }

  /** Who journaled which rule set, in order. */
  private List<String> journaledRuleSets() {
    return JournalContents.records(gateway.journal).stream()
        .filter(JournalRecord.RulesRecord.class::isInstance)
        .map(r -> (JournalRecord.RulesRecord) r)
        .map(r -> r.who() + " " + r.sha256())
        .toList();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
