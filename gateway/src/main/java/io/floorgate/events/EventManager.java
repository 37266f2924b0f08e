package io.floorgate.events;

import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central hub for event distribution (seed §3): subscriptions, per-category filters,
 * publishing, and the in-memory window of recent events that {@link #getEvents} reads.
 *
 * <p>{@link #publish} runs filters, then (when persistence is enabled) appends the event to the
 * journal, then adds it to the window, then calls the handlers. It returns only after the event
 * is in the journal. Handlers run on the publishing thread outside every lock, so a handler may
 * publish; a handler that throws is logged and the others still run.
 *
 * <p>Deviations from the seed's reference implementation (see {@code shared/DESIGN.md} §3):
 *
 * <ul>
 *   <li>A subscription with both category and severity receives events that match both.
 *   <li>A handler subscribed through several routes receives each event once.
 *   <li>Acknowledgements and clears are journaled and survive a restart.
 *   <li>Events are keyed by {@code event_id} in the window: publishing an id again replaces the
 *       event in place.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class EventManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventManager.class);
  private static final long FAILURE_LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

  private final EventNotificationConfig config;
  private final @Nullable Journal journal;
  private final Clock clock;

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Slot> window = new ArrayDeque<>();
  private final Map<String, Slot> byId = new HashMap<>();
  private boolean closed;

  private final Object subscriptionLock = new Object();
  private volatile List<Subscriber> subscribers = List.of();
  private final Map<EventCategory, List<EventFilter>> filters = new EnumMap<>(EventCategory.class);

  private final AtomicLong published = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  /**
   * An event in the window: its JSON as published (the journal's bytes) and the fields the
   * window is searched by. Not the {@link Event}: its object graph is some thirty small objects,
   * which every young collection copies again while the window holds them (at 100 events/s the
   * window was half of each young pause; benchmarks.md). Reading the window parses the JSON.
   */
  private static final class Slot {
    final String eventId;
    long micros;
    EventCategory category;
    EventSeverity severity;
    byte[] json;
    /** Acknowledged when published, or since (the JSON stays as published). */
    boolean acknowledged;

    Slot(String eventId) {
      this.eventId = eventId;
    }

    void set(
        long micros,
        EventCategory category,
        EventSeverity severity,
        byte[] json,
        boolean acknowledged) {
      this.micros = micros;
      this.category = category;
      this.severity = severity;
      this.json = json;
      this.acknowledged = acknowledged;
    }

    boolean matches(@Nullable EventCategory c, @Nullable EventSeverity s) {
      return (c == null || c == category) && (s == null || s == severity);
    }
  }

  /** A slot's contents, taken under the lock and parsed outside it. */
  private record Kept(Slot slot, byte[] json, boolean acknowledged) {}

  private record Route(@Nullable EventCategory category, @Nullable EventSeverity severity) {
    boolean matches(Event event) {
      return (category == null || category == event.category())
          && (severity == null || severity == event.severity());
    }

    boolean within(@Nullable EventCategory c, @Nullable EventSeverity s) {
      return (c == null || c == category) && (s == null || s == severity);
    }
  }

  /** A handler and every route it subscribed through. */
  private static final class Subscriber {
    final EventHandler handler;
    final List<Route> routes;
    long lastFailureLogNanos;
    long suppressedFailures;

    Subscriber(EventHandler handler, List<Route> routes) {
      this.handler = handler;
      this.routes = routes;
    }

    boolean wants(Event event) {
      for (Route route : routes) {
        if (route.matches(event)) {
          return true;
        }
      }
      return false;
    }
  }

  private EventManager(EventNotificationConfig config, @Nullable Journal journal, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.journal = journal;
    this.clock = clock;
  }

  /** A manager that keeps events in memory only (whatever {@code persistence_enabled} says). */
  public static EventManager inMemory(EventNotificationConfig config) {
    return inMemory(config, Clock.systemUTC());
  }

  /** {@link #inMemory(EventNotificationConfig)} with a clock for {@link #clearEvents}. */
  public static EventManager inMemory(EventNotificationConfig config, Clock clock) {
    return new EventManager(config.withPersistenceEnabled(false), null, clock);
  }

  /**
   * A manager that journals to {@code journal} when {@code persistence_enabled} is true, and
   * rebuilds its window from the journal first: the last {@code max_events} events, with
   * acknowledgements and clears applied, in journal order. When persistence is disabled the
   * journal is neither read nor written.
   */
  public static EventManager open(EventNotificationConfig config, Journal journal) {
    return open(config, journal, Clock.systemUTC());
  }

  /** {@link #open(EventNotificationConfig, Journal)} with a clock for {@link #clearEvents}. */
  public static EventManager open(EventNotificationConfig config, Journal journal, Clock clock) {
    if (!config.persistenceEnabled()) {
      return new EventManager(config, null, clock);
    }
    long started = System.nanoTime();
    WindowReplay replay = new WindowReplay(config.maxEvents());
    long records = 0;
    try (JournalReader reader = journal.reader()) {
      for (Optional<JournalEntry> next = reader.next(); next.isPresent(); next = reader.next()) {
        replay.accept(next.get());
        records++;
      }
    }
    EventManager manager = new EventManager(config, journal, clock);
    manager.restoreWindow(replay.entries());
    LOG.info(
        "journal {}: rebuilt the window of {} event(s) from {} record(s) in {} ms",
        journal.dir(),
        manager.windowSize(),
        records,
        (System.nanoTime() - started) / 1_000_000);
    return manager;
  }

  /**
   * A manager whose window holds {@code window}'s events (a {@link WindowReplay} of {@code
   * journal}, which the caller has fed to its end), read back from the journal by index. An
   * event whose record is no longer in the journal (retention deleted its day), or cannot be
   * read, is left out, and logged. When persistence is disabled the journal is neither read nor
   * written.
   */
  public static EventManager open(
      EventNotificationConfig config,
      Journal journal,
      Clock clock,
      List<WindowReplay.Entry> window) {
    if (!config.persistenceEnabled()) {
      return new EventManager(config, null, clock);
    }
    EventManager manager = new EventManager(config, journal, clock);
    manager.restoreWindow(window);
    return manager;
  }

  public EventNotificationConfig config() {
    return config;
  }

  /** Whether accepted events are journaled. */
  public boolean persistent() {
    return journal != null;
  }

  // ---- subscriptions (seed §3.1) ----

  /** Subscribes {@code handler} to every event. */
  public void subscribe(EventHandler handler) {
    subscribe(handler, null, null);
  }

  /** Subscribes {@code handler} to the events of {@code category}. */
  public void subscribe(EventHandler handler, EventCategory category) {
    subscribe(handler, category, null);
  }

  /** Subscribes {@code handler} to the events of {@code severity}, whatever their category. */
  public void subscribe(EventHandler handler, EventSeverity severity) {
    subscribe(handler, null, severity);
  }

  /**
   * Subscribes {@code handler} to events of {@code category} (all if null) and {@code severity}
   * (all if null). With both given, events must match both. Subscribing the same route twice has
   * no further effect; a handler receives each event once however many routes match it.
   */
  public void subscribe(
      EventHandler handler, @Nullable EventCategory category, @Nullable EventSeverity severity) {
    Objects.requireNonNull(handler, "handler");
    Route route = new Route(category, severity);
    synchronized (subscriptionLock) {
      List<Subscriber> next = new ArrayList<>(subscribers.size() + 1);
      boolean found = false;
      for (Subscriber subscriber : subscribers) {
        if (subscriber.handler == handler) {
          found = true;
          if (subscriber.routes.contains(route)) {
            next.add(subscriber);
          } else {
            List<Route> routes = new ArrayList<>(subscriber.routes);
            routes.add(route);
            next.add(new Subscriber(handler, List.copyOf(routes)));
          }
        } else {
          next.add(subscriber);
        }
      }
      if (!found) {
        next.add(new Subscriber(handler, List.of(route)));
      }
      subscribers = List.copyOf(next);
    }
  }

  /** Unsubscribes {@code handler} from everything. */
  public void unsubscribe(EventHandler handler) {
    unsubscribe(handler, null, null);
  }

  /**
   * Removes {@code handler}'s subscriptions for {@code category} and {@code severity}, where null
   * means any: {@code unsubscribe(h, THRESHOLD, null)} removes every route of {@code h} with
   * category THRESHOLD; {@code unsubscribe(h, null, null)} removes all of {@code h}'s routes.
   * Routes are removed, not narrowed: a subscription to all events is removed only by {@code
   * unsubscribe(h, null, null)}.
   */
  public void unsubscribe(
      EventHandler handler, @Nullable EventCategory category, @Nullable EventSeverity severity) {
    synchronized (subscriptionLock) {
      List<Subscriber> next = new ArrayList<>(subscribers.size());
      for (Subscriber subscriber : subscribers) {
        if (subscriber.handler != handler) {
          next.add(subscriber);
          continue;
        }
        List<Route> kept =
            subscriber.routes.stream()
                .filter(r -> !(category == null && severity == null) && !r.within(category, severity))
                .toList();
        if (!kept.isEmpty()) {
          next.add(new Subscriber(handler, kept));
        }
      }
      subscribers = List.copyOf(next);
    }
  }

  // ---- filters (seed §3.2) ----

  /**
   * Adds a filter for {@code category}: from now on an event of that category is processed only
   * if at least one of the category's filters accepts it.
   */
  public void addFilter(EventCategory category, EventFilter filter) {
    Objects.requireNonNull(filter, "filter");
    synchronized (filters) {
      filters.computeIfAbsent(category, c -> new CopyOnWriteArrayList<>()).add(filter);
    }
  }

  /** Removes a filter added with {@link #addFilter} (one registration of it). */
  public void removeFilter(EventCategory category, EventFilter filter) {
    synchronized (filters) {
      List<EventFilter> list = filters.get(category);
      if (list != null) {
        list.remove(filter);
      }
    }
  }

  private boolean accepted(Event event) {
    List<EventFilter> list;
    synchronized (filters) {
      list = filters.get(event.category());
    }
    if (list == null || list.isEmpty()) {
      return true;
    }
    for (EventFilter filter : list) {
      try {
        if (filter.accept(event)) {
          return true;
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "event filter {} threw on event {}; counting it as rejecting: {}",
            filter,
            event.eventId(),
            e.toString());
      }
    }
    return false;
  }

  // ---- publishing (seed §3.3) ----

  /**
   * Publishes {@code event}: filters, journal (when persistence is enabled), window, handlers.
   *
   * @return true when the event was accepted, false when the category's filters rejected it (it
   *     is then neither journaled nor dispatched)
   * @throws IllegalStateException when the manager is closed
   * @throws RuntimeException when the journal cannot append; the event is then not in the window
   *     and no handler saw it. (A force to disk that {@code sync: always} waits for and the disk
   *     refuses does not throw: the event is appended; {@link Journal#awaitDurable}.)
   */
  public boolean publish(Event event) {
    Objects.requireNonNull(event, "event");
    if (!accepted(event)) {
      rejected.incrementAndGet();
      return false;
    }
    byte[] json = EventJson.toBytes(event);
    long micros = EventTimestamps.micros(event.timestamp());
    lock.lock();
    try {
      ensureOpen();
      if (journal != null) {
        journal.append(
            new JournalRecord.EventRecord(
                micros,
                event.eventId(),
                event.category().value(),
                event.severity().value(),
                json));
      }
      addToWindow(
          event.eventId(),
          micros,
          event.category(),
          event.severity(),
          json,
          event.acknowledged());
    } finally {
      lock.unlock();
    }
    if (journal != null) {
      journal.awaitDurable();
    }
    published.incrementAndGet();
    dispatch(event);
    return true;
  }

  /** Adds an event to the window; an id already there is replaced in place. */
  private void addToWindow(
      String eventId,
      long micros,
      EventCategory category,
      EventSeverity severity,
      byte[] json,
      boolean acknowledged) {
    Slot slot = byId.get(eventId);
    if (slot == null) {
      slot = new Slot(eventId);
      window.addLast(slot);
      byId.put(eventId, slot);
    }
    slot.set(micros, category, severity, json, acknowledged);
    while (window.size() > config.maxEvents()) {
      Slot evicted = window.removeFirst();
      byId.remove(evicted.eventId);
    }
  }

  /**
   * The events of {@code kept}, read from their JSON, in order. One that cannot be read (a
   * damaged journal record restored at start-up) is logged and removed from the window, as a
   * start-up that parsed it would have left it out.
   */
  private List<Event> read(List<Kept> kept) {
    List<Event> events = new ArrayList<>(kept.size());
    List<Kept> unreadable = null;
    for (Kept k : kept) {
      Event event;
      try {
        event = EventJson.fromBytes(k.json());
      } catch (IllegalArgumentException e) {
        LOG.warn(
            "event {} in the window cannot be read back ({}); removed from the window",
            k.slot().eventId,
            e.getMessage());
        if (unreadable == null) {
          unreadable = new ArrayList<>();
        }
        unreadable.add(k);
        continue;
      }
      events.add(k.acknowledged() && !event.acknowledged() ? event.withAcknowledged(true) : event);
    }
    if (unreadable != null) {
      lock.lock();
      try {
        for (Kept k : unreadable) {
          Slot slot = k.slot();
          // unless the id was published again meanwhile
          if (slot.json == k.json() && byId.remove(slot.eventId, slot)) {
            window.remove(slot);
          }
        }
      } finally {
        lock.unlock();
      }
    }
    return events;
  }

  private void dispatch(Event event) {
    for (Subscriber subscriber : subscribers) {
      if (!subscriber.wants(event)) {
        continue;
      }
      try {
        subscriber.handler.handle(event);
      } catch (RuntimeException e) {
        logHandlerFailure(subscriber, event, e);
      }
    }
  }

  private static void logHandlerFailure(Subscriber subscriber, Event event, RuntimeException e) {
    long now = System.nanoTime();
    synchronized (subscriber) {
      if (subscriber.lastFailureLogNanos != 0
          && now - subscriber.lastFailureLogNanos < FAILURE_LOG_INTERVAL_NANOS) {
        subscriber.suppressedFailures++;
        return;
      }
      long suppressed = subscriber.suppressedFailures;
      subscriber.suppressedFailures = 0;
      subscriber.lastFailureLogNanos = now;
      LOG.error(
          "event handler {} failed on event {}: {}{}",
          subscriber.handler,
          event.eventId(),
          e.toString(),
          suppressed == 0 ? "" : " (" + suppressed + " more failures not logged)");
      LOG.debug("handler failure", e);
    }
  }

  // ---- retrieval and management (seed §3.4) ----

  /** The 100 most recent events, oldest first. */
  public List<Event> getEvents() {
    return getEvents(null, null, 100);
  }

  /**
   * The most recent {@code limit} events of the window matching {@code category} and {@code
   * severity} (null = any), oldest first. {@code limit <= 0} returns every match. The events are
   * read from the JSON the window keeps, so each call returns new objects: plain {@link Event}s,
   * equal to the events as published (with acknowledgements since).
   */
  public List<Event> getEvents(
      @Nullable EventCategory category, @Nullable EventSeverity severity, int limit) {
    List<Kept> newestFirst = new ArrayList<>(Math.min(limit <= 0 ? 64 : limit, 1024));
    lock.lock();
    try {
      Iterator<Slot> it = window.descendingIterator();
      while (it.hasNext() && (limit <= 0 || newestFirst.size() < limit)) {
        Slot slot = it.next();
        if (slot.matches(category, severity)) {
          newestFirst.add(new Kept(slot, slot.json, slot.acknowledged));
        }
      }
    } finally {
      lock.unlock();
    }
    Collections.reverse(newestFirst);
    return read(newestFirst);
  }

  /** How many events of the window match {@code category} and {@code severity} (null = any). */
  public int countEvents(@Nullable EventCategory category, @Nullable EventSeverity severity) {
    lock.lock();
    try {
      if (category == null && severity == null) {
        return window.size();
      }
      int count = 0;
      for (Slot slot : window) {
        if (slot.matches(category, severity)) {
          count++;
        }
      }
      return count;
    } finally {
      lock.unlock();
    }
  }

  /** The event with {@code eventId} if it is in the window. */
  public Optional<Event> getEvent(String eventId) {
    Kept kept;
    lock.lock();
    try {
      Slot slot = byId.get(eventId);
      if (slot == null) {
        return Optional.empty();
      }
      kept = new Kept(slot, slot.json, slot.acknowledged);
    } finally {
      lock.unlock();
    }
    return read(List.of(kept)).stream().findFirst();
  }

  /**
   * Marks the event acknowledged and journals the acknowledgement (seed {@code
   * acknowledge_event}). Publishes nothing itself: the ack commands publish the {@code
   * UserActionEvent} naming who acknowledged.
   *
   * @return true if the event is in the window (acknowledging twice is true and journals once)
   */
  public boolean acknowledgeEvent(String eventId) {
    lock.lock();
    try {
      ensureOpen();
      Slot slot = byId.get(eventId);
      if (slot == null) {
        return false;
      }
      if (slot.acknowledged) {
        return true;
      }
      if (journal != null) {
        journal.append(
            new JournalRecord.AckRecord(EventTimestamps.micros(clock.instant()), eventId));
      }
      slot.acknowledged = true;
    } finally {
      lock.unlock();
    }
    if (journal != null) {
      journal.awaitDurable();
    }
    return true;
  }

  /**
   * Journals the acknowledgement of an event the window no longer holds (no seed counterpart): an
   * alarm can await acknowledgement long after its raising event has left the last {@code
   * max_events}, and the acknowledgement must survive a restart all the same. The caller vouches
   * that the event was published. Does nothing without a journal.
   */
  public void journalAcknowledgement(String eventId) {
    if (journal == null) {
      return;
    }
    lock.lock();
    try {
      ensureOpen();
      journal.append(new JournalRecord.AckRecord(EventTimestamps.micros(clock.instant()), eventId));
    } finally {
      lock.unlock();
    }
    journal.awaitDurable();
  }

  /** Clears every event from the window (seed {@code clear_events()}); journaled. */
  public int clearEvents() {
    return clearEvents(null);
  }

  /**
   * Clears events older than {@code olderThanDays} days (all when null) from the window and
   * journals the clear, so it survives a restart. The journal itself keeps the events (retention
   * deletes whole days).
   *
   * @return the number of events removed
   * @throws IllegalArgumentException when {@code olderThanDays} is negative
   */
  public int clearEvents(@Nullable Integer olderThanDays) {
    if (olderThanDays != null && olderThanDays < 0) {
      throw new IllegalArgumentException(
          "older_than_days must be >= 0, but was " + olderThanDays);
    }
    Instant now = clock.instant();
    long cutoff =
        olderThanDays == null
            ? Long.MAX_VALUE
            : EventTimestamps.micros(now.minus(Duration.ofDays(olderThanDays)));
    int removed;
    lock.lock();
    try {
      ensureOpen();
      if (journal != null) {
        journal.append(new JournalRecord.ClearRecord(EventTimestamps.micros(now), cutoff));
      }
      removed = removeOlderThan(cutoff);
    } finally {
      lock.unlock();
    }
    if (journal != null) {
      journal.awaitDurable();
    }
    return removed;
  }

  private int removeOlderThan(long cutoffMicros) {
    int removed = 0;
    for (Iterator<Slot> it = window.iterator(); it.hasNext(); ) {
      Slot slot = it.next();
      if (slot.micros < cutoffMicros) {
        it.remove();
        byId.remove(slot.eventId);
        removed++;
      }
    }
    return removed;
  }

  /** Events accepted since start. */
  public long publishedCount() {
    return published.get();
  }

  /** Events rejected by filters since start. */
  public long rejectedCount() {
    return rejected.get();
  }

  /** Number of events in the window. */
  public int windowSize() {
    lock.lock();
    try {
      return window.size();
    } finally {
      lock.unlock();
    }
  }

  // ---- start-up ----

  /**
   * Fills the window with {@code entries}' events, read from the journal by index. Adjacent
   * indexes are read in one pass (a window is mostly consecutive records). The window keeps the
   * records' JSON as it is; it is parsed when the window is read.
   */
  private void restoreWindow(List<WindowReplay.Entry> entries) {
    Journal source = Objects.requireNonNull(journal, "journal");
    int missing = 0;
    try (JournalReader reader = source.reader()) {
      for (WindowReplay.Entry entry : entries) {
        Optional<JournalEntry> read =
            reader.position() == entry.index() || reader.moveTo(entry.index())
                ? reader.next()
                : Optional.empty();
        if (read.isEmpty()
            || read.get().index() != entry.index()
            || !(read.get().record() instanceof JournalRecord.EventRecord record)
            || !record.eventId().equals(entry.eventId())) {
          missing++;
          continue;
        }
        EventCategory category;
        EventSeverity severity;
        try {
          category = EventCategory.parse(record.category());
          severity = EventSeverity.parse(record.severity());
        } catch (IllegalArgumentException e) {
          LOG.warn(
              "journal {}: event {} cannot be read back ({}); left out of the window",
              source.dir(),
              entry.eventId(),
              e.getMessage());
          continue;
        }
        // The JSON is the event as published; acknowledgements came later as records.
        addToWindow(
            record.eventId(),
            record.timestampMicros(),
            category,
            severity,
            record.json(),
            entry.acknowledged() || EventJson.acknowledged(record.json()));
      }
    }
    if (missing > 0) {
      // Normally retention: the window reached back past the oldest day kept.
      LOG.info(
          "journal {}: {} event(s) of the window are no longer in the journal (deleted by"
              + " retention, or damaged); left out of the window",
          source.dir(),
          missing);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("event manager is closed");
    }
  }

  /**
   * Stops accepting events; later calls to publish, acknowledge and clear throw. Does not close
   * the journal (its owner does). Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }
}
