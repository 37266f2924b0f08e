package io.floorgate.journal;

import java.util.Arrays;

/**
 * What the journal holds. The journal knows nothing of the event system: an event is its id,
 * timestamp, category and severity (for reading without parsing) and its JSON.
 */
public sealed interface JournalRecord
    permits JournalRecord.EventRecord,
        JournalRecord.AckRecord,
        JournalRecord.ClearRecord,
        JournalRecord.RulesRecord {

  /**
   * An accepted event.
   *
   * @param timestampMicros the event's timestamp, microseconds since the epoch
   * @param eventId its {@code event_id}
   * @param category its category value ({@code threshold})
   * @param severity its severity value ({@code warning})
   * @param json the event's JSON (the seed's {@code to_dict}), UTF-8
   */
  record EventRecord(
      long timestampMicros, String eventId, String category, String severity, byte[] json)
      implements JournalRecord {
    @Override
    public boolean equals(Object o) {
      return o instanceof EventRecord other
          && timestampMicros == other.timestampMicros
          && eventId.equals(other.eventId)
          && category.equals(other.category)
          && severity.equals(other.severity)
          && Arrays.equals(json, other.json);
    }

    @Override
    public int hashCode() {
      return eventId.hashCode();
    }

    @Override
    public String toString() {
      return "EventRecord{" + eventId + " " + severity + "/" + category + "}";
    }
  }

  /**
   * An event was acknowledged.
   *
   * @param atMicros when, microseconds since the epoch
   * @param eventId which event
   */
  record AckRecord(long atMicros, String eventId) implements JournalRecord {}

  /**
   * Events were cleared from the in-memory window ({@code clear_events}).
   *
   * @param atMicros when, microseconds since the epoch
   * @param cutoffMicros events with a timestamp before this were cleared; {@link Long#MAX_VALUE}
   *     for all
   */
  record ClearRecord(long atMicros, long cutoffMicros) implements JournalRecord {
    public boolean all() {
      return cutoffMicros == Long.MAX_VALUE;
    }
  }

  /**
   * A rule file was applied: the whole text, so the rule history can be read and reverted.
   *
   * @param atMicros when, microseconds since the epoch
   * @param who who changed it (the HTTP user, or {@code file} for an edit on disk)
   * @param sha256 the text's SHA-256, hex
   * @param text the rule file as applied, UTF-8
   */
  record RulesRecord(long atMicros, String who, String sha256, byte[] text)
      implements JournalRecord {
    @Override
    public boolean equals(Object o) {
      return o instanceof RulesRecord other
          && atMicros == other.atMicros
          && who.equals(other.who)
          && sha256.equals(other.sha256)
          && Arrays.equals(text, other.text);
    }

    @Override
    public int hashCode() {
      return sha256.hashCode();
    }

    @Override
    public String toString() {
      return "RulesRecord{" + sha256 + " by " + who + "}";
    }
  }
}
