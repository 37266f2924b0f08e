package io.floorgate.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, append-only log of everything the event system accepted: events, acknowledgements
 * and clears, in one Chronicle Queue with daily files ({@code 20261129F.cq4}).
 *
 * <p>Threads: {@link #append} may be called from any thread. Each calling thread gets its own
 * Chronicle appender (appenders are not thread-safe and are never shared); appends are serialised
 * and {@link #append} returns the record's index once it is in the mapped file, which survives a
 * crash of the process. {@link #awaitDurable} waits until it is on disk as {@link SyncPolicy} says.
 * Readers ({@link #reader()}, {@link #cursor}) belong to the thread that uses them. One background
 * thread, {@code floorgate-journal}, forces batches to disk and deletes expired days.
 *
 * <p>See {@code README.md} beside this class for the record format and the guarantees.
 */
public final class Journal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final DateTimeFormatter CYCLE_FILE = DateTimeFormatter.ofPattern("yyyyMMdd'F'");
  private static final String SUFFIX = ".cq4";

  /**
   * The largest record the journal takes, encoded, in bytes (4 MiB): Chronicle gives each document
   * at most the overlap of its mapped blocks, a quarter of a block. A rule file's whole text is one
   * record, so rule files are held to less ({@code RuleFile.MAX_BYTES}).
   */
  public static final int MAX_RECORD_BYTES = 4 << 20;

  /**
   * Chronicle maps a day's file one block (plus its overlap) at a time and unmaps a block once no
   * appender or reader is in it; every page written stays resident while its block is mapped. Its
   * default block, 64 MiB, let the journal's pages alone reach ~140 MiB of the process's RSS
   * (two blocks mapped); 16 MiB holds them under ~40 MiB. Files written with other block sizes
   * read and append as before: the block size is how the file is mapped, not how it is laid out.
   */
  static final long BLOCK_BYTES = 4L * MAX_RECORD_BYTES;

  static {
    // The journal forces its files with FileChannel.force, never with Chronicle's own msync
    // (its SyncMode stays NONE), so Chronicle needs no native POSIX calls. Without this its Jvm
    // class binds them with jnr-ffi when it first loads: ~0.4 s of every start-up.
    PosixAPI.useNoOpPosixApi();
  }

  private final JournalOptions options;
  private final SingleChronicleQueue queue;
  private final ReentrantLock appendLock = new ReentrantLock();
  /** What each appending thread owns: its appender (created under the lock) and its buffer. */
  private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(Writer::new);
  private final List<ExcerptAppender> appenders = new CopyOnWriteArrayList<>();
  private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();
  private final List<JournalCursor> cursors = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService maintenance;

  // Sync bookkeeping, guarded by appendLock (writes) and syncLock (forcing).
  private final ReentrantLock syncLock = new ReentrantLock();
  private final AtomicLong appended = new AtomicLong();
  private volatile long synced;
  private volatile boolean newFileSinceSync;
  private volatile File currentFile;
  /** Files rolled away from since the last sync: forced once more, then forgotten. */
  private final Set<File> rolledFiles = ConcurrentHashMap.newKeySet();
  private int lastCycle = Integer.MIN_VALUE;

  /** The real disk, or in a test one that refuses. */
  private final Disk disk;
  private final AtomicLong syncFailures = new AtomicLong();
  /** When a refused force was last logged (nanoTime), 0 for never: {@link #reportSyncFailure}. */
  private volatile long syncFailureLogged;

  private volatile boolean closed;
  private volatile java.util.function.LongConsumer appendObserver = nanos -> {};

  private Journal(JournalOptions options, SingleChronicleQueue queue, Disk disk) {
    this.options = options;
    this.queue = queue;
    this.disk = disk;
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "floorgate-journal");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Opens (or creates) the journal in {@code options.dir()}, deletes expired days and starts the
   * background sync.
   *
   * @throws UncheckedIOException when the directory cannot be created or opened
   */
  public static Journal open(JournalOptions options) {
    return open(options, Disk.REAL);
  }

  /** {@link #open(JournalOptions)} on {@code disk}: tests give it one that refuses. */
  static Journal open(JournalOptions options, Disk disk) {
    Path dir = options.dir().toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create journal directory " + dir + ": " + e, e);
    }
    if (!Files.isWritable(dir)) {
      throw new UncheckedIOException(
          new IOException("journal directory " + dir + " is not writable"));
    }
    SingleChronicleQueue queue =
        SingleChronicleQueueBuilder.binary(dir.toFile())
            .rollCycle(RollCycles.FAST_DAILY)
            .blockSize(BLOCK_BYTES)
            .build();
    Journal journal = new Journal(options, queue, disk);
    journal.purgeExpired();
    if (options.sync() == SyncPolicy.BATCH) {
      long every = options.syncInterval().toNanos();
      journal.maintenance.scheduleWithFixedDelay(
          journal::syncQuietly, every, every, TimeUnit.NANOSECONDS);
    }
    if (options.retentionDays() > 0) {
      journal.maintenance.scheduleWithFixedDelay(
          journal::purgeQuietly, 1, 1, TimeUnit.HOURS);
    }
    return journal;
  }

  /** Receives each append's duration in nanoseconds (for metrics); called under the append lock. */
  public void onAppend(java.util.function.LongConsumer observer) {
    this.appendObserver = observer;
  }

  /**
   * Whether a new file can be created in the journal's directory now (a probe file is created and
   * deleted): false when the disk is full or the directory is not writable. Appends into today's
   * file may still work; tomorrow's file could not be created.
   */
  public boolean writable() {
    Path probe = options.dir().resolve(".floorgate-probe");
    try {
      Files.deleteIfExists(probe);
      Files.write(probe, new byte[] {1});
      Files.delete(probe);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public Path dir() {
    return options.dir();
  }

  public JournalOptions options() {
    return options;
  }

  /**
   * Appends a record and returns its index. On return the record is in the mapped file: a crash
   * of the process does not lose it; see {@link #awaitDurable} for power loss.
   *
   * @throws IllegalStateException when the journal is closed
   * @throws IllegalArgumentException when the record, encoded, is larger than {@link
   *     #MAX_RECORD_BYTES}; nothing is appended
   */
  public long append(JournalRecord record) {
    Writer writer = writers.get();
    RecordCodec.Scratch encoded = writer.scratch;
    int length = RecordCodec.encodeInto(record, encoded);
    if (length > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException(
          "journal "
              + options.dir()
              + ": a record of "
              + length
              + " bytes ("
              + record
              + ") is larger than the "
              + MAX_RECORD_BYTES
              + " bytes the journal takes");
    }
    appendLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("journal " + options.dir() + " is closed");
      }
      ExcerptAppender out = writer.appender;
      if (out == null) {
        out = queue.createAppender();
        writer.appender = out;
        appenders.add(out);
      }
      long started = System.nanoTime();
      try {
        disk.beforeAppend(options.dir());
      } catch (IOException e) {
        throw new JournalUnavailableException(
            "journal " + options.dir() + " cannot append: " + e, e);
      }
      try (DocumentContext dc = out.writingDocument()) {
        dc.wire().bytes().write(encoded.buf, 0, length);
      } catch (RuntimeException e) {
        throw new JournalUnavailableException(
            "journal " + options.dir() + " cannot append: " + e, e);
      }
      appendObserver.accept(System.nanoTime() - started);
      int cycle = out.cycle();
      if (cycle != lastCycle) {
        lastCycle = cycle;
        File previous = currentFile;
        if (previous != null) {
          rolledFiles.add(previous);
        }
        currentFile = out.currentFile();
        newFileSinceSync = true;
      }
      appended.incrementAndGet();
      return out.lastIndexAppended();
    } finally {
      appendLock.unlock();
      wakeReaders();
    }
  }

  /**
   * Waits until everything appended so far is as durable as the sync policy promises before
   * {@code publish} returns: for {@link SyncPolicy#ALWAYS}, forced to disk (one fsync serves every
   * thread waiting at the time); for the others, nothing to wait for.
   *
   * <p>When the disk refuses the force, the records are appended all the same (they are in the
   * mapped file, and appending them again would journal them twice): the failure is counted
   * ({@link #syncFailures}) and logged, at most every 30 s, and this returns normally, so that a
   * caller publishing several events in a row journals and delivers every one of them. The next
   * call forces again.
   */
  public void awaitDurable() {
    if (options.sync() != SyncPolicy.ALWAYS) {
      return;
    }
    long target = appended.get();
    if (synced >= target) {
      return;
    }
    try {
      sync(target);
    } catch (UncheckedIOException e) {
      reportSyncFailure(e);
    }
  }

  /** Logs a refused force, at most every 30 s: a failing disk refuses every one. */
  private void reportSyncFailure(UncheckedIOException e) {
    long now = System.nanoTime();
    long logged = syncFailureLogged;
    if (logged == 0 || now - logged > TimeUnit.SECONDS.toNanos(30)) {
      syncFailureLogged = now;
      LOG.error(
          "journal {}: records were appended but the disk did not confirm them ({} failed"
              + " force(s) so far; check the disk: Linux may drop a write it failed even"
              + " without a power cut): {}",
          options.dir(),
          syncFailures.get(),
          e.getMessage());
    }
  }

  /** Forces of the journal's files that the disk refused, since it opened (any sync policy). */
  public long syncFailures() {
    return syncFailures.get();
  }

  /** Forces every record appended so far to disk, whatever the policy. */
  public void sync() {
    sync(appended.get());
  }

  /**
   * Forces to disk the daily files that hold the records from {@code fromIndex} to {@code
   * toIndex}, whichever process appended them ({@link #sync()} covers this process's appends
   * only, and a restarted gateway reads what a crashed one appended), then the cursors' file and
   * the directory.
   */
  public void forceThrough(long fromIndex, long toIndex) {
    ensureOpen();
    if (fromIndex < 0 || fromIndex > toIndex) {
      throw new IllegalArgumentException(
          "cannot force indexes " + Long.toHexString(fromIndex) + " to " + Long.toHexString(toIndex));
    }
    int first = queue.rollCycle().toCycle(fromIndex);
    int last = queue.rollCycle().toCycle(toIndex);
    syncLock.lock();
    try {
      for (int cycle = first; cycle <= last; cycle++) {
        force(options.dir().resolve(CYCLE_FILE.format(LocalDate.ofEpochDay(cycle)) + SUFFIX));
      }
      force(options.dir().resolve("metadata.cq4t"));
      forceDirectory(options.dir());
    } finally {
      syncLock.unlock();
    }
  }

  private void sync(long target) {
    syncLock.lock();
    try {
      if (synced >= target) {
        return; // another thread's fsync covered us
      }
      // Read the count first: every record it covers already updated the files below.
      long covering = appended.get();
      boolean newFile = newFileSinceSync;
      newFileSinceSync = false;
      try {
        for (File rolled : List.copyOf(rolledFiles)) {
          force(rolled.toPath());
          rolledFiles.remove(rolled);
        }
        File current = currentFile;
        if (current != null) {
          force(current.toPath());
        }
        force(options.dir().resolve("metadata.cq4t"));
      } catch (RuntimeException e) {
        // The new file's directory entry is still to be forced, by the next sync. (Only ever set
        // here: an append may have set it meanwhile.)
        if (newFile) {
          newFileSinceSync = true;
        }
        throw e;
      }
      if (newFile) {
        forceDirectory(options.dir());
      }
      synced = covering;
    } finally {
      syncLock.unlock();
    }
  }

  private void force(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    try {
      disk.force(file);
    } catch (IOException e) {
      syncFailures.incrementAndGet();
      throw new UncheckedIOException("cannot force " + file + " to disk: " + e.getMessage(), e);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems refuse fsync on a directory; the files themselves were forced.
      LOG.debug("cannot force directory {}: {}", dir, e.toString());
    }
  }

  private void syncQuietly() {
    try {
      if (!closed && synced < appended.get()) {
        sync();
      }
    } catch (UncheckedIOException e) {
      reportSyncFailure(e);
    } catch (RuntimeException e) {
      LOG.error("journal {}: background sync failed: {}", options.dir(), e.getMessage());
    }
  }

  private static final class Writer {
    final RecordCodec.Scratch scratch = new RecordCodec.Scratch();
    ExcerptAppender appender;
  }

  /** A reader from the first record, not persisted. For the calling thread only. */
  public JournalReader reader() {
    ensureOpen();
    return new JournalReader(this, queue);
  }

  /**
   * A named cursor whose position survives restarts (Chronicle named tailer). For one thread only;
   * names are unique per consumer ({@code alerts}, {@code bridge}).
   */
  public JournalCursor cursor(String name) {
    ensureOpen();
    JournalCursor cursor = new JournalCursor(this, queue, name);
    cursors.add(cursor);
    return cursor;
  }

  void forget(JournalCursor cursor) {
    cursors.remove(cursor);
  }

  /** Index of the last record, or -1 when the journal is empty. */
  public long lastIndex() {
    ensureOpen();
    long last = queue.lastIndex();
    return last < 0 ? -1 : last;
  }

  /**
   * When retention deletes the daily file that holds record {@code index}: the start (UTC, on the
   * journal's clock) of the first day on which that file is older than {@code retention_days}
   * full days; the hourly purge deletes it within the following hour. Empty when retention is off.
   */
  public java.util.Optional<java.time.Instant> retentionDeadline(long index) {
    if (options.retentionDays() <= 0) {
      return java.util.Optional.empty();
    }
    long day = queue.rollCycle().toCycle(index); // daily cycles: days since the epoch
    return java.util.Optional.of(
        LocalDate.ofEpochDay(day + options.retentionDays() + 1)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant());
  }

  /** Number of records from {@code fromIndex} (inclusive) to the end. */
  public long countFrom(long fromIndex) {
    ensureOpen();
    long last = queue.lastIndex();
    if (last < 0 || fromIndex > last) {
      return 0;
    }
    long first = Math.max(fromIndex, queue.firstIndex());
    return queue.countExcerpts(first, last) + 1;
  }

  /** Total size of the journal's files in bytes (sparse files count their allocated size). */
  public long sizeBytes() {
    long total = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(options.dir())) {
      for (Path file : files) {
        total += Files.size(file);
      }
    } catch (IOException e) {
      LOG.debug("cannot size journal {}: {}", options.dir(), e.toString());
    }
    return total;
  }

  /**
   * Waits up to {@code timeoutNanos} for a record to be appended in this process after the caller
   * found nothing to read. Records appended by other processes are seen at the next poll.
   */
  void awaitAppend(long timeoutNanos) {
    Thread me = Thread.currentThread();
    waiters.add(me);
    try {
      LockSupport.parkNanos(this, timeoutNanos);
    } finally {
      waiters.remove(me);
    }
  }

  private void wakeReaders() {
    if (!waiters.isEmpty()) {
      for (Thread waiter : waiters) {
        LockSupport.unpark(waiter);
      }
    }
  }

  /**
   * Deletes the daily files older than {@code retention_days} full days (today's file and the
   * last {@code retention_days} days are kept). A cursor still behind a deleted day would skip its
   * unread records: that is logged as an error naming the cursor.
   *
   * @return the files deleted
   */
  public List<Path> purgeExpired() {
    if (options.retentionDays() <= 0) {
      return List.of();
    }
    LocalDate today = LocalDate.now(options.clock().withZone(ZoneOffset.UTC));
    LocalDate oldestKept = today.minusDays(options.retentionDays());
    List<Path> deleted = new ArrayList<>();
    Set<String> warned = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(options.dir(), "*" + SUFFIX)) {
      for (Path file : files) {
        LocalDate day = dayOf(file);
        if (day == null || !day.isBefore(oldestKept)) {
          continue;
        }
        int cycle = (int) day.toEpochDay();
        for (JournalCursor cursor : cursors) {
          long position = cursor.position();
          if (position >= 0
              && queue.rollCycle().toCycle(position) <= cycle
              && warned.add(cursor.name())) {
            LOG.error(
                "journal {}: retention ({} days) deletes {} while cursor '{}' has not read it;"
                    + " its unread records there are skipped",
                options.dir(),
                options.retentionDays(),
                file.getFileName(),
                cursor.name());
          }
        }
        Files.deleteIfExists(file);
        deleted.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "journal " + options.dir() + ": retention failed: " + e.getMessage(), e);
    }
    if (!deleted.isEmpty()) {
      queue.refreshDirectoryListing();
      LOG.info(
          "journal {}: retention ({} days) deleted {} file(s): {}",
          options.dir(),
          options.retentionDays(),
          deleted.size(),
          deleted.stream().map(p -> p.getFileName().toString()).toList());
    }
    return deleted;
  }

  private void purgeQuietly() {
    try {
      purgeExpired();
    } catch (RuntimeException e) {
      LOG.error("{}", e.getMessage());
    }
  }

  private static LocalDate dayOf(Path file) {
    String name = file.getFileName().toString();
    try {
      return LocalDate.parse(name.substring(0, name.length() - SUFFIX.length()), CYCLE_FILE);
    } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
      return null;
    }
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("journal " + options.dir() + " is closed");
    }
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Forces what was appended to disk (unless the policy is {@code none}), then closes the queue.
   * Idempotent. Appends after close throw.
   */
  @Override
  public void close() {
    appendLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      appendLock.unlock();
    }
    // shutdown, not shutdownNow: an interrupt during fsync would close the channel under it.
    maintenance.shutdown();
    try {
      maintenance.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (options.sync() != SyncPolicy.NONE) {
      try {
        sync();
      } catch (RuntimeException e) {
        LOG.error("journal {}: final sync failed: {}", options.dir(), e.getMessage());
      }
    }
    for (JournalCursor cursor : cursors) {
      cursor.closeQuietly();
    }
    for (ExcerptAppender out : appenders) {
      out.singleThreadedCheckReset();
      out.close();
    }
    queue.close();
    wakeReaders();
  }
}
