package io.floorgate.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Publishes the digital twin's events (seed §4.2), source {@code "digital_twin"}.
 *
 * <p>The {@code EVENT_NOTIFICATION} switches are honoured: with {@code publish_state_changes},
 * {@code publish_threshold_breaches} or {@code publish_simulation_results} off, the matching
 * methods publish nothing and return empty. Every method returns the event as published, or empty
 * when it was switched off or filtered out.
 */
public class DigitalTwinPublisher extends EventPublisherBase {
  /** The seed's source name. */
  public static final String SOURCE = "digital_twin";

  private final EventNotificationConfig config;

  public DigitalTwinPublisher(EventManager eventManager) {
    this(eventManager, eventManager.config());
  }

  public DigitalTwinPublisher(EventManager eventManager, EventNotificationConfig config) {
    super(SOURCE, eventManager);
    this.config = config;
  }

  /**
   * A change of the twin's state: a {@link SystemStateEvent} from {@code previousState}'s to
   * {@code updatedState}'s {@code system_status} ({@code "unknown"} where absent), severity info.
   */
  public Optional<Event> publishStateUpdate(
      Map<String, ?> previousState, Map<String, ?> updatedState) {
    if (!config.publishStateChanges()) {
      return Optional.empty();
    }
    SystemStateEvent event =
        SystemStateEvent.builder(status(previousState), status(updatedState))
            .severity(EventSeverity.INFO)
            .build();
    return publish(event);
  }

  private static String status(Map<String, ?> state) {
    Object status = state.get("system_status");
    return status == null ? "unknown" : String.valueOf(status);
  }

  /** A threshold breach with the seed's default severity, warning. */
  public Optional<Event> publishParameterThresholdEvent(
      String parameterPath,
      String parameterName,
      double threshold,
      double actualValue,
      Map<String, ?> state) {
    return publishParameterThresholdEvent(
        parameterPath, parameterName, threshold, actualValue, state, EventSeverity.WARNING);
  }

  /**
   * A threshold breach: a {@link ThresholdEvent} whose details add {@code parameter_path} and
   * {@code state_timestamp} ({@code state}'s {@code timestamp}, or {@code "unknown"}).
   */
  public Optional<Event> publishParameterThresholdEvent(
      String parameterPath,
      String parameterName,
      double threshold,
      double actualValue,
      Map<String, ?> state,
      EventSeverity severity) {
    return publishParameterThresholdEvent(
        parameterPath, parameterName, threshold, actualValue, state, severity, Map.of());
  }

  /**
   * A threshold breach with further details after the seed's (the gateway adds {@code rule_id},
   * {@code topic}, {@code comparison} and {@code seq}).
   */
  public Optional<Event> publishParameterThresholdEvent(
      String parameterPath,
      String parameterName,
      double threshold,
      double actualValue,
      Map<String, ?> state,
      EventSeverity severity,
      Map<String, ?> extraDetails) {
    if (!config.publishThresholdBreaches()) {
      return Optional.empty();
    }
    ThresholdEvent event =
        ThresholdEvent.builder(parameterName, threshold, actualValue)
            .severity(severity)
            .details(thresholdDetails(parameterPath, state, extraDetails))
            .build();
    return publish(event);
  }

  /**
   * The end of a threshold breach (a Floorgate addition the seed lacks): a {@code threshold}
   * event of severity info saying the parameter returned to normal, with the same details as the
   * breach. Switched by {@code publish_threshold_breaches} like the breach itself.
   */
  public Optional<Event> publishParameterClearedEvent(
      String parameterPath,
      String parameterName,
      double threshold,
      double actualValue,
      Map<String, ?> state,
      Map<String, ?> extraDetails) {
    return publishThresholdNotice(
        parameterPath,
        parameterName,
        threshold,
        actualValue,
        state,
        EventSeverity.INFO,
        "Threshold cleared: "
            + parameterName
            + " returned to normal with value "
            + PythonFormat.str(actualValue)
            + " (threshold "
            + PythonFormat.str(threshold)
            + ")",
        extraDetails);
  }

  /**
   * Any other change of a threshold alarm (lowered to a lesser tier, latched, cleared by a rule
   * change, unshelved): a {@code threshold} event with {@code message} and the breach's details.
   * Switched by {@code publish_threshold_breaches}.
   */
  public Optional<Event> publishThresholdNotice(
      String parameterPath,
      String parameterName,
      double threshold,
      double actualValue,
      Map<String, ?> state,
      EventSeverity severity,
      String message,
      Map<String, ?> extraDetails) {
    if (!config.publishThresholdBreaches()) {
      return Optional.empty();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("parameter", parameterName);
    details.put("threshold", threshold);
    details.put("actual_value", actualValue);
    details.putAll(thresholdDetails(parameterPath, state, extraDetails));
    Event event =
        Event.builder()
            .category(EventCategory.THRESHOLD)
            .severity(severity)
            .message(message)
            .details(details)
            .build();
    return publish(event);
  }

  private static Map<String, @Nullable Object> thresholdDetails(
      String parameterPath, Map<String, ?> state, Map<String, ?> extraDetails) {
    Map<String, @Nullable Object> details = new LinkedHashMap<>();
    details.put("parameter_path", parameterPath);
    Object timestamp = state.get("timestamp");
    details.put("state_timestamp", timestamp == null ? "unknown" : String.valueOf(timestamp));
    details.putAll(extraDetails);
    return details;
  }

  /** An {@link ErrorEvent} with the seed's default severity, error, and no stack trace. */
  public Optional<Event> publishErrorEvent(String errorType, String errorMessage) {
    return publishErrorEvent(errorType, errorMessage, EventSeverity.ERROR, null);
  }

  /** An {@link ErrorEvent}. */
  public Optional<Event> publishErrorEvent(
      String errorType, String errorMessage, EventSeverity severity, @Nullable String stacktrace) {
    return publishErrorEvent(errorType, errorMessage, severity, stacktrace, Map.of());
  }

  /** An {@link ErrorEvent} with further details after the seed's. */
  public Optional<Event> publishErrorEvent(
      String errorType,
      String errorMessage,
      EventSeverity severity,
      @Nullable String stacktrace,
      Map<String, ?> extraDetails) {
    ErrorEvent event =
        ErrorEvent.builder(errorType, errorMessage)
            .severity(severity)
            .stacktrace(stacktrace)
            .details(extraDetails)
            .build();
    return publish(event);
  }

  /**
   * A finished simulation: a {@code process} event of severity info, message {@code "Simulation
   * ID completed with 12.35% improvement"}, details {@code simulation_id}, {@code parameters},
   * {@code results_summary}, {@code improvement}.
   */
  public Optional<Event> publishSimulationResult(
      String simulationId, Map<String, ?> parameters, Object results, double improvement) {
    if (!config.publishSimulationResults()) {
      return Optional.empty();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("simulation_id", simulationId);
    details.put("parameters", parameters);
    details.put("results_summary", results);
    details.put("improvement", improvement);
    Event event =
        Event.builder()
            .category(EventCategory.PROCESS)
            .severity(EventSeverity.INFO)
            .message(
                "Simulation "
                    + simulationId
                    + " completed with "
                    + PythonFormat.fixed2(improvement)
                    + "% improvement")
            .details(details)
            .build();
    return publish(event);
  }
}
