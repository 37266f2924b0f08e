package io.floorgate.gateway.broker;

import io.floorgate.gateway.config.BrokerConfig;
import io.moquette.broker.RoutingResults;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT broker (Moquette 0.17; MQTT 3.1 and 3.1.1 only). Everything Moquette stays in
 * this package, so another broker could replace it without touching ingest, rules or events.
 *
 * <p>What clients publish is copied out of Moquette's buffer on its interceptor thread, the
 * buffer released at once, and the copy offered to the {@link MessageSink}; a full sink drops and
 * counts, it never blocks the broker. Telemetry to moquette.io is off.
 */
public final class Broker implements MessagePublisher, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

  static {
    // Moquette 0.17 silently drops a PUBACK (and any other write) when its channel is not
    // writable, and Netty counts writes merely queued for a busy I/O thread as pending bytes. On
    // a loaded 2-core box that made the channel look full and lost thousands of PUBACKs at 5,000
    // QoS 1 msg/s, leaving devices waiting forever. Counting only bytes really waiting on the
    // socket keeps "not writable" for real back-pressure. Must be set before Netty's channel
    // classes load, hence here (and in Main).
    if (System.getProperty("io.netty.transport.estimateSizeOnSubmit") == null) {
      System.setProperty("io.netty.transport.estimateSizeOnSubmit", "false");
    }
  }
  /** Room for the topic and the packet's header beside the largest accepted payload. */
  private static final int PACKET_OVERHEAD = 1024;
  private static final String INTERNAL_CLIENT = "floorgate";

  private final BrokerConfig config;
  private final @Nullable MessageSink sink;
  private final Clock clock;
  private final Server server = new Server();
  private volatile boolean running;
  private volatile boolean closed;
  private int port;

  public Broker(BrokerConfig config, MessageSink sink, Clock clock) {
    this(sink, config, clock);
  }

  /** With no sink, no interceptor is registered. */
  private Broker(@Nullable MessageSink sink, BrokerConfig config, Clock clock) {
    this.config = config;
    this.sink = sink;
    this.clock = clock;
  }

  /**
   * Moquette configured exactly as Floorgate configures it, but with no interceptor: nothing is
   * copied out or evaluated. What the broker alone costs, the floor that {@code floorgate bench}
   * compares the gateway with.
   */
  public static Broker bare(BrokerConfig config, Clock clock) {
    return new Broker(null, config, clock);
  }

  /**
   * Starts the broker and waits until its MQTT listener is bound.
   *
   * @throws IllegalStateException naming the address when the listener cannot be bound or the
   *     broker cannot start; the broker's threads are stopped again
   */
  public void start() {
    MoquetteLogFilter.install();
    Properties props = new Properties();
    props.setProperty(IConfig.HOST_PROPERTY_NAME, config.host());
    props.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(config.port()));
    props.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    props.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, Boolean.toString(config.persistence()));
    props.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, config.dataDir().toAbsolutePath() + "/");
    props.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    // MQTT 3.1.1 lets a clean-session client send an empty id (mosquitto_pub does).
    props.setProperty("allow_zero_byte_client_id", "true");
    long maxPacket = (long) config.maxPayloadBytes() + PACKET_OVERHEAD;
    props.setProperty(
        IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Long.toString(Math.min(Integer.MAX_VALUE, maxPacket)));
    // Commit sessions, subscriptions and retained messages every second (default 30 s), so a
    // crash loses at most a second of them.
    props.setProperty("autosave_interval", "1");
    // One interceptor thread keeps messages in arrival order.
    props.setProperty("intercept.thread_pool.size", "1");
    if (config.persistence()) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create broker data directory " + config.dataDir() + ": " + e, e);
      }
    }
    List<InterceptHandler> handlers = sink == null ? List.of() : List.of(new Interceptor(sink));
    try {
      server.startServer(new MemoryConfig(props), handlers);
    } catch (IOException | RuntimeException e) {
      // Moquette leaves non-daemon threads behind when it fails half-way; stop them.
      stopQuietly();
      throw new IllegalStateException(
          "cannot start the MQTT broker on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + rootMessage(e),
          e);
    }
    running = true;
    port = awaitBoundPort();
    LOG.info(
        "MQTT listener on {}:{} (MQTT 3.1 and 3.1.1; MQTT 5 clients are refused)",
        config.host(),
        port);
  }

  /** Moquette records the bound port asynchronously, after start returns. */
  private int awaitBoundPort() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      int bound;
      try {
        bound = server.getPort();
      } catch (java.util.ConcurrentModificationException raced) {
        // Moquette 0.17 reads its port map (a HashMap) while its boss thread writes the bound
        // port into it; the write has happened when this is thrown, so the next read sees it.
        continue;
      }
      if (bound > 0) {
        return bound;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stopQuietly();
    throw new IllegalStateException(
        "the MQTT broker on " + config.host() + ":" + config.port() + " did not report its port");
  }

  /** The port the MQTT listener is bound to. */
  public int port() {
    return port;
  }

  public boolean running() {
    return running;
  }

  /** Clients connected now. */
  public int connectedClients() {
    return running ? server.listConnectedClients().size() : 0;
  }

  @Override
  public boolean publish(String topic, byte[] payload, int qos, boolean retain) {
    if (!running) {
      return false;
    }
    MqttPublishMessage message =
        MqttMessageBuilders.publish()
            .topicName(topic)
            .retained(retain)
            .qos(MqttQoS.valueOf(qos))
            .payload(Unpooled.wrappedBuffer(payload))
            .build();
    try {
      RoutingResults result = server.internalPublish(message, INTERNAL_CLIENT);
      return result.isAllSuccess();
    } catch (IllegalStateException e) {
      return false; // stopped meanwhile
    }
  }

  /** Stops the listener and the broker. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (running) {
      running = false;
      stopQuietly();
      LOG.info("MQTT listener on {}:{} closed", config.host(), port);
    }
  }

  private void stopQuietly() {
    try {
      server.stopServer();
    } catch (RuntimeException e) {
      LOG.debug("stopping the broker: {}", e.toString());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Copies each publish out of Moquette's buffer and hands it on at once. */
  private final class Interceptor extends AbstractInterceptHandler {
    private final MessageSink sink;

    Interceptor(MessageSink sink) {
      this.sink = sink;
    }

    @Override
    public String getID() {
      return "floorgate-ingest";
    }

    @Override
    public void onPublish(InterceptPublishMessage msg) {
      ByteBuf buffer = msg.getPayload();
      try {
        byte[] payload = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), payload);
        sink.offer(
            new InboundMessage(
                msg.getTopicName(),
                payload,
                msg.getQos().value(),
                msg.isRetainFlag(),
                msg.getClientID(),
                msg.getUsername(),
                clock.millis()));
      } catch (RuntimeException e) {
        LOG.error(
            "cannot hand over a message from client '{}' on '{}': {}",
            msg.getClientID(),
            msg.getTopicName(),
            e.toString());
      } finally {
        buffer.release();
      }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
      LOG.error("MQTT broker session loop failed: {}", error.toString());
    }
  }
}
