package io.floorgate.gateway.config;

import java.nio.file.Path;

/**
 * The embedded MQTT broker.
 *
 * @param host the address the MQTT listener binds ({@code 127.0.0.1} by default: loopback only)
 * @param port the MQTT port; 0 binds any free port (the bound port is logged)
 * @param maxPayloadBytes largest payload ingest reads; bigger ones are dropped and counted
 * @param dataDir where the broker keeps sessions, retained messages and QoS 1/2 queues
 * @param persistence whether the broker persists those across restarts
 */
public record BrokerConfig(
    String host, int port, int maxPayloadBytes, Path dataDir, boolean persistence) {}
