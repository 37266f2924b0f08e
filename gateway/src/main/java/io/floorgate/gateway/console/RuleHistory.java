package io.floorgate.gateway.console;

import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import io.floorgate.rules.Rule;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history of the rule file, from the journal's {@code RulesRecord}s (every version set,
 * whole, with who set it and when; a version that could not be applied is followed by the one
 * still in force, set again by {@code floorgate}): newest first, each with the rule ids it added,
 * removed and changed against the version before it.
 *
 * <p>Threads: the journal is read by one thread of its own, {@code floorgate-console-history}
 * (never interrupted: it does Chronicle file I/O); callers wait for it. The first call reads the
 * whole journal, later calls only what was appended since. Versions older than the journal's
 * retention are gone with their days; at most {@link #MAX_VERSIONS} are kept.
 */
final class RuleHistory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleHistory.class);
  static final int MAX_VERSIONS = 500;
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final @Nullable Journal journal;
  private final String file;
  private final List<String> stateTopics;
  private final ExecutorService reader;
  /** Oldest first. Touched by the reader thread only. */
  private final Deque<Version> versions = new ArrayDeque<>();
  private long lastIndex = -1;

  /**
   * One applied version.
   *
   * @param index the journal index of its record
   * @param atMicros when it was applied
   * @param who who applied it ({@code file} for an edit on disk)
   * @param sha256 the text's SHA-256
   * @param text the whole rule file
   * @param added rule ids added against the version before (empty for the first)
   * @param removed rule ids removed
   * @param changed rule ids whose definition changed
   */
  record Version(
      long index,
      long atMicros,
      String who,
      String sha256,
      String text,
      List<String> added,
      List<String> removed,
      List<String> changed) {}

  RuleHistory(@Nullable Journal journal, String file, List<String> stateTopics) {
    this.journal = journal;
    this.file = file;
    this.stateTopics = List.copyOf(stateTopics);
    this.reader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "floorgate-console-history");
              t.setDaemon(true);
              t.setUncaughtExceptionHandler(
                  (th, e) -> LOG.error("{} died: {}", th.getName(), e.toString()));
              return t;
            });
  }

  /** Whether there is a journal to read (persistence enabled). */
  boolean available() {
    return journal != null;
  }

  /** Every version kept, newest first. */
  List<Version> versions() {
    if (journal == null) {
      return List.of();
    }
    try {
      return reader.submit(this::catchUp).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the rule history", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot read the rule history from the journal: " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "reading the rule history took longer than " + TIMEOUT.toSeconds() + " s", e);
    }
  }

  /** The version with {@code sha256}, the newest if it was applied more than once. */
  Optional<Version> find(String sha256) {
    return versions().stream().filter(v -> v.sha256().equals(sha256)).findFirst();
  }

  private List<Version> catchUp() {
    Journal j = journal;
    try (JournalReader in = j.reader()) {
      if (lastIndex >= 0 && !in.moveTo(lastIndex)) {
        // The day holding it was deleted by retention: read again from what is left.
        versions.clear();
        lastIndex = -1;
      } else if (lastIndex >= 0) {
        in.next(); // the record we already have
      }
      for (Optional<JournalEntry> e = in.next(); e.isPresent(); e = in.next()) {
        lastIndex = e.get().index();
        if (e.get().record() instanceof JournalRecord.RulesRecord rules) {
          add(e.get().index(), rules);
        }
      }
    }
    List<Version> newestFirst = new ArrayList<>(versions);
    java.util.Collections.reverse(newestFirst);
    return newestFirst;
  }

  private void add(long index, JournalRecord.RulesRecord record) {
    String text = new String(record.text(), StandardCharsets.UTF_8);
    Map<String, Rule> now = rulesOf(text);
    Version before = versions.peekLast();
    List<String> added = List.of();
    List<String> removed = List.of();
    List<String> changed = List.of();
    if (before != null) {
      Map<String, Rule> then = rulesOf(before.text());
      added = now.keySet().stream().filter(id -> !then.containsKey(id)).toList();
      removed = then.keySet().stream().filter(id -> !now.containsKey(id)).toList();
      changed =
          now.keySet().stream()
              .filter(id -> then.containsKey(id) && !then.get(id).equals(now.get(id)))
              .toList();
    }
    versions.addLast(
        new Version(
            index, record.atMicros(), record.who(), record.sha256(), text, added, removed, changed));
    while (versions.size() > MAX_VERSIONS) {
      versions.removeFirst();
    }
  }

  private Map<String, Rule> rulesOf(String text) {
    RuleSet rules = RuleFile.parse(text, file, stateTopics).rules().orElse(RuleSet.empty());
    return rules.rules().stream()
        .collect(
            Collectors.toMap(
                Rule::id, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
  }

  /** Stops the reader thread once it is done (no interrupt). */
  @Override
  public void close() {
    reader.shutdown();
    try {
      if (!reader.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("the rule history reader did not finish within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
