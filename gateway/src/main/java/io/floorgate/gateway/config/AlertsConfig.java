package io.floorgate.gateway.config;

import java.time.Duration;

/**
 * Where events and alarm states go out, and where acknowledgements come in.
 *
 * @param topic template for events: {@code {severity}}, {@code {category}}, {@code {source}},
 *     {@code {gateway_id}}
 * @param qos QoS of the republished events and alarm states
 * @param ackTopic where SCADA publishes {@code {"event_id": ..., "user_id": ...}}
 * @param alarmTopic template for retained alarm states: {@code {rule_id}}, {@code {gateway_id}}
 * @param replayAfterCrash after a crash, events published this long before it are published
 *     again (the broker may not have delivered them); zero turns it off
 */
public record AlertsConfig(
    String topic, int qos, String ackTopic, String alarmTopic, Duration replayAfterCrash) {}
