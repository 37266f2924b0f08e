package io.floorgate.events;

import java.util.Objects;
import java.util.Optional;

/**
 * Base for components that publish events (seed §4.1): stamps the component's source name on
 * events that carry none of their own.
 *
 * <p>Where the seed reaches for a process-wide {@code event_manager}, the manager is passed in:
 * the gateway wires its own.
 */
public class EventPublisherBase {
  private final String sourceName;
  private final EventManager eventManager;

  public EventPublisherBase(String sourceName, EventManager eventManager) {
    this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
    this.eventManager = Objects.requireNonNull(eventManager, "eventManager");
  }

  public String sourceName() {
    return sourceName;
  }

  public EventManager eventManager() {
    return eventManager;
  }

  /**
   * Publishes {@code event}, with this publisher's source name when the event's source is empty or
   * still the default {@code "system"}.
   *
   * @return the event as published, or empty when the manager's filters rejected it
   */
  public Optional<Event> publish(Event event) {
    Event stamped =
        event.source().isEmpty() || Event.DEFAULT_SOURCE.equals(event.source())
            ? event.withSource(sourceName)
            : event;
    return eventManager.publish(stamped) ? Optional.of(stamped) : Optional.empty();
  }
}
