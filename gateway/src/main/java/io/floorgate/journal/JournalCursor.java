package io.floorgate.journal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named, persisted read position (a Chronicle named tailer): after a restart, even after {@code
 * kill -9}, it resumes at the first record it had not committed. A consumer that commits only
 * after its work succeeded gets every record at least once.
 *
 * <p>For one thread only: the one that calls {@link #poll}. {@link #position()} may be read from
 * any thread.
 */
public final class JournalCursor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalCursor.class);

  private final Journal journal;
  private final SingleChronicleQueue queue;
  private final String name;
  private ExcerptTailer tailer;
  private volatile long position = -1;
  private volatile boolean closed;

  JournalCursor(Journal journal, SingleChronicleQueue queue, String name) {
    if (!name.matches("[a-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          "cursor name must be 1 to 64 of [a-z0-9_-], but was '" + name + "'");
    }
    this.journal = journal;
    this.queue = queue;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /**
   * Reads the next record and hands it to {@code handler}. The cursor moves past it only when the
   * handler returns true; when it returns false or throws, the same record comes again at the
   * next poll. A corrupt record is skipped with a warning.
   *
   * @return true when a record was consumed (or skipped), false when there was none or the
   *     handler declined it
   */
  public boolean poll(Predicate<JournalEntry> handler) {
    journal.ensureOpen();
    ExcerptTailer in = tailer();
    try (DocumentContext dc = in.readingDocument()) {
      if (!dc.isPresent()) {
        position = in.index();
        return false;
      }
      long index = dc.index();
      JournalRecord record = JournalReader.decode(dc, index, journal);
      if (record == null) {
        return true;
      }
      boolean done = false;
      try {
        done = handler.test(new JournalEntry(index, record));
      } finally {
        if (!done) {
          dc.rollbackOnClose();
        }
      }
      return done;
    } finally {
      position = in.index();
    }
  }

  /** Waits up to {@code timeout} for a new record when {@link #poll} found none. */
  public void await(long timeout, TimeUnit unit) {
    journal.awaitAppend(unit.toNanos(timeout));
  }

  /** Index of the next record this cursor will read, or -1 before its first poll. */
  public long position() {
    return position;
  }

  /** Records appended but not yet consumed by this cursor. */
  public long lag() {
    long at = position;
    return at < 0 ? journal.countFrom(0) : journal.countFrom(at);
  }

  /**
   * Moves the cursor back over the records it passed within {@code window} (by their timestamps)
   * before its current position, so they are read again: after a crash, what was handed on just
   * before it may not have reached its destination. Call from the owning thread, before polling.
   *
   * @return how many records will be read again
   */
  public long rewind(Duration window) {
    journal.ensureOpen();
    ExcerptTailer named = tailer();
    long current = named.index();
    long target = current;
    long newest = Long.MIN_VALUE;
    long seen = 0;
    try (ExcerptTailer back = queue.createTailer()) {
      back.direction(TailerDirection.BACKWARD);
      // At `current` (the next unread record) or, when everything was read, at the last record.
      if (!back.moveToIndex(current)) {
        back.toEnd();
      }
      while (true) {
        try (DocumentContext dc = back.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          long index = dc.index();
          if (index >= current) {
            continue;
          }
          JournalRecord record = JournalReader.decode(dc, index, journal);
          if (record == null) {
            continue;
          }
          long at = timestampMicros(record);
          if (newest == Long.MIN_VALUE) {
            newest = at;
          }
          if (at < newest - window.toNanos() / 1000) {
            break;
          }
          target = index;
          seen++;
        }
      }
    }
    if (target != current) {
      named.moveToIndex(target);
      position = named.index();
    }
    return seen;
  }

  private static long timestampMicros(JournalRecord record) {
    if (record instanceof JournalRecord.EventRecord event) {
      return event.timestampMicros();
    }
    if (record instanceof JournalRecord.AckRecord ack) {
      return ack.atMicros();
    }
    if (record instanceof JournalRecord.RulesRecord rules) {
      return rules.atMicros();
    }
    return ((JournalRecord.ClearRecord) record).atMicros();
  }

  private ExcerptTailer tailer() {
    if (tailer == null) {
      tailer = queue.createTailer(name);
      position = tailer.index();
    }
    return tailer;
  }

  void closeQuietly() {
    if (closed) {
      return;
    }
    closed = true;
    if (tailer != null) {
      try {
        tailer.singleThreadedCheckReset();
        tailer.close();
      } catch (RuntimeException e) {
        LOG.debug("closing cursor {}: {}", name, e.toString());
      }
    }
  }

  /** Closes the cursor; its position stays persisted. Call from the owning thread. */
  @Override
  public void close() {
    closeQuietly();
    journal.forget(this);
  }
}
