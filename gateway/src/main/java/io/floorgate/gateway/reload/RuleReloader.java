package io.floorgate.gateway.reload;

import io.floorgate.events.DigitalTwinPublisher;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventPublisherBase;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.UserActionEvent;
import io.floorgate.gateway.ingest.Ingest;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalRecord;
import io.floorgate.journal.JournalUnavailableException;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import io.floorgate.rules.tree.Location;
import io.floorgate.rules.tree.Node;
import io.floorgate.rules.tree.Problem;
import io.floorgate.rules.tree.TreeReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the rules in force in step with the rule file.
 *
 * <p>A change is read from the file when it changes on disk (after it has been stable for the
 * debounce time, so a file being written is not judged half-way), on {@link #requestReload} (the
 * gateway calls it on SIGHUP), or when an admin sends a new text ({@link #write}). The text is
 * validated whole: with any problem the rules in force stay, and the problems are logged and
 * published as one {@code ErrorEvent}. A valid text is swapped in by the ingest thread between two
 * messages; a {@code UserActionEvent} names who changed what (rule ids added, removed, changed)
 * and the text itself is journaled, so the rule history can be read and reverted.
 *
 * <p>The document tree of the rules in force is kept in a {@link RuleTreeCache}, so that a start
 * with an unchanged file does not parse its YAML again.
 *
 * <p>Threads: {@code floorgate-rules-watch} waits for file events; {@code floorgate-rules-reload}
 * debounces and applies them, and writes the cache. {@link #write} and {@link #reload} may be
 * called from any thread; changes are applied one at a time.
 */
public final class RuleReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleReloader.class);
  /** Who a change read from the file is attributed to. */
  public static final String FILE_USER = "file";
  private static final String SOURCE = "floorgate";
  /** How long a change waits for the ingest thread to take it up before it is withdrawn. */
  static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);
  /**
   * How soon an edit of the file that could not be applied is tried again (each try reads and
   * validates the file whole), doubling up to {@link #RETRY_MAX}.
   */
  static final Duration RETRY_MIN = Duration.ofSeconds(2);
  static final Duration RETRY_MAX = Duration.ofSeconds(30);
  private static final long NOT_HELD_BACK = Long.MIN_VALUE;

  private final Path file;
  private final List<String> stateTopics;
  private final Ingest ingest;
  private final @Nullable Journal journal;
  private final Duration debounce;
  private final Duration applyTimeout;
  private final Clock clock;
  private final RuleTreeCache cache;
  private final DigitalTwinPublisher errors;
  private final EventPublisherBase actions;
  private final ScheduledExecutorService worker;
  private final Object lock = new Object();
  private @Nullable WatchService watcher;
  private @Nullable ScheduledFuture<?> pendingCheck;
  private @Nullable ScheduledFuture<?> pendingRetry; // guarded by lock
  private Duration retryDelay = RETRY_MIN; // reload thread only
  /**
   * When a held-back edit was last logged ({@link #clock} millis); {@link #NOT_HELD_BACK} while
   * none is.
   */
  private volatile long heldBackLoggedAt = NOT_HELD_BACK; // written by the reload thread only
  private @Nullable FileState lastSeen;
  private volatile String appliedText = "";
  private volatile String appliedSha = "";
  private volatile boolean closed;

  /** What a reload or write did. */
  public enum Status {
    /** The new rules are in force. */
    APPLIED,
    /** The text equals the rules in force: nothing to do. */
    UNCHANGED,
    /** The text has problems: the rules in force stay. */
    REJECTED
  }

  /**
   * The outcome of a change.
   *
   * @param status what happened
   * @param problems every problem, when rejected
   * @param change which rule ids were added, removed, changed, when applied
   * @param sha256 the text's SHA-256
   */
  public record Outcome(
      Status status, List<Problem> problems, Ingest.@Nullable RuleChange change, String sha256) {}

  private record FileState(long size, FileTime modified) {}

  /**
   * A valid change that was not applied, and of which nothing stays: the rules in force, the rule
   * file and the journal's last rule set are as they were. Asking again may succeed.
   */
  public static final class NotAppliedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAppliedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public RuleReloader(
      Path file,
      List<String> stateTopics,
      Ingest ingest,
      EventManager events,
      @Nullable Journal journal,
      Duration debounce,
      RuleTreeCache cache,
      Clock clock) {
    this(file, stateTopics, ingest, events, journal, debounce, cache, clock, APPLY_TIMEOUT);
  }

  /** The same, waiting {@code applyTimeout} for the ingest thread to take up a change. */
  RuleReloader(
      Path file,
      List<String> stateTopics,
      Ingest ingest,
      EventManager events,
      @Nullable Journal journal,
      Duration debounce,
      RuleTreeCache cache,
      Clock clock,
      Duration applyTimeout) {
    this.applyTimeout = applyTimeout;
    this.file = file;
    this.stateTopics = List.copyOf(stateTopics);
    this.ingest = ingest;
    this.journal = journal;
    this.debounce = debounce;
    this.clock = clock;
    this.cache = cache;
    this.errors = new DigitalTwinPublisher(events);
    this.actions = new EventPublisherBase(SOURCE, events);
    ScheduledThreadPoolExecutor reloads =
        new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "floorgate-rules-reload"));
    // A debounce or retry still waiting at close is dropped, not run: close waits for what runs.
    reloads.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.worker = reloads;
  }

  /**
   * A rule file read and validated: its text, the text's SHA-256 and its rules.
   *
   * @param sha256 {@link #sha256(String)} of {@code text}
   * @param readTree the tree read from the text, to cache; null when it came from the cache
   */
  public record Loaded(String text, String sha256, RuleSet rules, @Nullable Node readTree) {}

  /**
   * The rules of a rule file validated at start, before there is an ingest to swap into, and
   * where their tree came from.
   *
   * @param readTree the tree read from the text, to cache; null when it came from the cache
   * @param cachedSha256 the SHA-256 the cache gave for its tree, or null: to be confirmed
   */
  public record Parsed(RuleSet rules, @Nullable Node readTree, @Nullable String cachedSha256) {}

  /**
   * Validates the text of a rule file, taking its tree from {@code cache} when the cache appears
   * to hold this text's ({@link #confirm} makes sure).
   *
   * @throws RuleFile.InvalidRulesException with every problem
   */
  public static Parsed parse(
      Path file, String text, List<String> stateTopics, RuleTreeCache cache) {
    Optional<RuleTreeCache.Cached> cached = cache.load(text, file.toString());
    if (cached.isPresent()) {
      RuleFile.Result fromCache =
          RuleFile.validate(
              new TreeReader.Result(Optional.of(cached.get().tree()), List.of()),
              file.toString(),
              stateTopics);
      if (fromCache.ok()) {
        return new Parsed(fromCache.orThrow(), null, cached.get().sha256());
      }
      // A cached tree has no locations: read the text, so that the problems name their lines.
    }
    TreeReader.Result tree = TreeReader.read(text, file.toString());
    RuleSet rules = RuleFile.validate(tree, file.toString(), stateTopics).orThrow();
    return new Parsed(rules, tree.root().orElse(null), null);
  }

  /**
   * The rules to start with: {@code parsed}, once a tree from the cache is confirmed to be this
   * text's by {@code sha256} (computed beside the parse); otherwise read from the text.
   *
   * @throws RuleFile.InvalidRulesException with every problem
   */
  public static Loaded confirm(
      Path file, String text, String sha256, List<String> stateTopics, Parsed parsed) {
    String cachedSha = parsed.cachedSha256();
    if (cachedSha == null) {
      return new Loaded(text, sha256, parsed.rules(), parsed.readTree());
    }
    if (cachedSha.equals(sha256)) {
      LOG.info("rule file {} is unchanged since its tree was cached: not parsed again", file);
      return new Loaded(text, sha256, parsed.rules(), null);
    }
    LOG.warn(
        "the rule cache holds another text of the same length and hash code as {}; reading the"
            + " file",
        file);
    Parsed read = parse(file, text, stateTopics, RuleTreeCache.NONE);
    return new Loaded(text, sha256, read.rules(), read.readTree());
  }

  /**
   * Takes {@code initial} as the rules in force and, when {@code watch}, starts watching the
   * file. Journals the text when it differs from the last version the journal knows (an edit made
   * while stopped).
   *
   * @param journaledSha256 the SHA-256 of the last rule file the journal recorded, {@code ""} for
   *     none (as the start's recovery read it: searching the journal for it would read back
   *     through every record since the last rule change)
   */
  public void start(Loaded initial, boolean watch, String journaledSha256) {
    appliedText = initial.text();
    appliedSha = initial.sha256();
    lastSeen = stateOf(file);
    Node readTree = initial.readTree();
    if (readTree != null) {
      worker.execute(() -> cacheTree(initial.text(), initial.sha256(), readTree));
    }
    if (journal != null) {
      if (!journaledSha256.equals(appliedSha)) {
        journal.append(rulesRecord(FILE_USER, initial.text(), appliedSha));
      }
    }
    if (!watch) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    try {
      WatchService service = FileSystems.getDefault().newWatchService();
      dir.register(
          service,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      watcher = service;
    } catch (IOException e) {
      LOG.warn(
          "cannot watch {} for rule changes ({}); reload with SIGHUP or the admin API",
          dir,
          e.toString());
      return;
    }
    Thread thread = new Thread(this::watch, "floorgate-rules-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void watch() {
    Path name = file.getFileName();
    while (!closed) {
      WatchKey key;
      try {
        key = Objects.requireNonNull(watcher).take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      boolean ours = false;
      for (WatchEvent<?> event : key.pollEvents()) {
        ours |= event.context() == null || name.equals(event.context());
      }
      key.reset();
      if (ours) {
        scheduleCheck();
      }
    }
  }

  /** (Re)starts the debounce: the file is judged once it has not changed for {@code debounce}. */
  private void scheduleCheck() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (pendingCheck != null) {
        pendingCheck.cancel(false);
      }
      pendingCheck =
          worker.schedule(this::checkStable, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void checkStable() {
    FileState now = stateOf(file);
    FileState before;
    synchronized (lock) {
      before = lastSeen;
      lastSeen = now;
    }
    if (!Objects.equals(now, before)) {
      scheduleCheck(); // still changing, or changed since: look again after the debounce
      return;
    }
    reloadQuietly(FILE_USER, "watch");
  }

  /** Re-reads the file soon, on the reload thread (for SIGHUP). */
  public void requestReload(String trigger) {
    if (!closed) {
      worker.execute(() -> reloadQuietly(FILE_USER, trigger));
    }
  }

  private void reloadQuietly(String who, String trigger) {
    try {
      reload(who, trigger);
    } catch (JournalUnavailableException | NotAppliedException e) {
      // The edit is in the file, and nothing else will bring it back: try again, as the ingest
      // thread holds what it decided until the journal takes it.
      long now = clock.millis(); // the wall clock, so tests can move it; set back, it logs at once
      if (heldBackLoggedAt == NOT_HELD_BACK
          || now < heldBackLoggedAt
          || now - heldBackLoggedAt >= RETRY_MAX.toMillis()) {
        heldBackLoggedAt = now;
        LOG.error(
            "rule file {} changed ({}), but {}; the rules in force stay until it can be applied"
                + " (trying again within {} s): {}",
            file,
            trigger,
            e instanceof JournalUnavailableException
                ? "the journal refuses writes"
                : "the ingest thread did not take it up",
            RETRY_MAX.toSeconds(),
            e.getMessage());
      }
      retryLater(who, trigger);
      return;
    } catch (RuntimeException e) {
      LOG.error("rule reload from {} failed: {}", file, e.toString());
    }
    heldBackLoggedAt = NOT_HELD_BACK;
    retryDelay = RETRY_MIN;
  }

  /** Reloads after {@link #retryDelay}, once: a retry already waiting is replaced. */
  private void retryLater(String who, String trigger) {
    Duration delay = retryDelay;
    Duration doubled = delay.multipliedBy(2);
    retryDelay = doubled.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : doubled;
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (pendingRetry != null) {
        pendingRetry.cancel(false);
      }
      try {
        pendingRetry =
            worker.schedule(
                () -> reloadQuietly(who, trigger), delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        // closed meanwhile: the edit is applied at the next start
      }
    }
  }

  /** Re-reads the rule file and applies it if it is valid and different. */
  public Outcome reload(String who, String trigger) {
    String text;
    try {
      text = readText(file);
    } catch (RuleFile.InvalidRulesException unreadable) {
      synchronized (lock) {
        reject(unreadable.problems(), who, trigger);
      }
      return new Outcome(Status.REJECTED, unreadable.problems(), null, "");
    }
    return apply(text, who, trigger, false);
  }

  /**
   * Validates {@code text} and, when valid, writes it to the rule file atomically (temporary file,
   * fsync, rename) and applies it. When invalid, the file is not touched.
   */
  public Outcome write(String text, String who) {
    return apply(text, who, "api", true);
  }

  /** The rule file's text in force. */
  public String appliedText() {
    return appliedText;
  }

  /**
   * Whether the last reload of the file could not be applied (the journal refused it, or the
   * ingest thread did not take it up) and waits to be tried again.
   */
  boolean heldBack() {
    return heldBackLoggedAt != NOT_HELD_BACK;
  }

  /** The SHA-256 of the text in force. */
  public String appliedSha256() {
    return appliedSha;
  }

  public Path file() {
    return file;
  }

  private Outcome apply(String text, String who, String trigger, boolean writeFile) {
    synchronized (lock) {
      String sha = sha256(text);
      TreeReader.Result tree = TreeReader.read(text, file.toString());
      RuleFile.Result result = RuleFile.validate(tree, file.toString(), stateTopics);
      if (!result.ok()) {
        reject(result.problems(), who, trigger);
        return new Outcome(Status.REJECTED, result.problems(), null, sha);
      }
      if (sha.equals(appliedSha)) {
        if (writeFile) {
          writeAtomically(text);
          lastSeen = stateOf(file);
        }
        return new Outcome(Status.UNCHANGED, List.of(), null, sha);
      }
      // Journaled first: while the journal refuses writes (JournalUnavailableException) nothing
      // changes, so the caller is told the truth and the history never lacks a rule set that was
      // in force.
      if (journal != null) {
        journal.append(rulesRecord(who, text, sha));
      }
      boolean fileWritten = false;
      Ingest.@Nullable Pending<Ingest.RuleChange> applying = null;
      Ingest.RuleChange change;
      try {
        if (writeFile) {
          writeAtomically(text);
          fileWritten = true;
          lastSeen = stateOf(file);
        }
        applying = ingest.replaceRules(result.orThrow());
        change = applied(applying, applyTimeout);
      } catch (RuntimeException e) {
        if (applying == null || applying.withdraw()) {
          // The undo writes files, which an interrupt would close: the flag waits until after.
          boolean interrupted = Thread.interrupted();
          List<String> left = undo(fileWritten);
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
          if (!left.isEmpty()) {
            throw new IllegalStateException(
                "the rules "
                    + sha
                    + " were not applied ("
                    + e.getMessage()
                    + "), and putting back the rules in force failed: "
                    + String.join("; ", left)
                    + "; the next change or restart makes them agree",
                e);
          }
          if (applying != null && !(e instanceof NotAppliedException)) {
            throw new NotAppliedException("the rules were not applied: " + e.getMessage(), e);
          }
        }
        throw e; // the file could not be written (and the journal says so), or ingest failed
      }
      appliedText = text;
      appliedSha = sha;
      tree.root().ifPresent(root -> cache.store(text, sha, root));
      announce(change, who, trigger, sha, result.orThrow().size());
      return new Outcome(Status.APPLIED, List.of(), change, sha);
    }
  }

  /**
   * After a change was journaled (and its file written) but never applied: puts the rules in
   * force back in the file and journals them again, so that both say what is in force (and the
   * file watcher does not apply a change its caller was told had failed).
   *
   * @return what could not be put back; empty when all was
   */
  private List<String> undo(boolean fileWritten) {
    List<String> left = new ArrayList<>();
    if (fileWritten) {
      try {
        writeAtomically(appliedText);
        lastSeen = stateOf(file);
      } catch (RuntimeException e) {
        left.add("the rule file holds the rules not applied (" + e.getMessage() + ")");
      }
    }
    if (journal != null) {
      try {
        journal.append(rulesRecord(SOURCE, appliedText, appliedSha));
      } catch (RuntimeException e) {
        left.add("the journal's last rule set is the one not applied (" + e.getMessage() + ")");
      }
    }
    return left;
  }

  /**
   * Waits for the ingest thread to apply the rules. After {@code timeout} (or an interrupt) the
   * change is withdrawn if the thread has not taken it up; once taken up, the rules are in force
   * and only the clears they caused can still be waiting for the journal, so this waits on,
   * without heeding interrupts: reported as failed, the change would be in force all the same and
   * the text in force misnamed. The ingest thread ends it, or fails it when it stops.
   */
  private static Ingest.RuleChange applied(
      Ingest.Pending<Ingest.RuleChange> applying, Duration timeout) {
    boolean interrupted = false;
    boolean begun = false;
    try {
      while (true) {
        try {
          return begun ? applying.get() : applying.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
          interrupted |= e instanceof InterruptedException;
          if (!begun && applying.withdraw()) {
            throw new NotAppliedException(
                e instanceof TimeoutException
                    ? "the ingest thread did not take the rules up within "
                        + timeout.toSeconds()
                        + " s (it is busy, or waiting for the journal); they were not applied"
                    : "interrupted before the ingest thread took the rules up; they were not"
                        + " applied",
                e);
          }
          begun = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException("the ingest thread did not apply the rules: " + e, e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Caches the tree of the text in force, unless the text has changed since. */
  private void cacheTree(String text, String sha, Node tree) {
    synchronized (lock) {
      if (sha.equals(appliedSha)) {
        cache.store(text, sha, tree);
      }
    }
  }

  private void announce(Ingest.RuleChange change, String who, String trigger, String sha, int count) {
    LOG.info(
        "rules from {} applied ({} by {}): {} rule(s); added {}, removed {}, changed {}; {} alarm(s)"
            + " cleared",
        file,
        trigger,
        who,
        count,
        change.added(),
        change.removed(),
        change.changed(),
        change.alarmsDropped());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("file", file.toString());
    details.put("trigger", trigger);
    details.put("sha256", sha);
    details.put("rules", count);
    details.put("added", change.added());
    details.put("removed", change.removed());
    details.put("changed", change.changed());
    details.put("alarms_cleared", change.alarmsDropped());
    try {
      actions.publish(new UserActionEvent(who, "rules_changed", details));
    } catch (RuntimeException e) {
      // The rules are in force and journaled: the change must not be reported as failed.
      LOG.error(
          "rules {} applied and journaled, but their rules_changed event was not published: {}",
          sha,
          e.toString());
    }
  }

  private void reject(List<Problem> problems, String who, String trigger) {
    List<String> lines = problems.stream().map(Problem::toString).toList();
    String head =
        "rule file " + file + " has " + problems.size() + " problem(s); the rules in force stay: ";
    LOG.error("{}{} ({} by {})", head, String.join("; ", lines), trigger, who);
    Listing listed = Listing.of(lines);
    String summary =
        head
            + String.join("; ", listed.lines())
            + (listed.notListed() == 0
                ? ""
                : "; and " + listed.notListed() + " more, listed in the gateway's log");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("file", file.toString());
    details.put("trigger", trigger);
    details.put("user_id", who);
    details.put("problems", listed.lines());
    if (listed.notListed() > 0) {
      details.put("problems_not_listed", listed.notListed());
    }
    try {
      errors.publishErrorEvent("InvalidRules", summary, EventSeverity.ERROR, null, details);
    } catch (RuntimeException e) {
      // The line above has every problem; the rejection stands without its event.
      LOG.error("the InvalidRules event of rule file {} was not published: {}", file, e.toString());
    }
  }

  /**
   * The problems an {@code InvalidRules} event lists: every one, unless they would make the event
   * larger than a journal record can be ({@link Journal#MAX_RECORD_BYTES}). The event carries the
   * listing three times (its message, its {@code error_message} and its {@code problems}) and a
   * problem quotes the bad value whole, so a rule id of a megabyte, quoted by each of its rule's
   * problems, could otherwise make the event impossible to journal, and with it the rejection
   * itself. Each problem is cut to {@link #PROBLEM_CHARS} and the listing ends before {@link
   * #LISTED_CHARS}; the log line has every problem whole.
   *
   * @param lines the problems listed, in order
   * @param notListed how many of the last problems are not
   */
  record Listing(List<String> lines, int notListed) {
    /** A problem is a few hundred characters unless it quotes a pathological value. */
    static final int PROBLEM_CHARS = 1_000;

    /**
     * Three times this, JSON-escaped at worst (six bytes for a control character), is under 3 MiB:
     * within the 4 MiB record with room for the rest of the event. About 1,300 problems of usual
     * length.
     */
    static final int LISTED_CHARS = 160 * 1024;

    static Listing of(List<String> problems) {
      List<String> listed = new ArrayList<>();
      int chars = 0;
      for (String problem : problems) {
        String line = problem;
        if (problem.length() > PROBLEM_CHARS) {
          // Never between the two halves of a surrogate pair, which JSON cannot carry.
          int cut =
              Character.isHighSurrogate(problem.charAt(PROBLEM_CHARS - 1))
                  ? PROBLEM_CHARS - 1
                  : PROBLEM_CHARS;
          int left = problem.length() - cut;
          line = problem.substring(0, cut) + "... (" + left + " more characters)";
        }
        if (chars + line.length() > LISTED_CHARS) {
          break;
        }
        chars += line.length();
        listed.add(line);
      }
      return new Listing(List.copyOf(listed), problems.size() - listed.size());
    }
  }

  private JournalRecord.RulesRecord rulesRecord(String who, String text, String sha) {
    long micros = clock.instant().toEpochMilli() * 1000;
    return new JournalRecord.RulesRecord(
        micros, who, sha, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The text of the rule file at {@code file}.
   *
   * @throws RuleFile.InvalidRulesException when it cannot be read, is larger than {@link
   *     RuleFile#MAX_BYTES} or is not UTF-8
   */
  public static String readText(Path file) {
    byte[] bytes;
    try {
      Optional<Problem> tooLarge = RuleFile.tooLarge(file.toString(), Files.size(file));
      if (tooLarge.isPresent()) {
        throw new RuleFile.InvalidRulesException(List.of(tooLarge.get()));
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new RuleFile.InvalidRulesException(
          List.of(
              new Problem(
                  new Location(file.toString(), 1, 1),
                  null,
                  "cannot read the rule file: " + e.getClass().getSimpleName() + " " + e.getMessage())));
    }
    // new String replaces malformed input with U+FFFD; only then is the strict decoder needed
    // (it copies the text twice more: 4.8 MB for a 1.6 MB file, garbage for a start to collect).
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') < 0) {
      return text;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new RuleFile.InvalidRulesException(
          List.of(
              new Problem(new Location(file.toString(), 1, 1), null, "the rule file is not valid UTF-8")));
    }
  }

  private void writeAtomically(String text) {
    Path target = file.toAbsolutePath();
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      out.force(true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + temp + ": " + e.getMessage(), e);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IllegalStateException("cannot replace " + target + " atomically: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot replace " + target + ": " + e.getMessage(), e);
    }
  }

  private static @Nullable FileState stateOf(Path file) {
    try {
      return new FileState(Files.size(file), Files.getLastModifiedTime(file));
    } catch (IOException e) {
      return null;
    }
  }

  /** The SHA-256 of {@code text} in UTF-8, in hex: what the journal's rules records carry. */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Stops watching and waits (up to 5 s) for a change being applied. Idempotent. */
  @Override
  public void close() {
    closed = true;
    WatchService service = watcher;
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        LOG.debug("closing the watch service: {}", e.toString());
      }
    }
    worker.shutdown();
    try {
      if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("rule reload did not finish within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
