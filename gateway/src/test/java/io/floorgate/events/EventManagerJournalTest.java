package io.floorgate.events;

import static io.floorgate.journal.JournalContents.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalContents;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.JournalRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager with a real journal: persistence, window rebuild, concurrency. */
class EventManagerJournalTest {
  @TempDir Path dir;

  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static Event event(String message, Instant timestamp) {
    return Event.builder().message(message).timestamp(timestamp).build();
  }

  @Test
  void publish_journalsTheEventsJsonBeforeReturning() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager manager = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
      ThresholdEvent event = new ThresholdEvent("temperature", 25.0, 26.5);

      manager.publish(event);

      assertThat(records(journal))
          .singleElement()
          .isInstanceOfSatisfying(
              JournalRecord.EventRecord.class,
              r -> {
                assertThat(r.eventId()).isEqualTo(event.eventId());
                assertThat(r.category()).isEqualTo("threshold");
                assertThat(r.severity()).isEqualTo("warning");
                assertThat(EventJson.fromBytes(r.json())).isEqualTo(event);
              });
    }
  }

  @Test
  void filteredEvent_isNotPersisted() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager manager = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
      manager.addFilter(EventCategory.SYSTEM, e -> false);

      manager.publish(Event.builder().build());

      assertThat(records(journal)).isEmpty();
    }
  }

  @Test
  void persistenceDisabled_writesNothingButTheWindowWorks() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager manager =
          EventManager.open(EventNotificationConfig.DEFAULTS.withPersistenceEnabled(false), journal);
      Event event = Event.builder().build();
      manager.publish(event);
      manager.acknowledgeEvent(event.eventId());

      assertThat(manager.persistent()).isFalse();
      assertThat(manager.getEvents()).hasSize(1);
      assertThat(records(journal)).isEmpty();
    }
  }

  @Test
  void reopen_rebuildsTheWindowWithAcknowledgementsAndClears() {
    List<Event> before;
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager manager = EventManager.open(EventNotificationConfig.DEFAULTS, journal, CLOCK);
      Event old = event("old", NOW.minus(Duration.ofDays(40)));
      Event a = event("a", NOW.minusSeconds(60));
      Event b = new ThresholdEvent("temperature", 25.0, 26.5);
      manager.publish(old);
      manager.publish(a);
      manager.publish(b);
      manager.acknowledgeEvent(b.eventId());
      assertThat(manager.clearEvents(30)).isEqualTo(1);
      before = manager.getEvents(null, null, 0);
      assertThat(before).extracting(Event::message).containsExactly("a", b.message());
    }
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager reopened = EventManager.open(EventNotificationConfig.DEFAULTS, journal, CLOCK);

      assertThat(reopened.getEvents(null, null, 0)).isEqualTo(before);
      assertThat(reopened.getEvents(null, null, 0).get(1).acknowledged()).isTrue();
    }
  }

  @Test
  void reopen_afterClearAll_keepsOnlyLaterEvents() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager manager = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
      manager.publish(Event.builder().message("before").build());
      manager.clearEvents();
      manager.publish(Event.builder().message("after").build());
    }
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      assertThat(EventManager.open(EventNotificationConfig.DEFAULTS, journal).getEvents())
          .extracting(Event::message)
          .containsExactly("after");
    }
  }

  @Test
  void reopen_keepsTheLastMaxEventsInJournalOrder() {
    EventNotificationConfig three = EventNotificationConfig.DEFAULTS.withMaxEvents(3);
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager manager = EventManager.open(three, journal);
      for (int i = 0; i < 10; i++) {
        manager.publish(Event.builder().message("m" + i).build());
      }
    }
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      assertThat(EventManager.open(three, journal).getEvents())
          .extracting(Event::message)
          .containsExactly("m7", "m8", "m9");
    }
  }

  @Test
  void reopen_replaysEvictionThenClearExactlyAsTheLiveWindowDid() {
    // live: [e1, e2] -> clear removes e2 -> [e1] -> e3 -> [e1, e3]
    EventNotificationConfig two = EventNotificationConfig.DEFAULTS.withMaxEvents(2);
    List<Event> live;
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager manager = EventManager.open(two, journal, CLOCK);
      manager.publish(event("e1", NOW));
      manager.publish(event("e2", NOW.minus(Duration.ofDays(10))));
      manager.clearEvents(5);
      manager.publish(event("e3", NOW));
      live = manager.getEvents(null, null, 0);
      assertThat(live).extracting(Event::message).containsExactly("e1", "e3");
    }
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      assertThat(EventManager.open(two, journal, CLOCK).getEvents(null, null, 0)).isEqualTo(live);
    }
  }

  @Test
  void openFromAReplayedWindow_readsEachEventByIndex_andLeavesOutWhatTheJournalNoLongerHolds() {
    List<WindowReplay.Entry> window = new ArrayList<>();
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager manager = EventManager.open(EventNotificationConfig.DEFAULTS, journal, CLOCK);
      Event e1 = event("e1", NOW);
      Event e2 = event("e2", NOW);
      manager.publish(e1);
      manager.publish(e2);
      manager.acknowledgeEvent(e2.eventId());
      WindowReplay replay = new WindowReplay(10);
      JournalContents.entries(journal).forEach(replay::accept);
      window.addAll(replay.entries());
    }
    WindowReplay.Entry first = window.get(0);
    // An event whose day retention deleted, and one whose index now holds another record.
    window.add(0, new WindowReplay.Entry("gone", 0, first.index() - (1L << 32), false));
    window.add(new WindowReplay.Entry("moved", 0, first.index(), false));

    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager reopened =
          EventManager.open(EventNotificationConfig.DEFAULTS, journal, CLOCK, window);
      assertThat(reopened.getEvents(null, null, 0))
          .extracting(Event::message, Event::acknowledged)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("e1", false),
              org.assertj.core.groups.Tuple.tuple("e2", true));
    }
  }

  @Test
  void window_readsBackEachEventEqualToWhatWasPublished_andAcknowledgedWhenAcknowledgedSince() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager manager = EventManager.open(EventNotificationConfig.DEFAULTS, journal, CLOCK);
      ThresholdEvent breach = new ThresholdEvent("temperature", 25.0, 26.5);
      Event other = event("other", NOW);
      manager.publish(breach);
      manager.publish(other);

      manager.acknowledgeEvent(breach.eventId());

      assertThat(manager.getEvents(null, null, 0))
          .containsExactly(breach.withAcknowledged(true), other);
      assertThat(manager.getEvent(other.eventId())).contains(other);
      assertThat(manager.getEvents(EventCategory.THRESHOLD, null, 0))
          .containsExactly(breach.withAcknowledged(true));
      assertThat(manager.countEvents(EventCategory.THRESHOLD, null)).isEqualTo(1);
      assertThat(manager.countEvents(null, EventSeverity.INFO)).isEqualTo(1);
      assertThat(manager.countEvents(null, null)).isEqualTo(2);
    }
  }

  @Test
  void reopen_anEventPublishedAcknowledged_isNotAcknowledgedAgainInTheJournal() {
    Event acknowledged = Event.builder().message("done").acknowledged(true).build();
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager.open(EventNotificationConfig.DEFAULTS, journal).publish(acknowledged);
    }
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager reopened = EventManager.open(EventNotificationConfig.DEFAULTS, journal);

      assertThat(reopened.acknowledgeEvent(acknowledged.eventId())).isTrue();

      assertThat(records(journal)).singleElement().isInstanceOf(JournalRecord.EventRecord.class);
      assertThat(reopened.getEvent(acknowledged.eventId())).contains(acknowledged);
    }
  }

  @Test
  void reopen_anEventRecordWhoseJsonCannotBeRead_isLeftOutOfTheWindowWhenRead() {
    Event good = event("good", NOW);
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager.open(EventNotificationConfig.DEFAULTS, journal).publish(good);
      journal.append(
          new JournalRecord.EventRecord(
              EventTimestamps.micros(NOW),
              "damaged",
              "system",
              "info",
              "{\"event_id\": \"damaged\", \"timestamp\": 17".getBytes(
                  java.nio.charset.StandardCharsets.UTF_8)));
    }
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager reopened = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
      assertThat(reopened.windowSize()).isEqualTo(2);

      assertThat(reopened.getEvents(null, null, 0)).containsExactly(good);
      assertThat(reopened.getEvent("damaged")).isEmpty();
      assertThat(reopened.windowSize()).isEqualTo(1);
    }
  }

  @Test
  void concurrentPublishers_everyHandlerSeesEveryEventOnce_andTheJournalHoldsThemAll() {
    int threads = 8;
    int perThread = 10_000;
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
            EventManager manager =
                EventManager.open(EventNotificationConfig.DEFAULTS, journal);
            Map<String, AtomicInteger> seenByAll = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> seenByProcess = new ConcurrentHashMap<>();
            AtomicInteger nested = new AtomicInteger();
            manager.subscribe(e -> seenByAll.computeIfAbsent(e.eventId(), k -> new AtomicInteger()).incrementAndGet());
            manager.subscribe(
                e -> seenByProcess.computeIfAbsent(e.eventId(), k -> new AtomicInteger()).incrementAndGet(),
                EventCategory.PROCESS);
            // A handler that publishes from inside a handler must not deadlock.
            manager.subscribe(
                e -> {
                  if (e.details().get("n") instanceof Long n && n % 1000 == 0) {
                    manager.publish(
                        Event.builder().category(EventCategory.USER).message("nested").build());
                    nested.incrementAndGet();
                  }
                },
                EventCategory.PROCESS);

            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
              int thread = t;
              futures.add(
                  pool.submit(
                      () -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                          manager.publish(
                              Event.builder()
                                  .category(EventCategory.PROCESS)
                                  .details(Map.of("thread", thread, "n", i))
                                  .build());
                        }
                        return null;
                      }));
            }
            start.countDown();
            for (Future<?> f : futures) {
              f.get();
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            int total = threads * perThread;
            assertThat(nested).hasValue(threads * (perThread / 1000));
            assertThat(seenByProcess).hasSize(total);
            assertThat(seenByProcess.values()).allMatch(count -> count.get() == 1);
            assertThat(seenByAll).hasSize(total + nested.get());
            assertThat(seenByAll.values()).allMatch(count -> count.get() == 1);
            long journaledProcess =
                records(journal).stream()
                    .filter(r -> r instanceof JournalRecord.EventRecord e && e.category().equals("process"))
                    .count();
            assertThat(journaledProcess).isEqualTo(total);
            assertThat(manager.publishedCount()).isEqualTo(total + nested.get());
          }
        });
  }
}
