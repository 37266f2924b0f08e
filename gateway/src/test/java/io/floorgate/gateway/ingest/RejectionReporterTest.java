package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.events.DigitalTwinPublisher;
import io.floorgate.events.ErrorEvent;
import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rejected input is counted per reason and reported as at most one ErrorEvent per interval. */
class RejectionReporterTest {
  private static final Duration INTERVAL = Duration.ofSeconds(60);
  private static final long T0 = 1_800_000_000_000L;
  private static final long INTERVAL_MS = INTERVAL.toMillis();

  private final EventManager manager = EventManager.inMemory(EventNotificationConfig.DEFAULTS);
  private final List<Event> published = new ArrayList<>();
  private final RejectionReporter reporter =
      new RejectionReporter(new DigitalTwinPublisher(manager), INTERVAL);

  RejectionReporterTest() {
    manager.subscribe(published::add);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void firstRejection_publishesAnErrorEventAtOnce() {
    reporter.reject(Rejection.NOT_JSON, "plant/l1/temp", "plc-1", "not a number or JSON: x", T0);

    assertThat(published).hasSize(1);
    Event event = published.get(0);
    assertThat(event).isInstanceOf(ErrorEvent.class);
    assertThat(event.category()).isEqualTo(EventCategory.ERROR);
    assertThat(event.severity()).isEqualTo(EventSeverity.WARNING);
    assertThat(event.source()).isEqualTo(DigitalTwinPublisher.SOURCE);
    String message =
        "1 message(s) rejected as not_json (last on 'plant/l1/temp' from client 'plc-1'):"
            + " not a number or JSON: x";
    assertThat(event.message()).isEqualTo("Error: RejectedInput - " + message);
    assertThat(event.details())
        .containsEntry("error_type", "RejectedInput")
        .containsEntry("error_message", message)
        .containsEntry("stacktrace", null)
        .containsEntry("reason", "not_json")
        .containsEntry("count", 1L)
        .containsEntry("total", 1L)
        .containsEntry("interval_seconds", 60.0)
        .containsEntry("topic", "plant/l1/temp")
        .containsEntry("client_id", "plc-1");
    assertThat(manager.getEvents()).containsExactly(event);
    assertThat(reporter.total(Rejection.NOT_JSON)).isEqualTo(1);
  }

  @Test
  void furtherRejectionsWithinTheInterval_publishNothing_butAreCounted() {
    reporter.reject(Rejection.NOT_JSON, "t", "c", "d", T0);
    reporter.reject(Rejection.NOT_JSON, "t", "c", "d", T0 + 1);
    reporter.reject(Rejection.NOT_JSON, "t", "c", "d", T0 + INTERVAL_MS - 1);
    reporter.flush(T0 + INTERVAL_MS - 1);

    assertThat(published).hasSize(1);
    assertThat(reporter.total(Rejection.NOT_JSON)).isEqualTo(3);
  }

  @Test
  void flushAfterTheInterval_publishesOneEventWithTheAccumulatedCount() {
    reporter.reject(Rejection.MISSING_VALUE, "a/1", "c1", "no value at 'value'", T0);
    reporter.reject(Rejection.MISSING_VALUE, "a/2", "c2", "no value at 'value'", T0 + 10);
    reporter.reject(Rejection.MISSING_VALUE, "a/3", "c3", "no value at 'temp'", T0 + 20);

    reporter.flush(T0 + INTERVAL_MS);

    assertThat(published).hasSize(2);
    Event report = published.get(1);
    assertThat(report.severity()).isEqualTo(EventSeverity.WARNING);
    assertThat(report.details())
        .containsEntry("error_type", "RejectedInput")
        .containsEntry("reason", "missing_value")
        .containsEntry("count", 2L)
        .containsEntry("total", 3L)
        .containsEntry("topic", "a/3")
        .containsEntry("client_id", "c3");
    assertThat(report.message())
        .isEqualTo(
            "Error: RejectedInput - 2 message(s) rejected as missing_value (last on 'a/3' from"
                + " client 'c3'): no value at 'temp'");

    // Nothing waits any more: later flushes stay quiet.
    reporter.flush(T0 + 2 * INTERVAL_MS);
    reporter.flush(T0 + 10 * INTERVAL_MS);
    assertThat(published).hasSize(2);
  }

  @Test
  void flushAll_reportsWhatWaits_beforeItsIntervalEnds() {
    reporter.reject(Rejection.NOT_JSON, "t/1", "c1", "not a number or JSON: a", T0);
    reporter.reject(Rejection.NOT_JSON, "t/2", "c2", "not a number or JSON: b", T0 + 10);
    reporter.countLater(Rejection.PUBLISH_DENIED, "alerts/x", "dev", "denied");
    reporter.flush(T0 + 20);
    assertThat(published).hasSize(2); // each reason's first, at once

    reporter.reject(Rejection.NOT_JSON, "t/3", "c3", "not a number or JSON: c", T0 + 30);
    reporter.countLater(Rejection.PUBLISH_DENIED, "alerts/y", "dev", "denied");
    reporter.flush(T0 + 40);
    assertThat(published).hasSize(2);

    reporter.flushAll(T0 + 50);

    assertThat(published).hasSize(4);
    assertThat(published.subList(2, 4))
        .extracting(e -> e.details().get("reason"), e -> e.details().get("count"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("not_json", 2L),
            org.assertj.core.groups.Tuple.tuple("publish_denied", 1L));
    reporter.flushAll(T0 + 60);
    assertThat(published).hasSize(4); // nothing waits any more
  }

  @Test
  void rejectionAfterAQuietInterval_isReportedAtOnceAgain() {
    reporter.reject(Rejection.EMPTY, "t", "c", "empty payload", T0);
    reporter.reject(Rejection.EMPTY, "t", "c", "empty payload", T0 + INTERVAL_MS);

    assertThat(published).hasSize(2);
    assertThat(published.get(1).details()).containsEntry("count", 1L).containsEntry("total", 2L);
  }

  @Test
  void rejectionAfterTheIntervalWithOthersWaiting_reportsThemTogether() {
    reporter.reject(Rejection.EMPTY, "t", "c", "empty payload", T0);
    reporter.reject(Rejection.EMPTY, "t", "c", "empty payload", T0 + 5);
    reporter.reject(Rejection.EMPTY, "t", "c", "empty payload", T0 + INTERVAL_MS + 5);

    assertThat(published).hasSize(2);
    assertThat(published.get(1).details()).containsEntry("count", 2L).containsEntry("total", 3L);
  }

  @Test
  void flushBeforeAnyRejection_publishesNothing() {
    reporter.flush(T0);
    reporter.flush(Long.MAX_VALUE);

    assertThat(published).isEmpty();
  }

  @Test
  void differentReasons_areIndependent() {
    reporter.reject(Rejection.NOT_JSON, "t", "c", "d1", T0);
    reporter.reject(Rejection.TOO_LARGE, "t", "c", "d2", T0 + 1);
    reporter.reject(Rejection.NOT_JSON, "t", "c", "d3", T0 + 2);
    reporter.reject(Rejection.NOT_A_NUMBER, "t", "c", "d4", T0 + 3);

    assertThat(published)
        .extracting(e -> e.details().get("reason"))
        .containsExactly("not_json", "too_large", "not_a_number");

    // Each reason's interval runs from its own report: only NOT_JSON's has passed here.
    reporter.flush(T0 + INTERVAL_MS);

    assertThat(published).hasSize(4);
    assertThat(published.get(3).details())
        .containsEntry("reason", "not_json")
        .containsEntry("count", 1L)
        .containsEntry("total", 2L);

    reporter.reject(Rejection.TOO_LARGE, "t", "c", "d5", T0 + INTERVAL_MS + 1);
    assertThat(published).hasSize(5);
    assertThat(published.get(4).details())
        .containsEntry("reason", "too_large")
        .containsEntry("count", 1L)
        .containsEntry("total", 2L);
    assertThat(reporter.total(Rejection.NOT_A_NUMBER)).isEqualTo(1);
    assertThat(reporter.total(Rejection.EMPTY)).isZero();
  }

  @Test
  void noteCounted_reportsCountsTakenElsewhere() {
    for (int i = 0; i < 7; i++) {
      reporter.count(Rejection.QUEUE_FULL);
    }
    assertThat(published).isEmpty();

    reporter.noteCounted(Rejection.QUEUE_FULL, 7, "the ingest queue was full", T0);

    assertThat(published).hasSize(1);
    Event event = published.get(0);
    assertThat(event.details())
        .containsEntry("reason", "queue_full")
        .containsEntry("count", 7L)
        .containsEntry("total", 7L)
        .doesNotContainKeys("topic", "client_id");
    assertThat(event.message())
        .isEqualTo(
            "Error: RejectedInput - 7 message(s) rejected as queue_full: the ingest queue was"
                + " full");
    assertThat(reporter.total(Rejection.QUEUE_FULL)).isEqualTo(7);
  }

  @Test
  void noteCounted_addsToTheNextReport() {
    reporter.reject(Rejection.QUEUE_FULL, "t", "c", "dropped", T0);
    for (int i = 0; i < 5; i++) {
      reporter.count(Rejection.QUEUE_FULL);
    }
    reporter.noteCounted(Rejection.QUEUE_FULL, 5, "the ingest queue was full", T0 + 1);
    reporter.noteCounted(Rejection.QUEUE_FULL, 0, "nothing new", T0 + 2);
    reporter.reject(Rejection.QUEUE_FULL, "t", "c", "dropped", T0 + 3);

    assertThat(published).hasSize(1);

    reporter.flush(T0 + INTERVAL_MS);

    assertThat(published).hasSize(2);
    assertThat(published.get(1).details())
        .containsEntry("reason", "queue_full")
        .containsEntry("count", 6L)
        .containsEntry("total", 7L);
    assertThat(reporter.total(Rejection.QUEUE_FULL)).isEqualTo(7);
  }

  @Test
  void count_aloneNeverPublishes() {
    reporter.count(Rejection.QUEUE_FULL);
    reporter.flush(T0 + 10 * INTERVAL_MS);

    assertThat(published).isEmpty();
    assertThat(reporter.total(Rejection.QUEUE_FULL)).isEqualTo(1);
  }

  @Test
  void reportsAreInTheManagersWindow() {
    reporter.reject(Rejection.NOT_JSON, "t", "c", "d", T0);
    reporter.reject(Rejection.BAD_COMMAND, "alerts/ack", "scada", "event_id is required", T0);

    assertThat(manager.getEvents(EventCategory.ERROR, EventSeverity.WARNING, 0))
        .extracting(e -> e.details().get("reason"))
        .containsExactly("not_json", "bad_command");
    assertThat(manager.getEvents().get(1).details())
        .containsEntry("topic", "alerts/ack")
        .containsEntry("client_id", "scada");
  }

  @Test
  void countLater_fromOtherThreads_countsAtOnce_andReportsOnTheNextFlush_withTheLatestDetail()
      throws Exception {
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int n = t;
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 250; i++) {
                  reporter.countLater(
                      Rejection.WRONG_PASSWORD, null, "c" + n, "login as 'u' refused: wrong password");
                }
              },
              "test-counter-" + t);
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }

    assertThat(reporter.total(Rejection.WRONG_PASSWORD)).isEqualTo(1000);
    assertThat(published).isEmpty();
    reporter.flush(T0);
    reporter.flush(T0 + 1);

    assertThat(published).hasSize(1);
    assertThat(published.get(0).message())
        .startsWith("Error: RejectedInput - 1000 login(s) rejected as wrong_password (last from client 'c")
        .endsWith("): login as 'u' refused: wrong password");
    assertThat(published.get(0).details())
        .containsEntry("count", 1000L)
        .doesNotContainKey("topic")
        .containsKey("client_id");

    reporter.countLater(Rejection.PUBLISH_DENIED, "alerts/x", "dev", "denied");
    reporter.flush(T0 + 2);
    assertThat(published).hasSize(2);
    assertThat(published.get(1).message())
        .isEqualTo(
            "Error: RejectedInput - 1 message(s) rejected as publish_denied (last on 'alerts/x'"
                + " from client 'dev'): denied");
  }
}
