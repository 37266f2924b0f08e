package io.floorgate.gateway.cli;

import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.events.EventJson;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.EventTimestamps;
import io.floorgate.gateway.checkpoint.Checkpointer;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code floorgate events ...}: read the journal, also while the gateway runs. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Read the event journal.",
    subcommands = {
      EventsCommand.ListCommand.class,
      EventsCommand.TailCommand.class,
      EventsCommand.ExportCommand.class,
      EventsCommand.AckCommand.class
    })
final class EventsCommand {

  /** Prints an event as one line, or as its JSON. */
  static String format(Event event, boolean json) {
    if (json) {
      return EventJson.toJson(event);
    }
    return String.format(
        "%s  %-8s %-12s %-14s %s  %s  [%s]",
        EventTimestamps.format(event.timestamp()),
        event.severity().value(),
        event.category().value(),
        event.source(),
        event.acknowledged() ? "ack" : "   ",
        event.message(),
        event.eventId());
  }

  /** {@code floorgate events list}: the seed's {@code get_events} over the journal's window. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List recent events as the gateway's get_events sees them (the last max_events,"
              + " acknowledgements and clears applied), oldest first.")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JournalLocationMixin location;

    @Option(names = "--severity", paramLabel = "S", description = "Only this severity.")
    String severity;

    @Option(names = "--category", paramLabel = "C", description = "Only this category.")
    String category;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
        description = "At most N events (default ${DEFAULT-VALUE}; 0 = all in the window).")
    int limit;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Override
    public Integer call() {
      EventSeverity wantedSeverity = severity == null ? null : EventSeverity.parse(severity);
      EventCategory wantedCategory = category == null ? null : EventCategory.parse(category);
      PrintWriter out = spec.commandLine().getOut();
      EventNotificationConfig config = location.get().gatewayConfig().eventNotification();
      try (Journal journal = location.get().open()) {
        EventManager window;
        if (config.persistenceEnabled()) {
          // Read only: never started nor closed, so it writes no checkpoint of its own.
          Checkpointer recovered = Checkpointer.recover(journal, config.maxEvents());
          window = EventManager.open(config, journal, Clock.systemUTC(), recovered.window());
        } else {
          window = EventManager.open(config, journal);
        }
        for (Event event : window.getEvents(wantedCategory, wantedSeverity, limit)) {
          out.println(format(event, json));
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code floorgate events tail}: the last records, then new ones as they are journaled. */
  @Command(
      name = "tail",
      mixinStandardHelpOptions = true,
      description = "Print the last N journal records, then follow new ones (Ctrl-C to stop).")
  static final class TailCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JournalLocationMixin location;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
        description = "Records to show before following (default ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = "--json", description = "Events as one JSON object per line.")
    boolean json;

    @Option(names = "--no-follow", description = "Print and exit instead of following.")
    boolean noFollow;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Journal journal = location.get().open();
          JournalReader reader = journal.reader()) {
        Deque<String> last = new ArrayDeque<>();
        for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
          last.addLast(describe(e.get().record()));
          if (last.size() > lines) {
            last.removeFirst();
          }
        }
        last.forEach(out::println);
        out.flush();
        while (!noFollow) {
          Optional<JournalEntry> next = reader.next();
          if (next.isPresent()) {
            out.println(describe(next.get().record()));
            out.flush();
          } else {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
          }
        }
      }
      return 0;
    }

    private String describe(JournalRecord record) {
      if (record instanceof JournalRecord.EventRecord event) {
        return format(EventJson.fromBytes(event.json()), json);
      }
      if (record instanceof JournalRecord.AckRecord ack) {
        return at(ack.atMicros()) + "  acknowledged " + ack.eventId();
      }
      if (record instanceof JournalRecord.RulesRecord rules) {
        return at(rules.atMicros())
            + "  rules set by "
            + rules.who()
            + " (sha256 "
            + rules.sha256().substring(0, 12)
            + ")";
      }
      JournalRecord.ClearRecord clear = (JournalRecord.ClearRecord) record;
      return at(clear.atMicros())
          + "  cleared "
          + (clear.all() ? "all events" : "events before " + at(clear.cutoffMicros()))
          + " from the window";
    }

    private static String at(long micros) {
      return EventTimestamps.format(
          Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000));
    }
  }

  /** {@code floorgate events export --since DATE}: every event since then, as JSON lines. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Print every journaled event since DATE as JSON lines (acknowledgements applied),"
              + " oldest first.")
  static final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JournalLocationMixin location;

    @Option(
        names = "--since",
        paramLabel = "DATE",
        required = true,
        description =
            "2026-11-29 (midnight, local time), 2026-11-29T08:00 (local) or"
                + " 2026-11-29T08:00:00Z.")
    String since;

    @Override
    public Integer call() {
      Instant from = parseSince(since);
      long fromMicros = EventTimestamps.micros(from);
      PrintWriter out = spec.commandLine().getOut();
      try (Journal journal = location.get().open()) {
        java.util.Set<String> acknowledged = new java.util.HashSet<>();
        try (JournalReader reader = journal.reader()) {
          for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
            if (e.get().record() instanceof JournalRecord.AckRecord ack) {
              acknowledged.add(ack.eventId());
            }
          }
        }
        try (JournalReader reader = journal.reader()) {
          for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
            if (e.get().record() instanceof JournalRecord.EventRecord event
                && event.timestampMicros() >= fromMicros) {
              Event parsed = EventJson.fromBytes(event.json());
              if (acknowledged.contains(parsed.eventId())) {
                parsed = parsed.withAcknowledged(true);
              }
              out.println(EventJson.toJson(parsed));
            }
          }
        }
      }
      out.flush();
      return 0;
    }

    static Instant parseSince(String text) {
      try {
        return java.time.LocalDate.parse(text)
            .atStartOfDay(java.time.ZoneId.systemDefault())
            .toInstant();
      } catch (java.time.format.DateTimeParseException notADate) {
        try {
          return EventTimestamps.parse(text);
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(new ExportCommand()),
              "--since must be a date (2026-11-29) or an ISO-8601 date-time, but was '" + text
                  + "'");
        }
      }
    }
  }

  /**
   * {@code floorgate events ack ID --user U}: acknowledges through the running gateway's admin
   * API, as user U (password from FLOORGATE_PASSWORD or the console).
   */
  @Command(
      name = "ack",
      mixinStandardHelpOptions = true,
      description =
          "Acknowledge an event through the running gateway's admin API, as USER. The password"
              + " comes from the FLOORGATE_PASSWORD environment variable, else it is asked for.")
  static final class AckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Parameters(paramLabel = "EVENT_ID", description = "The event to acknowledge.")
    String eventId;

    @Option(names = {"-u", "--user"}, required = true, paramLabel = "USER", description = "Who acknowledges (an admin API user).")
    String user;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "Gateway configuration whose admin address to use.")
    java.nio.file.Path config;

    @Option(names = "--url", paramLabel = "URL", description = "Admin API base URL (default from the configuration: http://127.0.0.1:8180).")
    String url;

    @Override
    public Integer call() throws Exception {
      String base = url != null ? url : AdminClient.baseUrl(config);
      char[] password = AdminClient.password(user);
      AdminClient.Response response =
          AdminClient.send(
              base, user, password, "POST", "/api/events/" + java.net.URLEncoder.encode(eventId, java.nio.charset.StandardCharsets.UTF_8) + "/ack", "");
      if (response.status() == 200) {
        spec.commandLine().getOut().println("acknowledged " + eventId + " as " + user);
        spec.commandLine().getOut().flush();
        return 0;
      }
      spec.commandLine().getErr().println("not acknowledged (HTTP " + response.status() + "): " + response.error());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }

  /** Shared options of the event commands. */
  static final class JournalLocationMixin {
    @ArgGroup(exclusive = false)
    JournalLocation location = new JournalLocation();

    JournalLocation get() {
      return location == null ? new JournalLocation() : location;
    }
  }
}
