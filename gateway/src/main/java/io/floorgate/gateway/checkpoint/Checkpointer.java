package io.floorgate.gateway.checkpoint;

import io.floorgate.events.WindowReplay;
import io.floorgate.gateway.ingest.AlarmHistory;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovers the event window and the open alarms at start-up from the last checkpoint and the
 * journal records after it, then keeps the checkpoint current: every {@link #EVERY} (when
 * anything was appended) and at a clean stop, it reads the records appended since and writes a
 * new {@code checkpoint.json}. Without a usable checkpoint (the first start, a checkpoint from
 * another journal or another {@code max_events}, a damaged file) it reads the whole journal, as
 * before checkpoints existed. See {@code README.md} in this directory.
 *
 * <p>Owns the thread {@code floorgate-checkpoint}. Close it before the journal.
 */
public final class Checkpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  /** The file in the journal's directory. */
  public static final String FILE = "checkpoint.json";

  /** How often the checkpoint is brought up to date while the gateway runs. */
  public static final Duration EVERY = Duration.ofMinutes(5);

  private final Journal journal;
  private final Path file;
  private final int maxEvents;
  private final WindowReplay window;
  private final AlarmHistory alarms;
  private final Object lock = new Object();
  private @Nullable ScheduledExecutorService thread;
  /** Index of the last record fed to the folds; -1 before the first. */
  private long lastIndex;
  /** {@link #describe} of that record. */
  private String lastRecord;
  /** SHA-256 and index of the last rules record fed; {@code ""} and -1 before one. */
  private String rulesSha256;
  private long rulesIndex;
  /** Index of the first record fed since the last checkpoint was written; -1 when none. */
  private long unwrittenFrom = -1;
  /** Index of the last record the checkpoint on disk covers; -1 when there is none. */
  private long checkpointed;
  private boolean failing;
  /** {@link #close()} began: {@link #start()} starts nothing. */
  private boolean closing;
  /** {@link #close()} wrote its checkpoint: {@link #checkpoint()} writes nothing more. */
  private boolean closed;
  /** What the start recovered; set once by {@link #recover}. */
  private Recovered recovered = new Recovered(List.of(), List.of(), "", false, 0);

  private record Recovered(
      List<WindowReplay.Entry> window,
      List<AlarmHistory.Entry> alarms,
      String rulesSha256,
      boolean fromCheckpoint,
      long recordsRead) {}

  private Checkpointer(Journal journal, int maxEvents, @Nullable Checkpoint from) {
    this.journal = journal;
    this.file = journal.dir().resolve(FILE);
    this.maxEvents = maxEvents;
    if (from == null) {
      this.window = new WindowReplay(maxEvents);
      this.alarms = new AlarmHistory();
      this.lastIndex = -1;
      this.lastRecord = "";
      this.rulesSha256 = "";
      this.rulesIndex = -1;
    } else {
      this.window = WindowReplay.of(maxEvents, from.window());
      this.alarms = AlarmHistory.of(from.alarms());
      this.lastIndex = from.index();
      this.lastRecord = from.record();
      this.rulesSha256 = from.rulesSha256();
      this.rulesIndex = from.rulesIndex();
    }
    this.checkpointed = lastIndex;
  }

  /**
   * Reads the checkpoint (when usable) and every record after it, to the journal's end; logs
   * what it read on one line (a warning when a checkpoint was there but could not be used).
   *
   * @param maxEvents the window's {@code max_events}
   */
  public static Checkpointer recover(Journal journal, int maxEvents) {
    long started = System.nanoTime();
    Path file = journal.dir().resolve(FILE);
    String unusable = null;
    boolean expired = false;
    Checkpointer checkpointer = null;
    try {
      Checkpoint checkpoint = Checkpoint.read(file);
      expired = checkpoint.check(journal, maxEvents);
      checkpointer = new Checkpointer(journal, maxEvents, checkpoint);
    } catch (NoSuchFileException e) {
      // the first start, or the first since checkpoints exist
    } catch (IOException | RuntimeException e) {
      // Whatever is wrong with it, the whole journal is still there to read.
      unusable = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    if (checkpointer == null) {
      checkpointer = new Checkpointer(journal, maxEvents, null);
    }
    long from = checkpointer.lastIndex;
    long records;
    synchronized (checkpointer.lock) {
      records = checkpointer.feedTail();
      checkpointer.recovered =
          new Recovered(
              checkpointer.window.entries(),
              checkpointer.alarms.entries(),
              checkpointer.journaledRulesSha256(),
              from >= 0,
              records);
    }
    Recovered got = checkpointer.recovered;
    long millis = (System.nanoTime() - started) / 1_000_000;
    String read =
        from < 0
            ? "all " + records + " record(s)"
            : "the checkpoint at index "
                + Long.toHexString(from)
                + (expired ? " (whose day retention has deleted)" : "")
                + " and the "
                + records
                + " record(s) after it";
    if (unusable == null) {
      LOG.info(
          "journal {}: recovered {} window event(s) and {} open alarm(s) from {} in {} ms",
          journal.dir(),
          got.window().size(),
          got.alarms().size(),
          read,
          millis);
    } else {
      LOG.warn(
          "journal {}: {} not used ({}); recovered {} window event(s) and {} open alarm(s) from"
              + " {} in {} ms",
          journal.dir(),
          file.getFileName(),
          unusable,
          got.window().size(),
          got.alarms().size(),
          read,
          millis);
    }
    return checkpointer;
  }

  /** The window's events as recovered, oldest first; for {@code EventManager.open}. */
  public List<WindowReplay.Entry> window() {
    return recovered.window();
  }

  /** The alarms that were not normal, as recovered; for {@code Ingest.restoreAlarms}. */
  public List<AlarmHistory.Entry> alarms() {
    return recovered.alarms();
  }

  boolean fromCheckpoint() {
    return recovered.fromCheckpoint();
  }

  long recordsRead() {
    return recovered.recordsRead();
  }

  /**
   * The SHA-256 of the last rule file the journal recorded when recovered, {@code ""} when it
   * recorded none; for {@code RuleReloader.start}, which journals the rule file when it differs.
   */
  public String rulesSha256() {
    return recovered.rulesSha256();
  }

  /**
   * Starts {@code floorgate-checkpoint}: a checkpoint now (when the recovery read records the
   * checkpoint did not cover) and every {@link #EVERY} after.
   */
  public void start() {
    synchronized (lock) {
      if (closing || thread != null) {
        return;
      }
      ScheduledExecutorService started =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "floorgate-checkpoint");
                t.setDaemon(true);
                return t;
              });
      started.scheduleWithFixedDelay(
          this::checkpointQuietly, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
      thread = started;
    }
  }

  /**
   * Reads the records appended since the last checkpoint and, when there were any, forces the
   * journal to disk (a checkpoint never covers a record the disk may not have) and writes a new
   * checkpoint.
   *
   * @return true when a checkpoint was written
   * @throws IOException when the file cannot be written
   */
  boolean checkpoint() throws IOException {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      long started = System.nanoTime();
      long fed = feedTail();
      if (lastIndex < 0 || lastIndex == checkpointed) {
        return false;
      }
      journal.forceThrough(unwrittenFrom, lastIndex);
      new Checkpoint(
              lastIndex,
              lastRecord,
              maxEvents,
              rulesSha256,
              rulesIndex,
              window.entries(),
              alarms.entries())
          .write(file);
      checkpointed = lastIndex;
      unwrittenFrom = -1;
      LOG.debug(
          "journal {}: checkpoint at index {} after {} record(s) in {} ms",
          journal.dir(),
          Long.toHexString(lastIndex),
          fed,
          (System.nanoTime() - started) / 1_000_000);
      return true;
    }
  }

  /** Feeds the folds every record after the last one fed; returns how many. Under the lock. */
  private long feedTail() {
    long fed = 0;
    @Nullable JournalRecord last = null;
    try (JournalReader reader = journal.reader()) {
      // Normally the last record fed is still there (the loop skips it); if retention took
      // its day, every record left is later than it.
      if (lastIndex >= 0) {
        reader.moveTo(lastIndex);
      }
      for (Optional<JournalEntry> next = reader.next(); next.isPresent(); next = reader.next()) {
        JournalEntry entry = next.get();
        if (entry.index() <= lastIndex) {
          continue;
        }
        window.accept(entry);
        alarms.accept(entry);
        if (entry.record() instanceof JournalRecord.RulesRecord rules) {
          rulesSha256 = rules.sha256();
          rulesIndex = entry.index();
        }
        if (unwrittenFrom < 0) {
          unwrittenFrom = entry.index();
        }
        lastIndex = entry.index();
        last = entry.record();
        fed++;
      }
    } finally {
      // Once, not for each of a million records at start-up; also when a read failed partway,
      // so that the next checkpoint names the record at lastIndex.
      if (last != null) {
        lastRecord = describe(last);
      }
    }
    return fed;
  }

  private void checkpointQuietly() {
    try {
      checkpoint();
      if (failing) {
        failing = false;
        LOG.info("journal {}: {} written again", journal.dir(), file.getFileName());
      }
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        failing = true; // logged once until it works again
        LOG.warn(
            "journal {}: cannot write {} ({}); the next start reads the journal from the last"
                + " checkpoint written",
            journal.dir(),
            file.getFileName(),
            e.toString());
      }
    }
  }

  /**
   * The last rules record's SHA-256, or {@code ""} when there is none or retention has deleted
   * it: the rule reloader then journals the rule file again, so the journal always holds the
   * rules in force.
   */
  private String journaledRulesSha256() {
    if (rulesIndex < 0) {
      return "";
    }
    try (JournalReader reader = journal.reader()) {
      return reader.moveTo(rulesIndex) ? rulesSha256 : "";
    }
  }

  /**
   * Names a record so that a checkpoint can tell that the journal still holds it: its type and
   * what identifies it.
   */
  static String describe(JournalRecord record) {
    if (record instanceof JournalRecord.EventRecord e) {
      return "event " + e.eventId();
    } else if (record instanceof JournalRecord.AckRecord a) {
      return "ack " + a.eventId() + " at " + a.atMicros();
    } else if (record instanceof JournalRecord.ClearRecord c) {
      return "clear " + c.cutoffMicros() + " at " + c.atMicros();
    } else if (record instanceof JournalRecord.RulesRecord r) {
      return "rules " + r.sha256() + " at " + r.atMicros();
    }
    throw new IllegalArgumentException("unknown record " + record);
  }

  /**
   * Stops the thread (waiting up to 10 s for a checkpoint under way) and writes the last
   * checkpoint, so that the next start reads nothing but it. Idempotent.
   */
  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (lock) {
      if (closing) {
        return;
      }
      closing = true;
      running = thread;
      thread = null;
    }
    if (running != null) {
      running.shutdown(); // never interrupted: an interrupt closes a FileChannel mid-write
      try {
        if (!running.awaitTermination(10, TimeUnit.SECONDS)) {
          LOG.warn("journal {}: the checkpoint under way did not finish in 10 s", journal.dir());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    checkpointQuietly();
    synchronized (lock) {
      closed = true;
    }
  }
}
