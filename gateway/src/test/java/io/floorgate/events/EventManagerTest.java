package io.floorgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The seed's usage examples (§5, §6) and the manager's semantics, in memory. */
class EventManagerTest {
  private final EventManager manager = EventManager.inMemory(EventNotificationConfig.DEFAULTS);

  private static Event event(EventCategory category, EventSeverity severity) {
    return Event.builder().category(category).severity(severity).build();
  }

  private static Event message(String text) {
    return Event.builder().message(text).build();
  }

  // ---- seed §5.1: subscribing ----

  @Test
  void seedExample_thresholdHandlerAndCriticalHandler_eachGetTheirEvents() {
    List<String> thresholdLines = new ArrayList<>();
    List<String> criticalLines = new ArrayList<>();
    manager.subscribe(
        e -> {
          thresholdLines.add("Threshold breach: " + e.message());
          thresholdLines.add("Parameter: " + e.details().get("parameter"));
          thresholdLines.add("Value: " + e.details().get("actual_value"));
          thresholdLines.add("Threshold: " + e.details().get("threshold"));
        },
        EventCategory.THRESHOLD);
    manager.subscribe(e -> criticalLines.add("CRITICAL: " + e.message()), EventSeverity.CRITICAL);

    manager.publish(new ThresholdEvent("temperature", 25.0, 26.5));
    manager.publish(new ErrorEvent("Overheat", "oven 3"));
    manager.publish(
        ErrorEvent.builder("Overheat", "oven 4").severity(EventSeverity.CRITICAL).build());

    assertThat(thresholdLines)
        .containsExactly(
            "Threshold breach: Threshold breach: temperature exceeded 25.0 with value 26.5",
            "Parameter: temperature",
            "Value: 26.5",
            "Threshold: 25.0");
    assertThat(criticalLines).containsExactly("CRITICAL: Error: Overheat - oven 4");
  }

  // ---- seed §5.2: publishing ----

  @Test
  void seedExample_publishAThresholdEvent_isStoredAndDelivered() {
    List<Event> received = new ArrayList<>();
    manager.subscribe(received::add);
    ThresholdEvent thresholdEvent =
        new ThresholdEvent("temperature", 25.0, 26.5, EventSeverity.WARNING);

    assertThat(manager.publish(thresholdEvent)).isTrue();

    assertThat(received).containsExactly(thresholdEvent);
    assertThat(manager.getEvents()).containsExactly(thresholdEvent);
  }

  // ---- seed §5.4: filtering ----

  @Test
  void seedExample_temperatureFilter_letsOnlyTemperatureThresholdEventsThrough() {
    List<Event> received = new ArrayList<>();
    manager.subscribe(received::add);
    manager.addFilter(
        EventCategory.THRESHOLD,
        e -> "temperature".equals(e.details().get("parameter")));

    manager.publish(new ThresholdEvent("temperature", 25.0, 26.5));
    boolean pressureAccepted = manager.publish(new ThresholdEvent("pressure", 2.0, 2.5));
    manager.publish(new SystemStateEvent("idle", "running"));

    assertThat(pressureAccepted).isFalse();
    assertThat(received)
        .extracting(e -> e.details().get("parameter"), Event::category)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("temperature", EventCategory.THRESHOLD),
            org.assertj.core.groups.Tuple.tuple(null, EventCategory.SYSTEM));
    assertThat(manager.getEvents(EventCategory.THRESHOLD, null, 100)).hasSize(1);
    assertThat(manager.rejectedCount()).isEqualTo(1);
  }

  @Test
  void filters_anyAcceptingFilterLetsTheEventPass() {
    manager.addFilter(EventCategory.PROCESS, e -> false);
    manager.addFilter(EventCategory.PROCESS, e -> e.message().equals("ok"));

    assertThat(manager.publish(Event.builder().category(EventCategory.PROCESS).message("ok").build()))
        .isTrue();
    assertThat(manager.publish(Event.builder().category(EventCategory.PROCESS).message("no").build()))
        .isFalse();
  }

  @Test
  void filters_aThrowingFilterCountsAsRejecting() {
    manager.addFilter(
        EventCategory.PROCESS,
        e -> {
          throw new IllegalStateException("broken filter");
        });

    assertThat(manager.publish(event(EventCategory.PROCESS, EventSeverity.INFO))).isFalse();
    assertThat(manager.getEvents()).isEmpty();
  }

  @Test
  void removeFilter_restoresTheCategory() {
    EventFilter none = e -> false;
    manager.addFilter(EventCategory.USER, none);
    assertThat(manager.publish(event(EventCategory.USER, EventSeverity.INFO))).isFalse();

    manager.removeFilter(EventCategory.USER, none);

    assertThat(manager.publish(event(EventCategory.USER, EventSeverity.INFO))).isTrue();
  }

  // ---- seed §5.5: retrieval ----

  @Test
  void seedExample_retrieval_filtersBySeverityAndCategoryWithLimits() {
    for (int i = 0; i < 15; i++) {
      manager.publish(new ThresholdEvent("t" + i, 1, 2, EventSeverity.WARNING));
      manager.publish(event(EventCategory.SYSTEM, EventSeverity.WARNING));
      manager.publish(event(EventCategory.THRESHOLD, EventSeverity.INFO));
    }

    List<Event> warningEvents = manager.getEvents(null, EventSeverity.WARNING, 10);
    List<Event> thresholdEvents = manager.getEvents(EventCategory.THRESHOLD, null, 20);

    assertThat(warningEvents).hasSize(10).allMatch(e -> e.severity() == EventSeverity.WARNING);
    assertThat(thresholdEvents).hasSize(20).allMatch(e -> e.category() == EventCategory.THRESHOLD);
    assertThat(manager.acknowledgeEvent("event_id_123456")).isFalse();
    assertThat(manager.clearEvents(30)).isZero();
  }

  @Test
  void getEvents_returnsTheMostRecentLimitOldestFirst() {
    for (int i = 0; i < 10; i++) {
      manager.publish(message("m" + i));
    }

    assertThat(manager.getEvents(null, null, 3))
        .extracting(Event::message)
        .containsExactly("m7", "m8", "m9");
    assertThat(manager.getEvents(null, null, 0)).hasSize(10);
    assertThat(manager.getEvents(null, null, -1)).hasSize(10);
  }

  @Test
  void getEvents_defaultLimitIs100() {
    for (int i = 0; i < 150; i++) {
      manager.publish(message("m" + i));
    }

    List<Event> events = manager.getEvents();
    assertThat(events).hasSize(100);
    assertThat(events.get(0).message()).isEqualTo("m50");
  }

  @Test
  void getEvents_bothFilters_mustMatchBoth() {
    manager.publish(event(EventCategory.ERROR, EventSeverity.CRITICAL));
    manager.publish(event(EventCategory.ERROR, EventSeverity.ERROR));
    manager.publish(event(EventCategory.SYSTEM, EventSeverity.CRITICAL));

    assertThat(manager.getEvents(EventCategory.ERROR, EventSeverity.CRITICAL, 10)).hasSize(1);
  }

  @Test
  void window_keepsMaxEvents() {
    EventManager small = EventManager.inMemory(EventNotificationConfig.DEFAULTS.withMaxEvents(3));
    for (int i = 0; i < 5; i++) {
      small.publish(message("m" + i));
    }

    assertThat(small.getEvents(null, null, 0))
        .extracting(Event::message)
        .containsExactly("m2", "m3", "m4");
  }

  @Test
  void acknowledgeEvent_marksTheEventAndReportsWhetherFound() {
    Event event = message("x");
    manager.publish(event);

    assertThat(manager.acknowledgeEvent(event.eventId())).isTrue();
    assertThat(manager.acknowledgeEvent(event.eventId())).isTrue();
    assertThat(manager.acknowledgeEvent("nope")).isFalse();
    assertThat(manager.getEvents().get(0).acknowledged()).isTrue();
    assertThat(event.acknowledged()).as("the published value itself never changes").isFalse();
  }

  @Test
  void clearEvents_all_removesEverythingAndReturnsTheCount() {
    manager.publish(message("a"));
    manager.publish(message("b"));

    assertThat(manager.clearEvents()).isEqualTo(2);
    assertThat(manager.getEvents()).isEmpty();
    assertThat(manager.clearEvents(null)).isZero();
  }

  @Test
  void clearEvents_olderThanDays_removesOnlyOlderEvents() {
    Instant now = Instant.parse("2026-11-29T12:00:00Z");
    EventManager clocked =
        EventManager.inMemory(EventNotificationConfig.DEFAULTS, Clock.fixed(now, ZoneOffset.UTC));
    clocked.publish(Event.builder().message("old").timestamp(now.minus(Duration.ofDays(31))).build());
    clocked.publish(Event.builder().message("edge").timestamp(now.minus(Duration.ofDays(30))).build());
    clocked.publish(Event.builder().message("new").timestamp(now.minus(Duration.ofDays(1))).build());

    assertThat(clocked.clearEvents(30)).isEqualTo(1);
    assertThat(clocked.getEvents()).extracting(Event::message).containsExactly("edge", "new");
    assertThatThrownBy(() -> clocked.clearEvents(-1))
        .hasMessage("older_than_days must be >= 0, but was -1");
  }

  // ---- routing ----

  @Test
  void subscribe_noCategoryNoSeverity_receivesEverything() {
    List<Event> received = new ArrayList<>();
    manager.subscribe(received::add);

    for (EventCategory category : EventCategory.values()) {
      manager.publish(event(category, EventSeverity.INFO));
    }

    assertThat(received).hasSize(EventCategory.values().length);
  }

  @Test
  void subscribe_categoryAndSeverity_receivesOnlyEventsMatchingBoth() {
    List<Event> received = new ArrayList<>();
    manager.subscribe(received::add, EventCategory.THRESHOLD, EventSeverity.CRITICAL);

    manager.publish(event(EventCategory.THRESHOLD, EventSeverity.WARNING));
    manager.publish(event(EventCategory.ERROR, EventSeverity.CRITICAL));
    Event both = event(EventCategory.THRESHOLD, EventSeverity.CRITICAL);
    manager.publish(both);

    assertThat(received).containsExactly(both);
  }

  @Test
  void subscribe_throughSeveralMatchingRoutes_deliversOnce() {
    AtomicInteger calls = new AtomicInteger();
    EventHandler handler = e -> calls.incrementAndGet();
    manager.subscribe(handler);
    manager.subscribe(handler, EventCategory.THRESHOLD);
    manager.subscribe(handler, EventSeverity.CRITICAL);
    manager.subscribe(handler, EventCategory.THRESHOLD, EventSeverity.CRITICAL);
    manager.subscribe(handler, EventCategory.THRESHOLD);

    manager.publish(event(EventCategory.THRESHOLD, EventSeverity.CRITICAL));

    assertThat(calls).hasValue(1);
  }

  @Test
  void unsubscribe_category_removesOnlyThatRoute() {
    List<Event> received = new ArrayList<>();
    EventHandler handler = received::add;
    manager.subscribe(handler, EventCategory.THRESHOLD);
    manager.subscribe(handler, EventCategory.ERROR);

    manager.unsubscribe(handler, EventCategory.THRESHOLD, null);
    manager.publish(event(EventCategory.THRESHOLD, EventSeverity.INFO));
    manager.publish(event(EventCategory.ERROR, EventSeverity.INFO));

    assertThat(received).extracting(Event::category).containsExactly(EventCategory.ERROR);
  }

  @Test
  void unsubscribe_withoutRoute_removesTheHandlerEverywhere() {
    List<Event> received = new ArrayList<>();
    EventHandler handler = received::add;
    manager.subscribe(handler);
    manager.subscribe(handler, EventSeverity.CRITICAL);

    manager.unsubscribe(handler);
    manager.publish(event(EventCategory.ERROR, EventSeverity.CRITICAL));

    assertThat(received).isEmpty();
  }

  @Test
  void handlers_aThrowingHandlerDoesNotStopTheOthers() {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    manager.subscribe(e -> calls.add("first"));
    manager.subscribe(
        e -> {
          throw new IllegalStateException("handler bug");
        });
    manager.subscribe(e -> calls.add("third"));

    assertThat(manager.publish(message("x"))).isTrue();

    assertThat(calls).containsExactly("first", "third");
    assertThat(manager.getEvents()).hasSize(1);
  }

  @Test
  void handlers_mayPublishFromInsideAHandler() {
    List<String> received = new ArrayList<>();
    manager.subscribe(
        e -> {
          received.add(e.message());
          if (e.message().equals("outer")) {
            manager.publish(message("inner"));
          }
        });

    manager.publish(message("outer"));

    assertThat(received).containsExactly("outer", "inner");
    assertThat(manager.getEvents()).extracting(Event::message).containsExactly("outer", "inner");
  }

  @Test
  void closedManager_refusesToPublish() {
    manager.close();
    manager.close();

    assertThatThrownBy(() -> manager.publish(message("late")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("event manager is closed");
  }

  // ---- seed §6: thread safety ----

  @Test
  void seedExample_workerThreadPublishes_handlerOnMainSubscriptionReceivesAll() throws Exception {
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    manager.subscribe(e -> received.add("Received event: " + e.message()), EventCategory.SYSTEM);

    Thread worker =
        new Thread(
            () -> {
              for (int i = 0; i < 5; i++) {
                manager.publish(
                    Event.builder()
                        .category(EventCategory.SYSTEM)
                        .severity(EventSeverity.INFO)
                        .message("Worker thread event " + i)
                        .details(Map.of("thread_id", Thread.currentThread().getId()))
                        .build());
              }
            });
    worker.start();
    worker.join();

    assertThat(received)
        .containsExactly(
            "Received event: Worker thread event 0",
            "Received event: Worker thread event 1",
            "Received event: Worker thread event 2",
            "Received event: Worker thread event 3",
            "Received event: Worker thread event 4");
  }
}
