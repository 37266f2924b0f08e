package io.floorgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM publishes in a loop and is killed with SIGKILL; the reopened journal must hold every
 * operation whose call had returned, start cleanly and rebuild the window.
 */
class EventJournalCrashIT {
  private static final int MAX_EVENTS = 200;

  @TempDir Path dir;

  @Test
  void killNine_losesNothingThatReturned_andTheWindowIsRebuilt() throws Exception {
    Path journalDir = dir.resolve("journal");
    Path stderr = dir.resolve("child.err");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            CrashingPublisher.class.getName(),
            journalDir.toString(),
            Integer.toString(MAX_EVENTS)));
    Process child =
        new ProcessBuilder(command).redirectError(stderr.toFile()).start();

    List<String> printed = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!line.matches("[EA] .*|C")) {
          continue; // the child's log lines share its stdout
        }
        printed.add(line);
        if (printed.size() >= 3_000) {
          break;
        }
      }
      child.destroyForcibly(); // SIGKILL on Linux, mid-loop
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(printed)
        .as("child stderr: %s", Files.exists(stderr) ? Files.readString(stderr) : "")
        .hasSizeGreaterThanOrEqualTo(3_000);
    assertThat(child.exitValue()).isEqualTo(137);

    try (Journal journal = Journal.open(JournalOptions.defaults(journalDir))) {
      List<String> journaled = new ArrayList<>();
      List<Event> modelWindow = new ArrayList<>();
      try (JournalReader reader = journal.reader()) {
        for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
          applyToModel(e.get().record(), journaled, modelWindow);
        }
      }

      // Every operation that had returned is in the journal, in order (more may follow).
      assertThat(journaled.subList(0, printed.size())).isEqualTo(printed);

      EventManager reopened =
          EventManager.open(
              EventNotificationConfig.DEFAULTS.withMaxEvents(MAX_EVENTS), journal);
      assertThat(reopened.getEvents(null, null, 0)).isEqualTo(modelWindow);
      assertThat(modelWindow).hasSize(MAX_EVENTS);
      assertThat(modelWindow).anyMatch(Event::acknowledged);

      Event after = Event.builder().message("after restart").build();
      reopened.publish(after);
      assertThat(reopened.getEvents(null, null, 1)).containsExactly(after);
    }
  }

  /**
   * The seed's semantics, written independently of the manager: a list trimmed to max_events,
   * acknowledgements marking in place, clears filtering the list.
   */
  private static void applyToModel(JournalRecord record, List<String> ops, List<Event> window) {
    if (record instanceof JournalRecord.EventRecord event) {
      ops.add("E " + event.eventId());
      window.add(EventJson.fromBytes(event.json()));
      if (window.size() > MAX_EVENTS) {
        window.remove(0);
      }
    } else if (record instanceof JournalRecord.AckRecord ack) {
      ops.add("A " + ack.eventId());
      window.replaceAll(e -> e.eventId().equals(ack.eventId()) ? e.withAcknowledged(true) : e);
    } else if (record instanceof JournalRecord.ClearRecord clear) {
      ops.add("C");
      window.removeIf(e -> EventTimestamps.micros(e.timestamp()) < clear.cutoffMicros());
    }
  }
}
