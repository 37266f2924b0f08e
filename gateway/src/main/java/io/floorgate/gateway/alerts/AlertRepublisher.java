package io.floorgate.gateway.alerts;

import io.floorgate.events.Event;
import io.floorgate.events.EventHandler;
import io.floorgate.events.EventJson;
import io.floorgate.events.EventTimestamps;
import io.floorgate.gateway.broker.MessagePublisher;
import io.floorgate.gateway.config.TopicTemplate;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalCursor;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every journaled event on the embedded broker at {@code alerts.topic} (default {@code
 * alerts/{severity}/{category}}), payload = the event's JSON as journaled.
 *
 * <p>It reads the journal with its own persisted cursor ({@code alerts}) and moves it only after
 * the broker took the message, so an event journaled before a crash is published after the
 * restart: at least once (receivers de-duplicate by {@code event_id}). When the broker cannot
 * route a message (a subscriber's queue full), the same event is tried again after a short back
 * off.
 *
 * <p>For each event the broker took, it reports how long after the event's timestamp that was
 * ({@link #onPublished}): the gateway's own part of an alert's latency, from the ingest thread
 * building the event, through the journal and this thread, to the subscribers' queues.
 *
 * <p>Owns one thread, {@code floorgate-alerts}, from {@link #start}. With persistence disabled there is no journal to
 * read: {@link #direct} publishes from an event handler instead, at most once.
 */
public final class AlertRepublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRepublisher.class);
  /** The cursor's name in the journal. */
  public static final String CURSOR = "alerts";

  private final Journal journal;
  private final TopicTemplate template;
  private final String gatewayId;
  private final int qos;
  private final MessagePublisher broker;
  private final Duration replay;
  private final Clock clock;
  private final Thread thread;
  private final AtomicLong republished = new AtomicLong();
  private volatile boolean running = true;
  private volatile JournalCursor cursor;
  private volatile LongConsumer publishedObserver = delayMicros -> {};
  private long backoffMillis;

  private AlertRepublisher(
      Journal journal,
      TopicTemplate template,
      String gatewayId,
      int qos,
      MessagePublisher broker,
      Duration replay,
      Clock clock) {
    this.journal = journal;
    this.replay = replay;
    this.clock = clock;
    this.template = template;
    this.gatewayId = gatewayId;
    this.qos = qos;
    this.broker = broker;
    this.thread = new Thread(this::run, "floorgate-alerts");
  }

  /**
   * A republisher reading from the journal, resuming at the cursor, once {@link #start started}.
   *
   * @param replay when not zero, the previous run crashed: first publish again what the cursor
   *     passed within this window before the crash (the broker may have lost it in flight)
   * @param clock the clock the events' timestamps were read from, for {@link #onPublished}
   */
  public static AlertRepublisher create(
      Journal journal,
      TopicTemplate template,
      String gatewayId,
      int qos,
      MessagePublisher broker,
      Duration replay,
      Clock clock) {
    return new AlertRepublisher(journal, template, gatewayId, qos, broker, replay, clock);
  }

  /**
   * Starts its thread: what {@link #onPublished} is to see, the replay after a crash included, is
   * published from now on.
   */
  public void start() {
    thread.start();
  }

  /**
   * Who is told if its thread ends by what its loop does not catch (an {@link Error}). Set before
   * {@link #start}.
   */
  public void onDeath(Thread.UncaughtExceptionHandler handler) {
    thread.setUncaughtExceptionHandler(handler);
  }

  /** Whether its thread runs: false before {@link #start}, after {@link #close} or its death. */
  public boolean alive() {
    return thread.isAlive();
  }

  /**
   * For persistence disabled: a handler that publishes each event as it is accepted. Nothing is
   * re-sent after a crash or a failed delivery.
   */
  public static EventHandler direct(
      TopicTemplate template, String gatewayId, int qos, MessagePublisher broker) {
    return event -> {
      String topic = topic(template, gatewayId, event.severity().value(), event.category().value(),
          event.source());
      if (!broker.publish(topic, EventJson.toBytes(event), qos, false)) {
        LOG.warn("event {} was not delivered to every subscriber of '{}'", event.eventId(), topic);
      }
    };
  }

  private void run() {
    try {
      cursor = journal.cursor(CURSOR);
      if (!replay.isZero()) {
        long again = cursor.rewind(replay);
        LOG.warn(
            "the previous run did not stop cleanly: publishing again the {} journal record(s) of"
                + " its last {} s (receivers de-duplicate by event_id)",
            again,
            replay.toSeconds());
      }
      while (running) {
        boolean consumed;
        try {
          consumed = cursor.poll(this::republish);
        } catch (IllegalStateException e) {
          if (!running) {
            break;
          }
          throw e;
        }
        if (consumed) {
          backoffMillis = 0;
        } else if (backoffMillis > 0) {
          sleep(backoffMillis);
        } else {
          cursor.await(100, TimeUnit.MILLISECONDS);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("alert republishing stopped: {}", e.toString(), e);
    } finally {
      if (cursor != null) {
        cursor.close();
      }
    }
  }

  private boolean republish(JournalEntry entry) {
    if (!(entry.record() instanceof JournalRecord.EventRecord event)) {
      return true; // acknowledgements and clears are not republished
    }
    String source = template.placeholders().contains("source") ? sourceOf(event) : "";
    String topic = topic(template, gatewayId, event.severity(), event.category(), source);
    if (broker.publish(topic, event.json(), qos, false)) {
      republished.incrementAndGet();
      // Never negative: a wall clock stepped back meanwhile would make it so.
      long delay = EventTimestamps.micros(clock.instant()) - event.timestampMicros();
      publishedObserver.accept(Math.max(0, delay));
      return true;
    }
    backoffMillis = backoffMillis == 0 ? 10 : Math.min(1_000, backoffMillis * 2);
    if (backoffMillis == 10) {
      LOG.warn("cannot deliver event {} on '{}' yet; retrying", event.eventId(), topic);
    }
    return false;
  }

  private static String sourceOf(JournalRecord.EventRecord event) {
    Object source = EventJson.readObject(event.json()).get("source");
    return source == null ? Event.DEFAULT_SOURCE : source.toString();
  }

  private static String topic(
      TopicTemplate template, String gatewayId, String severity, String category, String source) {
    Map<String, String> values = new HashMap<>(8);
    values.put("severity", severity);
    values.put("category", category);
    values.put("source", source);
    values.put("gateway_id", gatewayId);
    return template.render(values);
  }

  private static void sleep(long millis) {
    // park, not sleep: close() wakes us without interrupting (an interrupt during file I/O
    // would close the journal's channels).
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /**
   * Receives, for each event the broker took, the microseconds from the event's timestamp until
   * then (for metrics). Called on the republisher's thread. An event published again after a
   * crash counts its whole delay, restart included.
   */
  public void onPublished(LongConsumer observer) {
    this.publishedObserver = observer;
  }

  /** Events published since start. */
  public long republished() {
    return republished.get();
  }

  /** Journaled records the cursor has not passed yet (events and others). */
  public long lag() {
    JournalCursor current = cursor;
    return current == null ? 0 : current.lag();
  }

  /** Stops the thread (within 5 s); the cursor stays where it was. Idempotent. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("alert republisher did not stop within 5 s");
    }
  }
}
