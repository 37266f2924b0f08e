package io.floorgate.journal;

/**
 * A record and where it is in the journal.
 *
 * @param index the Chronicle Queue index (cycle and sequence), increasing in journal order
 * @param record the record
 */
public record JournalEntry(long index, JournalRecord record) {}
