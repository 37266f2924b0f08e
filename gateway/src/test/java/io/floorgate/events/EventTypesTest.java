package io.floorgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTypesTest {

  @Test
  void enums_carryTheSeedValues() {
    assertThat(EventCategory.values())
        .extracting(EventCategory::value)
        .containsExactly("system", "process", "optimization", "threshold", "user", "error");
    assertThat(EventSeverity.values())
        .extracting(EventSeverity::value)
        .containsExactly("info", "warning", "error", "critical");
  }

  @Test
  void parse_acceptsAnyCase() {
    assertThat(EventCategory.parse("THRESHOLD")).isEqualTo(EventCategory.THRESHOLD);
    assertThat(EventCategory.parse("Threshold")).isEqualTo(EventCategory.THRESHOLD);
    assertThat(EventSeverity.parse("WARNING")).isEqualTo(EventSeverity.WARNING);
    assertThat(EventSeverity.parse("critical")).isEqualTo(EventSeverity.CRITICAL);
  }

  @Test
  void parse_unknownValue_isRejectedWithTheAllowedList() {
    assertThatThrownBy(() -> EventSeverity.parse("fatal"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("severity must be one of [info, warning, error, critical], but was 'fatal'");
    assertThatThrownBy(() -> EventCategory.parse("alarm"))
        .hasMessage(
            "category must be one of [system, process, optimization, threshold, user, error],"
                + " but was 'alarm'");
  }

  @Test
  void event_hasTheSeedDefaults() {
    Event event = Event.builder().build();

    assertThat(event.eventId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(event.timestamp()).isBetween(Instant.now().minusSeconds(5), Instant.now());
    assertThat(event.category()).isEqualTo(EventCategory.SYSTEM);
    assertThat(event.severity()).isEqualTo(EventSeverity.INFO);
    assertThat(event.source()).isEqualTo("system");
    assertThat(event.message()).isEmpty();
    assertThat(event.details()).isEmpty();
    assertThat(event.acknowledged()).isFalse();
    assertThat(Event.builder().build().eventId()).isNotEqualTo(event.eventId());
  }

  @Test
  void toMap_hasExactlyTheSeedKeysInOrder() {
    Event event =
        Event.builder()
            .eventId("e-1")
            .timestamp(Instant.parse("2026-11-29T20:46:50.123456Z"))
            .category(EventCategory.PROCESS)
            .severity(EventSeverity.ERROR)
            .source("line1")
            .message("stopped")
            .details(Map.of("k", "v"))
            .build();

    Map<String, Object> map = event.toMap();

    assertThat(map.keySet())
        .containsExactly(
            "event_id",
            "timestamp",
            "category",
            "severity",
            "source",
            "message",
            "details",
            "acknowledged");
    assertThat(map)
        .containsEntry("event_id", "e-1")
        .containsEntry("timestamp", "2026-11-29T20:46:50.123456Z")
        .containsEntry("category", "process")
        .containsEntry("severity", "error")
        .containsEntry("source", "line1")
        .containsEntry("message", "stopped")
        .containsEntry("details", Map.of("k", "v"))
        .containsEntry("acknowledged", false);
  }

  @Test
  void timestamps_areUtcWithSixFractionDigits() {
    assertThat(EventTimestamps.format(Instant.parse("2026-01-02T03:04:05Z")))
        .isEqualTo("2026-01-02T03:04:05.000000Z");
    assertThat(EventTimestamps.format(Instant.parse("2026-01-02T03:04:05.000007Z")))
        .isEqualTo("2026-01-02T03:04:05.000007Z");
    assertThat(EventTimestamps.format(Instant.parse("2026-01-02T03:04:05.123456789Z")))
        .isEqualTo("2026-01-02T03:04:05.123456Z");
  }

  @Test
  void fromMap_emptyMap_takesTheSeedDefaults() {
    Event event = Event.fromMap(Map.of());

    assertThat(event.eventId()).hasSize(36);
    assertThat(event.timestamp()).isBetween(Instant.now().minusSeconds(5), Instant.now());
    assertThat(event.category()).isEqualTo(EventCategory.SYSTEM);
    assertThat(event.severity()).isEqualTo(EventSeverity.INFO);
    assertThat(event.source()).isEqualTo("system");
    assertThat(event.message()).isEmpty();
    assertThat(event.details()).isEmpty();
    assertThat(event.acknowledged()).isFalse();
  }

  @Test
  void fromMap_readsTheSeedsOffsetLessTimestampInTheGivenZone() {
    Event event =
        Event.fromMap(
            Map.of("timestamp", "2025-02-24T14:30:22.123456"), ZoneId.of("Europe/Berlin"));

    assertThat(event.timestamp()).isEqualTo(Instant.parse("2025-02-24T13:30:22.123456Z"));
  }

  @Test
  void fromMap_acceptsUpperCaseEnumsAndOffsets() {
    Event event =
        Event.fromMap(
            Map.of(
                "category", "THRESHOLD",
                "severity", "Critical",
                "timestamp", "2026-11-29T21:46:50.5+01:00"));

    assertThat(event.category()).isEqualTo(EventCategory.THRESHOLD);
    assertThat(event.severity()).isEqualTo(EventSeverity.CRITICAL);
    assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-11-29T20:46:50.5Z"));
  }

  @Test
  void fromMap_wrongTypes_areRejectedNamingTheKey() {
    assertThatThrownBy(() -> Event.fromMap(Map.of("acknowledged", "yes")))
        .hasMessageContaining("acknowledged must be true or false");
    assertThatThrownBy(() -> Event.fromMap(Map.of("details", List.of())))
        .hasMessageContaining("details must be an object");
    assertThatThrownBy(() -> Event.fromMap(Map.of("message", 5)))
        .hasMessageContaining("message must be a string");
    assertThatThrownBy(() -> Event.fromMap(Map.of("severity", "fatal")))
        .hasMessageContaining("severity must be one of");
    assertThatThrownBy(() -> Event.fromMap(Map.of("timestamp", "yesterday")))
        .hasMessageContaining("timestamp must be an ISO-8601 date-time")
        .hasMessageContaining("'yesterday'");
  }

  @Test
  void toMapThenFromMap_roundTripsEveryField() {
    Map<String, Object> details = new HashMap<>();
    details.put("nested", Map.of("a", List.of(1, 2.5, "x", true)));
    details.put("none", null);
    Event event =
        ThresholdEvent.builder("temperature", 25.0, 26.5)
            .severity(EventSeverity.CRITICAL)
            .source("twin")
            .details(details)
            .acknowledged(true)
            .build();

    assertThat(Event.fromMap(event.toMap())).isEqualTo(event);
    assertThat(EventJson.fromJson(EventJson.toJson(event))).isEqualTo(event);
  }

  @Test
  void json_isTheToMapInTheSeedsKeyOrder() {
    Event event =
        new ThresholdEvent("temperature", 25.0, 26.5)
            .withSource("digital_twin");
    String json = EventJson.toJson(event);

    assertThat(json)
        .startsWith("{\"event_id\":\"" + event.eventId() + "\",\"timestamp\":\"")
        .endsWith(
            "\"category\":\"threshold\",\"severity\":\"warning\",\"source\":\"digital_twin\","
                + "\"message\":\"Threshold breach: temperature exceeded 25.0 with value 26.5\","
                + "\"details\":{\"parameter\":\"temperature\",\"threshold\":25.0,"
                + "\"actual_value\":26.5},\"acknowledged\":false}");
  }

  @Test
  void details_areADeepImmutableCopy() {
    List<Object> list = new ArrayList<>(List.of(1));
    Map<String, Object> details = new HashMap<>(Map.of("list", list));
    Event event = Event.builder().details(details).build();

    list.add(2);
    details.put("late", true);

    assertThat(event.details()).containsOnlyKeys("list");
    assertThat(event.details().get("list")).isEqualTo(List.of(1L));
    assertThatThrownBy(() -> event.details().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void details_nonJsonValues_areRejectedNamingThePath() {
    assertThatThrownBy(
            () -> Event.builder().details(Map.of("when", Map.of("at", Instant.EPOCH))).build())
        .hasMessageStartingWith("details.when.at must be a JSON value");
    assertThatThrownBy(() -> new ThresholdEvent("t", 1, Double.NaN))
        .hasMessage("details.actual_value must be a finite number, but was NaN");
  }

  @Test
  void withAcknowledgedAndWithSource_keepTheTypeAndId() {
    ThresholdEvent event = new ThresholdEvent("temperature", 25.0, 26.5);

    Event acked = event.withAcknowledged(true);
    Event stamped = event.withSource("digital_twin");

    assertThat(acked).isInstanceOf(ThresholdEvent.class);
    assertThat(acked.acknowledged()).isTrue();
    assertThat(acked.eventId()).isEqualTo(event.eventId());
    assertThat(stamped).isInstanceOf(ThresholdEvent.class);
    assertThat(stamped.source()).isEqualTo("digital_twin");
    assertThat(event.acknowledged()).isFalse();
    assertThat(event.source()).isEqualTo("system");
  }

  @Test
  void systemStateEvent_hasTheSeedsMessageAndDetails() {
    SystemStateEvent event = new SystemStateEvent("idle", "running");

    assertThat(event.category()).isEqualTo(EventCategory.SYSTEM);
    assertThat(event.severity()).isEqualTo(EventSeverity.INFO);
    assertThat(event.message()).isEqualTo("System state changed from idle to running");
    assertThat(event.details())
        .containsExactly(Map.entry("previous_state", "idle"), Map.entry("new_state", "running"));
  }

  @Test
  void thresholdEvent_hasTheSeedsMessageDetailsAndDefaultSeverity() {
    ThresholdEvent event = new ThresholdEvent("temperature", 25.0, 26.5);

    assertThat(event.category()).isEqualTo(EventCategory.THRESHOLD);
    assertThat(event.severity()).isEqualTo(EventSeverity.WARNING);
    assertThat(event.message())
        .isEqualTo("Threshold breach: temperature exceeded 25.0 with value 26.5");
    assertThat(event.details())
        .containsExactly(
            Map.entry("parameter", "temperature"),
            Map.entry("threshold", 25.0),
            Map.entry("actual_value", 26.5));
    assertThat(new ThresholdEvent("p", 1, 2, EventSeverity.CRITICAL).severity())
        .isEqualTo(EventSeverity.CRITICAL);
  }

  @Test
  void thresholdEvent_extraDetailsFollowAndMayOverride() {
    ThresholdEvent event =
        ThresholdEvent.builder("temperature", 25.0, 26.5)
            .details(Map.of("parameter_path", "production_line.temperature", "threshold", 30.0))
            .build();

    assertThat(event.details())
        .containsExactly(
            Map.entry("parameter", "temperature"),
            Map.entry("threshold", 30.0),
            Map.entry("actual_value", 26.5),
            Map.entry("parameter_path", "production_line.temperature"));
  }

  @Test
  void messages_printNumbersAsPythonDoes() {
    assertThat(new ThresholdEvent("p", 25, 1e-5).message())
        .isEqualTo("Threshold breach: p exceeded 25.0 with value 1e-05");
    assertThat(new ThresholdEvent("p", 12345678.0, 1e16).message())
        .isEqualTo("Threshold breach: p exceeded 12345678.0 with value 1e+16");
    assertThat(new ThresholdEvent("p", 0.0001, -2.5e-7).message())
        .isEqualTo("Threshold breach: p exceeded 0.0001 with value -2.5e-07");
    assertThat(new OptimizationEvent("o", 0.125, "a").message())
        .isEqualTo("Optimization opportunity: o with 0.12% improvement potential");
  }

  @Test
  void optimizationEvent_hasTheSeedsMessageAndDetails() {
    OptimizationEvent event =
        new OptimizationEvent("energy", 12.345, "Lower the oven setpoint by 2 K");

    assertThat(event.category()).isEqualTo(EventCategory.OPTIMIZATION);
    assertThat(event.severity()).isEqualTo(EventSeverity.INFO);
    assertThat(event.message())
        .isEqualTo("Optimization opportunity: energy with 12.35% improvement potential");
    assertThat(event.details())
        .containsExactly(
            Map.entry("optimization_type", "energy"),
            Map.entry("potential_improvement", 12.345),
            Map.entry("recommended_action", "Lower the oven setpoint by 2 K"));
  }

  @Test
  void errorEvent_hasTheSeedsMessageDetailsAndNullStacktrace() {
    ErrorEvent event = new ErrorEvent("SimulationError", "Simulation failed to converge");

    assertThat(event.category()).isEqualTo(EventCategory.ERROR);
    assertThat(event.severity()).isEqualTo(EventSeverity.ERROR);
    assertThat(event.message()).isEqualTo("Error: SimulationError - Simulation failed to converge");
    assertThat(event.details()).containsOnlyKeys("error_type", "error_message", "stacktrace");
    assertThat(event.details().get("stacktrace")).isNull();
    assertThat(
            ErrorEvent.builder("E", "m").stacktrace("at x").severity(EventSeverity.CRITICAL).build())
        .satisfies(
            e -> {
              assertThat(e.details()).containsEntry("stacktrace", "at x");
              assertThat(e.severity()).isEqualTo(EventSeverity.CRITICAL);
            });
  }

  @Test
  void userActionEvent_hasTheSeedsMessageAndDetails() {
    UserActionEvent event =
        new UserActionEvent("op-7", "acknowledge_event", Map.of("event_id", "e-1"));

    assertThat(event.category()).isEqualTo(EventCategory.USER);
    assertThat(event.severity()).isEqualTo(EventSeverity.INFO);
    assertThat(event.message()).isEqualTo("User op-7 performed action: acknowledge_event");
    assertThat(event.details())
        .containsExactly(
            Map.entry("user_id", "op-7"),
            Map.entry("action", "acknowledge_event"),
            Map.entry("action_details", Map.of("event_id", "e-1")));
  }

  @Test
  void equality_ignoresTheSubtypeButNotTheFields() {
    Event threshold = new ThresholdEvent("t", 1, 2);
    Event plain = Event.fromMap(threshold.toMap());

    assertThat(plain).isEqualTo(threshold).hasSameHashCodeAs(threshold);
    assertThat(plain.withAcknowledged(true)).isNotEqualTo(threshold);
  }

  @Test
  void parse_timestampWithoutOffset_usesTheZone() {
    assertThat(EventTimestamps.parse("2026-06-01T12:00:00", ZoneOffset.ofHours(2)))
        .isEqualTo(Instant.parse("2026-06-01T10:00:00Z"));
  }
}
