package io.floorgate.gateway.broker;

/**
 * Receives what clients publish. Called on the broker's threads, several at once (each client's
 * messages in order, on one thread): must not block; when it cannot take a message it returns
 * false and counts the overrun itself.
 */
@FunctionalInterface
public interface MessageSink {
  boolean offer(InboundMessage message);
}
