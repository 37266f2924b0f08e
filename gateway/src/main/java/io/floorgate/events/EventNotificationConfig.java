package io.floorgate.events;

/**
 * The seed's {@code EVENT_NOTIFICATION} configuration block.
 *
 * @param persistenceEnabled journal every accepted event (the in-memory window works either way)
 * @param maxEvents size of the in-memory window that {@link EventManager#getEvents} reads, >= 1
 * @param defaultAlertSeverity severity of threshold events whose rule names none
 * @param publishStateChanges whether {@link DigitalTwinPublisher#publishStateUpdate} publishes
 * @param publishThresholdBreaches whether the publisher's threshold events are published
 * @param publishSimulationResults whether {@link DigitalTwinPublisher#publishSimulationResult}
 *     publishes
 */
public record EventNotificationConfig(
    boolean persistenceEnabled,
    int maxEvents,
    EventSeverity defaultAlertSeverity,
    boolean publishStateChanges,
    boolean publishThresholdBreaches,
    boolean publishSimulationResults) {

  /** The seed's defaults: persistence on, 1000 events, warning, every switch on. */
  public static final EventNotificationConfig DEFAULTS =
      new EventNotificationConfig(true, 1000, EventSeverity.WARNING, true, true, true);

  public EventNotificationConfig {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("max_events must be >= 1, but was " + maxEvents);
    }
    java.util.Objects.requireNonNull(defaultAlertSeverity, "defaultAlertSeverity");
  }

  /** These settings with persistence switched on or off. */
  public EventNotificationConfig withPersistenceEnabled(boolean enabled) {
    return new EventNotificationConfig(
        enabled,
        maxEvents,
        defaultAlertSeverity,
        publishStateChanges,
        publishThresholdBreaches,
        publishSimulationResults);
  }

  /** These settings with another window size. */
  public EventNotificationConfig withMaxEvents(int maxEvents) {
    return new EventNotificationConfig(
        persistenceEnabled,
        maxEvents,
        defaultAlertSeverity,
        publishStateChanges,
        publishThresholdBreaches,
        publishSimulationResults);
  }
}
