package io.floorgate.events;

/**
 * Decides whether an event of a category is processed (seed {@code EventFilter = Callable[[Event],
 * bool]}). An event passes when any filter of its category accepts it; a filter that throws
 * counts as rejecting.
 */
@FunctionalInterface
public interface EventFilter {
  boolean accept(Event event);
}
