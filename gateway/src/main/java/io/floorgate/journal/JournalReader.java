package io.floorgate.journal;

import java.util.Optional;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal in order from the first record (or an index). Not persisted; for the thread
 * that created it.
 *
 * <p>A record that fails its checksum is skipped with one warning. A tail that Chronicle cannot
 * read at all (overwritten framing after a crash) ends the reading with one warning: everything
 * before it is still delivered.
 */
public final class JournalReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);

  private final Journal journal;
  private final ExcerptTailer tailer;
  private long skipped;
  private long unreadableAt = Long.MIN_VALUE;

  JournalReader(Journal journal, SingleChronicleQueue queue) {
    this.journal = journal;
    this.tailer = queue.createTailer();
  }

  /** Moves to {@code index}; returns false (and stays) when no record has that index. */
  public boolean moveTo(long index) {
    return tailer.moveToIndex(index);
  }

  /** Moves past the last record: {@link #next()} then returns only new records. */
  public JournalReader toEnd() {
    tailer.toEnd();
    return this;
  }

  /** The next record, or empty at the end. */
  public Optional<JournalEntry> next() {
    journal.ensureOpen();
    while (true) {
      long at = tailer.index();
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          return Optional.empty();
        }
        long index = dc.index();
        JournalRecord record = decode(dc, index, journal);
        if (record == null) {
          skipped++;
          continue;
        }
        return Optional.of(new JournalEntry(index, record));
      } catch (RuntimeException e) {
        if (e instanceof IllegalStateException && journal.isClosed()) {
          throw e;
        }
        if (unreadableAt != at) {
          unreadableAt = at;
          LOG.warn(
              "journal {}: cannot read past index {} ({}); treating it as the end of the journal",
              journal.dir(),
              Long.toHexString(at),
              e.toString());
        }
        return Optional.empty();
      }
    }
  }

  /** Records skipped because they failed their checksum. */
  public long skipped() {
    return skipped;
  }

  /** Index of the next record to read. */
  public long position() {
    return tailer.index();
  }

  @Override
  public void close() {
    tailer.close();
  }

  /** Decodes the document's record; null (after one warning) when it is corrupt. */
  static @Nullable JournalRecord decode(DocumentContext dc, long index, Journal journal) {
    Bytes<?> bytes = dc.wire().bytes();
    byte[] data = new byte[(int) bytes.readRemaining()];
    bytes.read(data);
    try {
      return RecordCodec.decode(data);
    } catch (CorruptRecordException e) {
      LOG.warn(
          "journal {}: skipping corrupt record at index {}: {}",
          journal.dir(),
          Long.toHexString(index),
          e.getMessage());
      return null;
    }
  }
}
