package io.floorgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The seed's publishers (§4, §5.3) and the EVENT_NOTIFICATION switches. */
class DigitalTwinPublisherTest {
  private final EventManager manager = EventManager.inMemory(EventNotificationConfig.DEFAULTS);
  private final List<Event> received = new ArrayList<>();

  DigitalTwinPublisherTest() {
    manager.subscribe(received::add);
  }

  @Test
  void seedExample_publishThresholdBreachAndError() {
    DigitalTwinPublisher publisher = new DigitalTwinPublisher(manager);

    publisher.publishParameterThresholdEvent(
        "production_line.temperature",
        "Temperature",
        25.0,
        26.5,
        Map.of("timestamp", "2025-02-24T14:30:22.123456"),
        EventSeverity.WARNING);
    publisher.publishErrorEvent(
        "SimulationError", "Simulation failed to converge", EventSeverity.ERROR, null);

    assertThat(received).hasSize(2);
    Event threshold = received.get(0);
    assertThat(threshold).isInstanceOf(ThresholdEvent.class);
    assertThat(threshold.source()).isEqualTo("digital_twin");
    assertThat(threshold.severity()).isEqualTo(EventSeverity.WARNING);
    assertThat(threshold.message())
        .isEqualTo("Threshold breach: Temperature exceeded 25.0 with value 26.5");
    assertThat(threshold.details())
        .containsExactly(
            Map.entry("parameter", "Temperature"),
            Map.entry("threshold", 25.0),
            Map.entry("actual_value", 26.5),
            Map.entry("parameter_path", "production_line.temperature"),
            Map.entry("state_timestamp", "2025-02-24T14:30:22.123456"));
    Event error = received.get(1);
    assertThat(error.category()).isEqualTo(EventCategory.ERROR);
    assertThat(error.message()).isEqualTo("Error: SimulationError - Simulation failed to converge");
    assertThat(error.source()).isEqualTo("digital_twin");
  }

  @Test
  void thresholdEvent_withoutStateTimestamp_saysUnknownAndDefaultsToWarning() {
    new DigitalTwinPublisher(manager)
        .publishParameterThresholdEvent("a.b", "B", 1.0, 2.0, Map.of());

    assertThat(received.get(0).details()).containsEntry("state_timestamp", "unknown");
    assertThat(received.get(0).severity()).isEqualTo(EventSeverity.WARNING);
  }

  @Test
  void stateUpdate_carriesTheTwoSystemStatuses() {
    new DigitalTwinPublisher(manager)
        .publishStateUpdate(Map.of("system_status", "idle"), Map.of("system_status", "running"));
    new DigitalTwinPublisher(manager).publishStateUpdate(Map.of(), Map.of("other", 1));

    assertThat(received.get(0)).isInstanceOf(SystemStateEvent.class);
    assertThat(received.get(0).message()).isEqualTo("System state changed from idle to running");
    assertThat(received.get(0).severity()).isEqualTo(EventSeverity.INFO);
    assertThat(received.get(1).details())
        .containsEntry("previous_state", "unknown")
        .containsEntry("new_state", "unknown");
  }

  @Test
  void simulationResult_isAProcessEventWithTheSeedsMessage() {
    Optional<Event> published =
        new DigitalTwinPublisher(manager)
            .publishSimulationResult(
                "sim-42", Map.of("speed", 3), Map.of("yield", 0.97), 12.3456);

    assertThat(published).isPresent();
    Event event = received.get(0);
    assertThat(event.category()).isEqualTo(EventCategory.PROCESS);
    assertThat(event.severity()).isEqualTo(EventSeverity.INFO);
    assertThat(event.message()).isEqualTo("Simulation sim-42 completed with 12.35% improvement");
    assertThat(event.details())
        .containsExactly(
            Map.entry("simulation_id", "sim-42"),
            Map.entry("parameters", Map.of("speed", 3L)),
            Map.entry("results_summary", Map.of("yield", 0.97)),
            Map.entry("improvement", 12.3456));
  }

  @Test
  void switchesOff_publishNothingOfThatKind() {
    EventNotificationConfig off =
        new EventNotificationConfig(true, 1000, EventSeverity.WARNING, false, false, false);
    DigitalTwinPublisher publisher = new DigitalTwinPublisher(manager, off);

    assertThat(publisher.publishStateUpdate(Map.of(), Map.of("system_status", "x"))).isEmpty();
    assertThat(publisher.publishParameterThresholdEvent("p", "P", 1, 2, Map.of())).isEmpty();
    assertThat(publisher.publishParameterClearedEvent("p", "P", 1, 0, Map.of(), Map.of()))
        .isEmpty();
    assertThat(publisher.publishSimulationResult("s", Map.of(), Map.of(), 1)).isEmpty();
    assertThat(publisher.publishErrorEvent("E", "errors are never switched off")).isPresent();

    assertThat(received).extracting(Event::category).containsExactly(EventCategory.ERROR);
  }

  @Test
  void clearedEvent_isAnInfoThresholdEventSayingTheParameterReturnedToNormal() {
    new DigitalTwinPublisher(manager)
        .publishParameterClearedEvent(
            "value", "Line temperature", 25.0, 24.2, Map.of(), Map.of("rule_id", "line-temp"));

    Event event = received.get(0);
    assertThat(event.category()).isEqualTo(EventCategory.THRESHOLD);
    assertThat(event.severity()).isEqualTo(EventSeverity.INFO);
    assertThat(event.message())
        .isEqualTo("Threshold cleared: Line temperature returned to normal with value 24.2"
            + " (threshold 25.0)");
    assertThat(event.details())
        .containsEntry("parameter", "Line temperature")
        .containsEntry("actual_value", 24.2)
        .containsEntry("rule_id", "line-temp");
  }

  @Test
  void publisherBase_stampsItsSourceOnlyOnDefaultOrEmptySources() {
    EventPublisherBase base = new EventPublisherBase("oven-controller", manager);

    base.publish(Event.builder().build());
    base.publish(Event.builder().source("").build());
    base.publish(Event.builder().source("plc-7").build());

    assertThat(received)
        .extracting(Event::source)
        .containsExactly("oven-controller", "oven-controller", "plc-7");
  }

  @Test
  void filteredOut_returnsEmpty() {
    manager.addFilter(EventCategory.THRESHOLD, e -> false);

    assertThat(
            new DigitalTwinPublisher(manager)
                .publishParameterThresholdEvent("p", "P", 1, 2, Map.of()))
        .isEmpty();
  }
}
