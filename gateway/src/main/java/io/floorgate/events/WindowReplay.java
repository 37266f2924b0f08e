package io.floorgate.events;

import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * The event window as a replay of the journal leaves it, without the events' JSON: which records
 * hold the window's events, in window order, and which of them were acknowledged. It applies the
 * rules the live {@link EventManager} applies (append, evict the oldest beyond {@code max_events},
 * acknowledge, clear), so it can be fed the journal record by record, saved, and fed on from where
 * it was saved: a start-up then reads only the records that follow.
 *
 * <p>Not thread-safe: one thread feeds it.
 */
public final class WindowReplay {

  /**
   * One event of the window.
   *
   * @param eventId its {@code event_id}
   * @param timestampMicros the timestamp of its first record (clears compare it; republishing an
   *     id keeps the event's place)
   * @param index the journal index of its latest record, whose JSON is the event
   * @param acknowledged whether an acknowledgement record followed that record
   */
  public record Entry(String eventId, long timestampMicros, long index, boolean acknowledged) {
    public Entry {
      Objects.requireNonNull(eventId, "eventId");
    }
  }

  private static final class Slot {
    final long timestampMicros;
    long index;
    boolean acknowledged;

    Slot(long timestampMicros, long index, boolean acknowledged) {
      this.timestampMicros = timestampMicros;
      this.index = index;
      this.acknowledged = acknowledged;
    }
  }

  private final int maxEvents;
  private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>();

  /** An empty window of at most {@code maxEvents} events. */
  public WindowReplay(int maxEvents) {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("max_events must be >= 1, but was " + maxEvents);
    }
    this.maxEvents = maxEvents;
  }

  /**
   * A window as {@link #entries()} once returned it.
   *
   * @throws IllegalArgumentException when there are more than {@code maxEvents} entries or an id
   *     repeats
   */
  public static WindowReplay of(int maxEvents, List<Entry> entries) {
    WindowReplay replay = new WindowReplay(maxEvents);
    if (entries.size() > maxEvents) {
      throw new IllegalArgumentException(
          "window: " + entries.size() + " entries, but max_events is " + maxEvents);
    }
    for (Entry e : entries) {
      Slot previous =
          replay.slots.put(e.eventId(), new Slot(e.timestampMicros(), e.index(), e.acknowledged()));
      if (previous != null) {
        throw new IllegalArgumentException("window: event '" + e.eventId() + "' appears twice");
      }
    }
    return replay;
  }

  public int maxEvents() {
    return maxEvents;
  }

  /** Applies one journal record. */
  public void accept(JournalEntry entry) {
    JournalRecord record = entry.record();
    if (record instanceof JournalRecord.EventRecord event) {
      Slot existing = slots.get(event.eventId());
      if (existing != null) {
        existing.index = entry.index();
        existing.acknowledged = false;
        return;
      }
      slots.put(event.eventId(), new Slot(event.timestampMicros(), entry.index(), false));
      if (slots.size() > maxEvents) {
        Iterator<Slot> eldest = slots.values().iterator();
        eldest.next();
        eldest.remove();
      }
    } else if (record instanceof JournalRecord.AckRecord ack) {
      Slot target = slots.get(ack.eventId());
      if (target != null) {
        target.acknowledged = true;
      }
    } else if (record instanceof JournalRecord.ClearRecord clear) {
      slots.values().removeIf(s -> s.timestampMicros < clear.cutoffMicros());
    }
  }

  /** The window, oldest first. */
  public List<Entry> entries() {
    List<Entry> entries = new ArrayList<>(slots.size());
    slots.forEach(
        (id, s) -> entries.add(new Entry(id, s.timestampMicros, s.index, s.acknowledged)));
    return entries;
  }
}
