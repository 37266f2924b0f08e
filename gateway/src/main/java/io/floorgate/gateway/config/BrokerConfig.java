package io.floorgate.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The embedded MQTT broker and its listeners.
 *
 * @param host the address the plain MQTT listener binds ({@code 127.0.0.1} by default: loopback
 *     only)
 * @param port the plain MQTT port; 0 binds any free port (the bound port is logged)
 * @param maxPayloadBytes largest payload ingest reads; bigger ones are dropped and counted
 * @param dataDir where the broker keeps sessions, retained messages and QoS 1/2 queues
 * @param persistence whether the broker persists those across restarts
 * @param maxConnections connections open at once over all listeners; more are closed at once
 * @param maxClientIdLength longest client id accepted (characters)
 * @param maxTopicLength longest topic name or filter accepted in a publish or subscribe (UTF-8
 *     bytes)
 * @param maxMessagesPerSecond per client; publishes beyond it are dropped and counted; 0 = no
 *     limit
 * @param connectTimeout how long a new connection may take to send its CONNECT
 * @param slowConsumerTimeout how long a connection may take nothing of what is sent to it before
 *     it is closed; zero = never
 * @param tls the TLS listener, when enabled
 */
public record BrokerConfig(
    String host,
    int port,
    int maxPayloadBytes,
    Path dataDir,
    boolean persistence,
    int maxConnections,
    int maxClientIdLength,
    int maxTopicLength,
    double maxMessagesPerSecond,
    Duration connectTimeout,
    Duration slowConsumerTimeout,
    Optional<TlsConfig> tls) {
  /** Default of {@code broker.slow_consumer_timeout}. */
  public static final Duration DEFAULT_SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(10);

  /** The same broker on another plain port and data directory, without TLS. */
  public BrokerConfig withPlainListener(int port, Path dataDir) {
    return new BrokerConfig(
        host,
        port,
        maxPayloadBytes,
        dataDir,
        persistence,
        maxConnections,
        maxClientIdLength,
        maxTopicLength,
        maxMessagesPerSecond,
        connectTimeout,
        slowConsumerTimeout,
        Optional.empty());
  }
}
