package io.floorgate.events;

/**
 * Receives published events (seed {@code EventHandler = Callable[[Event], None]}).
 *
 * <p>Handlers run on the publishing thread, outside every lock of the manager; they may publish
 * events themselves. Keep them short: a slow handler delays the publisher that called it. An
 * exception thrown by a handler is logged and does not stop the other handlers.
 */
@FunctionalInterface
public interface EventHandler {
  void handle(Event event);
}
