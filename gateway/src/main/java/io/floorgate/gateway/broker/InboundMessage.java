package io.floorgate.gateway.broker;

import org.jspecify.annotations.Nullable;

/**
 * A message a client published to the broker, copied out of the broker's buffers.
 *
 * @param topic the topic it was published on
 * @param payload its payload (owned by the receiver)
 * @param qos its QoS, 0 to 2
 * @param retained whether it was published retained
 * @param clientId the publishing client
 * @param username the client's user name, if it logged in with one
 * @param receivedMillis when the broker handed it over (epoch milliseconds)
 */
public record InboundMessage(
    String topic,
    byte[] payload,
    int qos,
    boolean retained,
    String clientId,
    @Nullable String username,
    long receivedMillis) {}
