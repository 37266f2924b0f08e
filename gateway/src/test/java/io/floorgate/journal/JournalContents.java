package io.floorgate.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a journal holds, read from its first record: for tests that check what was journaled. */
public final class JournalContents {
  private JournalContents() {}

  /** Every entry, in journal order. */
  public static List<JournalEntry> entries(Journal journal) {
    List<JournalEntry> entries = new ArrayList<>();
    try (JournalReader reader = journal.reader()) {
      for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        entries.add(e.get());
      }
    }
    return entries;
  }

  /** Every record, in journal order. */
  public static List<JournalRecord> records(Journal journal) {
    return entries(journal).stream().map(JournalEntry::record).toList();
  }
}
