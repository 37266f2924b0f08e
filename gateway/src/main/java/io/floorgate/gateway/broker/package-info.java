/**
 * The embedded MQTT broker, behind Floorgate's own small interfaces ({@link
 * io.floorgate.gateway.broker.MessageSink} in, {@link io.floorgate.gateway.broker.MessagePublisher}
 * out). Nothing outside this package imports Moquette.
 */
@NullMarked
package io.floorgate.gateway.broker;

import org.jspecify.annotations.NullMarked;
