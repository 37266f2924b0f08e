package io.floorgate.gateway.broker;

import io.floorgate.gateway.broker.security.ClientAuth;
import io.floorgate.gateway.broker.security.PasswordFile;
import io.floorgate.gateway.broker.security.TlsContexts;
import io.floorgate.gateway.config.BrokerConfig;
import io.floorgate.gateway.config.SecurityConfig;
import io.floorgate.gateway.config.TlsConfig;
import io.moquette.BrokerConstants;
import io.moquette.broker.ISslContextCreator;
import io.moquette.broker.RoutingResults;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT broker (Moquette 0.17; MQTT 3.1 and 3.1.1 only) behind Floorgate's own
 * listeners. Everything Moquette stays in this package, so another broker could replace it without
 * touching ingest, rules or events.
 *
 * <p>Moquette has no listener of its own: the plain and TLS listeners are Floorgate's front door
 * ({@link FrontDoor}, {@link ConnectGate}), which authenticates each CONNECT (password file, client
 * certificate or anonymous), enforces the connection limits and then hands the connection to
 * Moquette's protocol handlers on the same channel ({@link MoquettePipeline}), with a one-time
 * {@link Tickets ticket} as its password. Moquette enforces the ACL, topic length and rate limit
 * through {@link AccessPolicy}. The package's README.md explains why.
 *
 * <p>What clients publish is copied out of Moquette's buffer on the session loop that routed it
 * ({@link InlineInterception}), the buffer released at once, and the copy offered to the {@link
 * MessageSink}; a full sink drops and counts, it never blocks the broker. Telemetry to moquette.io
 * is off.
 *
 * <p>What the gateway publishes retained (alarm states) is held in memory, what clients retain in
 * Moquette's store ({@link OwnedRetained}).
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
  /** Commands each Moquette session loop can hold (default 1,024); see moquetteProperties. */
  private static final int SESSION_QUEUE_SIZE = 8_192;

  private final BrokerConfig config;
  private final SecurityConfig security;
  /** Null for {@link #bare}: no interceptor. */
  private final @Nullable MessageSink sink;
  private final RefusalSink refusals;
  private final Clock clock;
  private final Server server = new Server();
  private final Tickets tickets = new Tickets();
  private final AccessPolicy policy;
  private final Gatekeeper gate;
  private final List<FrontDoor> doors = new ArrayList<>();
  /** Null until Moquette has started, and for {@link #bare}. */
  private volatile @Nullable OwnedRetained retained;
  private @Nullable EventLoopGroup boss;
  private @Nullable EventLoopGroup workers;
  private volatile boolean running;
  private volatile boolean moquetteRunning;
  private volatile boolean closed;
  private int port;
  private int tlsPort = -1;

  /**
   * @param refusals counts refused connections, logins, publishes and subscriptions; called on
   *     network and broker threads, must not block
   */
  public Broker(
      BrokerConfig config,
      SecurityConfig security,
      MessageSink sink,
      RefusalSink refusals,
      Clock clock) {
    this(sink, config, security, refusals, clock);
  }

  /** With no sink: {@link #bare}. */
  private Broker(
      @Nullable MessageSink sink,
      BrokerConfig config,
      SecurityConfig security,
      RefusalSink refusals,
      Clock clock) {
    this.config = config;
    this.security = security;
    this.sink = sink;
    this.refusals = refusals;
    this.clock = clock;
    this.policy =
        new AccessPolicy(
            security.acl(), config.maxTopicLength(), config.maxMessagesPerSecond(), refusals);
    this.gate =
        new Gatekeeper(
            security.passwordFile(),
            tickets,
            policy,
            config.maxConnections(),
            config.maxClientIdLength(),
            maxPacketBytes(),
            config.connectTimeout(),
            config.slowConsumerTimeout(),
            refusals);
  }

  /**
   * Moquette alone, configured as Floorgate configures it (persistence, autosave, packet limit,
   * notifications on the calling thread: {@link InlineInterception}), listening itself on the
   * configured address with anonymous clients allowed: no front door, no ACL or limits, no
   * interceptor, so nothing is copied out or evaluated. What the broker alone costs: the floor
   * that {@code floorgate bench} compares the gateway with. Not for production (it authenticates
   * nobody).
   */
  public static Broker bare(BrokerConfig config, Clock clock) {
    return new Broker(null, config, SecurityConfig.LOOPBACK_DEFAULTS, RefusalSink.NONE, clock);
  }

  private int maxPacketBytes() {
    return (int) Math.min(Integer.MAX_VALUE, (long) config.maxPayloadBytes() + PACKET_OVERHEAD);
  }

  /**
   * Starts the broker and its listeners and waits until they are bound: {@link #prepare} then
   * {@link #open}.
   *
   * @throws IllegalStateException naming the address when a listener cannot be bound or the
   *     broker cannot start; whatever had started is stopped again
   */
  public void start() {
    prepare();
    if (sink != null) {
      open();
    }
  }

  /**
   * Starts Moquette behind the still closed front door: the slow part of {@link #start} (its
   * store, its threads), which the gateway runs beside its other start-up work. No client gets in
   * before {@link #open}. A {@link #bare} broker listens itself and is fully started after this.
   *
   * @throws IllegalStateException when Moquette cannot start; whatever had started is stopped
   */
  public void prepare() {
    MoquetteLogFilter.install();
    if (sink == null) {
      startBare();
      return;
    }
    MoquetteLogFilter.register(refusals);
    try {
      startMoquette(sink);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Opens the front door's listeners, after {@link #prepare}, and waits until they are bound.
   *
   * @throws IllegalStateException naming the address when a listener cannot be bound; the broker
   *     is stopped again
   */
  public void open() {
    if (sink == null || !moquetteRunning) {
      throw new IllegalStateException("open() needs a prepared gateway broker, not a bare one");
    }
    try {
      openListeners();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    running = true;
    warnAboutAnonymous();
    LOG.info(
        "MQTT listener on {}:{}{} (MQTT 3.1 and 3.1.1; MQTT 5 clients are refused); anonymous"
            + " clients {}; users: {}; ACL: {}",
        config.host(),
        port,
        config.tls().map(t -> ", TLS listener on " + t.host() + ":" + tlsPort
            + " (client certificates: " + t.clientAuth().value() + ")").orElse(""),
        security.plainAnonymous() ? "allowed" : "refused",
        security.passwordFile().map(PasswordFile::toString).orElse("none"),
        security.acl().map(Object::toString).orElse("none (every client may use every topic)"));
  }

  /** {@link #bare}: Moquette on the configured address, no front door, no interceptor. */
  private void startBare() {
    Properties props = moquetteProperties(config.host(), Integer.toString(config.port()), true);
    try {
      server.startServer(new MemoryConfig(props), List.of());
      moquetteRunning = true;
      // As the gateway runs Moquette, so that the floor it is compared with is the same broker.
      // The bench connects only once the start is reported, after this.
      InlineInterception.install(server);
      port = awaitBoundPort();
    } catch (IOException | RuntimeException e) {
      stopQuietly();
      throw new IllegalStateException(
          "cannot start bare Moquette on " + config.host() + ":" + config.port() + ": "
              + rootMessage(e),
          e);
    }
    running = true;
    LOG.info("MQTT listener on {}:{} (bare Moquette: no front door, no interceptor)",
        config.host(), port);
  }

  /**
   * Moquette's settings, the same for the gateway and {@link #bare}.
   *
   * @param listenPort a port, or {@link BrokerConstants#DISABLED_PORT_BIND} for no listener
   */
  private Properties moquetteProperties(String host, String listenPort, boolean allowAnonymous) {
    Properties props = new Properties();
    props.setProperty(IConfig.HOST_PROPERTY_NAME, host);
    props.setProperty(IConfig.PORT_PROPERTY_NAME, listenPort);
    props.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    props.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, Boolean.toString(config.persistence()));
    props.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, config.dataDir().toAbsolutePath() + "/");
    props.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, Boolean.toString(allowAnonymous));
    // MQTT 3.1.1 lets a clean-session client send an empty id (mosquitto_pub does).
    props.setProperty("allow_zero_byte_client_id", "true");
    props.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(maxPacketBytes()));
    // Commit sessions, subscriptions and retained messages every second (default 30 s), so a
    // crash loses at most a second of them.
    props.setProperty("autosave_interval", "1");
    // One interceptor thread (the pool InlineInterception then replaces: it is never used).
    props.setProperty("intercept.thread_pool.size", "1");
    // Moquette drops a QoS 0 publish (and fails a QoS 1 one) when its session loop's queue is
    // full. Its default, 1,024 commands, is under 0.1 s of a 15,000 msg/s load: a GC pause or
    // the JIT at start-up overflowed it (floorgate bench, docs/benchmarks.md). 8,192 is about
    // half a second of it: 32 KiB of references per loop, and the queued messages when full.
    props.setProperty(IConfig.SESSION_QUEUE_SIZE, Integer.toString(SESSION_QUEUE_SIZE));
    // Moquette's own Netty on the front door's transport: epoll where it loads (see Transport).
    props.setProperty(
        BrokerConstants.NETTY_EPOLL_PROPERTY_NAME, Boolean.toString(Transport.EPOLL));
    if (config.persistence()) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create broker data directory " + config.dataDir() + ": " + e, e);
      }
    }
    return props;
  }

  private void startMoquette(MessageSink sink) {
    // Moquette has no listener of its own: the front door hands it each admitted connection
    // (MoquettePipeline). Every client carries a ticket from the front door, anonymous ones
    // included.
    Properties props = moquetteProperties("127.0.0.1", BrokerConstants.DISABLED_PORT_BIND, false);
    MemoryConfig moquetteConfig = new MemoryConfig(props);
    List<InterceptHandler> handlers = List.of(new Interceptor(sink));
    IAuthenticator authenticator =
        (clientId, username, password) -> username != null && tickets.redeem(username, password);
    ISslContextCreator noMoquetteTls =
        () -> {
          throw new IllegalStateException("TLS is terminated by Floorgate's front door");
        };
    try {
      server.startServer(moquetteConfig, handlers, noMoquetteTls, authenticator, policy);
      moquetteRunning = true;
    } catch (IOException | RuntimeException e) {
      // Moquette leaves non-daemon threads behind when it fails half-way; stop them.
      stopQuietly();
      throw new IllegalStateException("cannot start the MQTT broker: " + rootMessage(e), e);
    }
    try {
      InlineInterception.install(server);
      retained = OwnedRetained.install(server);
      gate.moquette(MoquettePipeline.of(server, moquetteConfig, authenticator, maxPacketBytes()));
    } catch (IllegalStateException e) {
      stopQuietly();
      throw e; // its message says what is missing
    }
  }

  private void openListeners() {
    boss = Transport.group(1, new DefaultThreadFactory("floorgate-mqtt-accept", true));
    workers = Transport.group(2, new DefaultThreadFactory("floorgate-mqtt-io", true));
    FrontDoor plain =
        FrontDoor.open(
            new FrontDoor.Listener(
                "mqtt", config.host(), config.port(), null, security.plainAnonymous(), false),
            gate,
            boss,
            workers);
    doors.add(plain);
    port = plain.port();
    if (config.tls().isPresent()) {
      TlsConfig tls = config.tls().get();
      SslContext context =
          TlsContexts.server(
              tls.certFile(),
              tls.keyFile(),
              tls.keystore(),
              tls.keystorePassword(),
              tls.caFile(),
              tls.clientAuth());
      FrontDoor secure =
          FrontDoor.open(
              new FrontDoor.Listener(
                  "mqtts",
                  tls.host(),
                  tls.port(),
                  context,
                  security.tlsAnonymous(),
                  tls.clientAuth() != ClientAuth.NONE),
              gate,
              boss,
              workers);
      doors.add(secure);
      tlsPort = secure.port();
    }
  }

  /** Logged at every start: an explicit opt-out of authentication on a reachable listener. */
  private void warnAboutAnonymous() {
    if (!security.allowAnonymous().orElse(false)) {
      return;
    }
    for (FrontDoor door : doors) {
      FrontDoor.Listener l = door.listener();
      boolean loopback;
      try {
        loopback = SecurityConfig.isLoopback(l.host());
      } catch (java.net.UnknownHostException e) {
        loopback = false;
      }
      if (l.anonymous() && !loopback) {
        LOG.warn(
            "security.allow_anonymous is true: anyone who can reach {}:{} ({}) may connect without"
                + " a user name{}",
            l.host(),
            door.port(),
            l.name(),
            security.acl().isPresent()
                ? " and use what the ACL grants anonymous clients"
                : " and, with no ACL, publish and subscribe on every topic");
      }
    }
  }

  /**
   * Moquette records the bound port asynchronously, on its boss thread, after start returns; and
   * {@code Server.getPort()} reads it with {@code computeIfAbsent(.., 0)}, a write into the same
   * unsynchronised HashMap. Called before the boss thread's write, it can store 0 over the real
   * port for good (seen in tests as "did not report its port"). So the map is read with a plain
   * {@code get}, through reflection on Moquette 0.17's fields; {@code getPort()} only if those
   * fields are not there.
   */
  private int awaitBoundPort() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    java.util.Map<?, ?> ports = portMap();
    while (System.nanoTime() < deadline) {
      int bound;
      try {
        Object value = ports != null ? ports.get("TCP MQTT") : Integer.valueOf(server.getPort());
        bound = value instanceof Integer i ? i : 0;
      } catch (java.util.ConcurrentModificationException raced) {
        continue; // the boss thread was writing; the next read sees it
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
    throw new IllegalStateException("the embedded MQTT broker did not report its port");
  }

  /** Moquette 0.17's {@code Server.acceptor.ports}, or null when it is not there. */
  private java.util.@Nullable Map<?, ?> portMap() {
    try {
      java.lang.reflect.Field acceptorField = Server.class.getDeclaredField("acceptor");
      acceptorField.setAccessible(true);
      Object acceptor = acceptorField.get(server);
      java.lang.reflect.Field portsField = acceptor.getClass().getDeclaredField("ports");
      portsField.setAccessible(true);
      return portsField.get(acceptor) instanceof java.util.Map<?, ?> map ? map : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("cannot read Moquette's port map ({}); using getPort()", e.toString());
      return null;
    }
  }

  /** The port the plain MQTT listener is bound to. */
  public int port() {
    return port;
  }

  /** The port the TLS listener is bound to, or -1 when there is none. */
  public int tlsPort() {
    return tlsPort;
  }

  /** Connections open through the listeners now (admitted or still connecting). */
  public int openConnections() {
    return gate.connections();
  }

  /** Logins refused since start. */
  public long refusedLogins() {
    return gate.refusedLogins();
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
    OwnedRetained own = retained;
    try {
      RoutingResults result =
          retain && own != null
              ? own.asGateway(() -> server.internalPublish(message, INTERNAL_CLIENT))
              : server.internalPublish(message, INTERNAL_CLIENT);
      return result.isAllSuccess();
    } catch (IllegalStateException e) {
      return false; // stopped meanwhile
    }
  }

  /** Stops the listeners (no new connections), their connections, then the broker. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean wasRunning = running;
    running = false;
    for (FrontDoor door : doors) {
      door.close();
    }
    for (EventLoopGroup group : new EventLoopGroup[] {boss, workers}) {
      if (group != null) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
    gate.close();
    stopQuietly();
    MoquetteLogFilter.unregister(refusals);
    if (wasRunning) {
      LOG.info("MQTT listener on {}:{} closed", config.host(), port);
    }
  }

  private void stopQuietly() {
    if (!moquetteRunning) {
      return;
    }
    moquetteRunning = false;
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
                msg.getUsername() == null || msg.getUsername().isEmpty() ? null : msg.getUsername(),
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
    public void onConnect(InterceptConnectMessage msg) {
      // Moquette now counts the connection as connected: the front door may read on from it.
      tickets.connected(msg.getPassword());
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
      policy.forget(msg.getClientID());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
      policy.forget(msg.getClientID());
    }

    @Override
    public void onSessionLoopError(Throwable error) {
      LOG.error("MQTT broker session loop failed: {}", error.toString());
    }
  }
}
