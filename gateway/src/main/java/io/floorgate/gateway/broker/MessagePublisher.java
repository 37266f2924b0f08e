package io.floorgate.gateway.broker;

/**
 * Publishes on the embedded broker as the gateway itself (not subject to client ACLs, not seen by
 * ingest). Thread-safe.
 */
public interface MessagePublisher {
  /**
   * Publishes {@code payload} on {@code topic}. A retained message is kept in memory only, not
   * in the broker's store: the gateway publishes its retained states again at every start.
   *
   * @return true when the broker routed it to every matching subscription (or had none); false
   *     when it could not (broker stopped, a subscriber's queue full): the caller may retry,
   *     accepting a duplicate for the subscribers that did get it
   */
  boolean publish(String topic, byte[] payload, int qos, boolean retain);
}
