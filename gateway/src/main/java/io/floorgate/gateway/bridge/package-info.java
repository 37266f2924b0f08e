/**
 * The northbound bridge: store-and-forward of journaled events (and, best effort, telemetry) to
 * an upstream MQTT broker, with the HiveMQ MQTT client. See {@code README.md} beside this file for
 * how it reads, sends and commits, and {@code docs/bridge.md} for operators.
 */
@NullMarked
package io.floorgate.gateway.bridge;

import org.jspecify.annotations.NullMarked;
