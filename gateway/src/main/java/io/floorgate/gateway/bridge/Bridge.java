package io.floorgate.gateway.bridge;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.exceptions.MqttDecodeException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.floorgate.events.ErrorEvent;
import io.floorgate.events.Event;
import io.floorgate.events.EventJson;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventPublisherBase;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.EventTimestamps;
import io.floorgate.gateway.broker.InboundMessage;
import io.floorgate.gateway.config.BridgeConfig;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalCursor;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import io.floorgate.rules.topic.TopicIndex;
import io.netty.channel.MultithreadEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.reactivex.schedulers.Schedulers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward of journaled events to an upstream MQTT broker (see {@code README.md} beside
 * this class).
 *
 * <p>It reads the journal with its own persisted cursor ({@code bridge}) and moves it only past
 * events the upstream acknowledged (QoS 1 PUBACK), in journal order. A second, unpersisted reader
 * reads ahead so that up to {@code bridge.in_flight} events are on their way at once; the cursor
 * is committed up to the oldest event still unacknowledged. After a lost connection the
 * unacknowledged events are sent again; after a crash the cursor resumes where it was committed.
 * Either way at least once, with duplicates only among the events that were in flight.
 *
 * <p>Threads: {@code floorgate-bridge} owns the cursor, both readers, the window and the
 * connection state; the HiveMQ client runs on {@code floorgate-bridge-io} (network) and {@code
 * floorgate-bridge-callbacks} (its futures and subscriptions), which only hand results to the
 * bridge thread through a queue and wake it with {@link LockSupport#unpark}. Nothing here is ever
 * interrupted (the bridge thread does Chronicle file I/O). {@link #status()} and {@link
 * #offerTelemetry} may be called from any thread.
 */
public final class Bridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

  /** The cursor's name in the journal. */
  public static final String CURSOR = "bridge";

  /** The source of the bridge's own events. */
  public static final String SOURCE = "floorgate-bridge";

  /** The content type of forwarded events (MQTT 5). */
  public static final String CONTENT_TYPE = "application/json";

  private static final int READ_BATCH = 10_000;
  private static final int TELEMETRY_IN_FLIGHT = 1_000;
  private static final long IDLE_PARK_MILLIS = 200;
  private static final Duration RISK_REPEAT = Duration.ofHours(1);
  private static final long WARN_INTERVAL_MILLIS = 60_000;
  private static final int LOGGED_ERRORS = 16;

  /** Applies an acknowledgement received from the upstream. */
  @FunctionalInterface
  public interface Acknowledger {
    /**
     * Acknowledges {@code eventId} as {@code userId}; the future says whether the event was known.
     * Called on the bridge's acks thread, which it may block while the gateway cannot take the
     * acknowledgement up yet; an interrupt (the bridge stopping) ends that wait.
     */
    CompletableFuture<Boolean> acknowledge(String eventId, String userId);
  }

  private enum State {
    DISCONNECTED,
    CONNECTING,
    CONNECTED
  }

  private static final int UNSENT = 0;
  private static final int SENT = 1;
  private static final int DONE = 2;

  /** An event read ahead and not yet committed. Fields change on the bridge thread only. */
  private static final class Entry {
    final long index;
    final JournalRecord.EventRecord event;
    final String topic;
    int state = UNSENT;
    int generation;

    Entry(long index, JournalRecord.EventRecord event, String topic) {
      this.index = index;
      this.event = event;
      this.topic = topic;
    }
  }

  /** What the client threads hand to the bridge thread. */
  private sealed interface Signal {}

  private record Acked(Entry entry, int generation, @Nullable Throwable error) implements Signal {}

  private record Connected(int generation) implements Signal {}

  private record ConnectFailed(int generation, Throwable error) implements Signal {}

  private record Lost(@Nullable Throwable cause) implements Signal {}

  private final BridgeConfig config;
  private final String gatewayId;
  private final Journal journal;
  private final EventPublisherBase publisher;
  private final Acknowledger acknowledger;
  private final Clock clock;
  private final Thread thread;
  private final MultithreadEventLoopGroup ioThreads;
  private final ExecutorService callbackThreads;
  /**
   * Applies the upstream's acknowledgements, one at a time: applying one can wait (for room in
   * the ingest queue, for the journal), and must not hold up the client's callbacks, which
   * complete the forwarding of events.
   */
  private final ExecutorService ackThread;
  private final @Nullable Upstream v5;
  private final @Nullable Upstream v3;
  private final @Nullable TopicIndex<Boolean> telemetryFilters;
  private final String telemetryPrefix;
  private final String telemetrySuffix;
  private final ConcurrentLinkedQueue<Signal> signals = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  // ---- owned by the bridge thread ----
  private @Nullable JournalCursor cursor;
  private @Nullable JournalReader reader;
  private @Nullable JournalReader scanner;
  private final ArrayDeque<Entry> window = new ArrayDeque<>();
  private final ArrayDeque<Entry> unsent = new ArrayDeque<>();
  private long lastReadIndex = -1;
  private long committedBelow = Long.MIN_VALUE;
  private State state = State.DISCONNECTED;
  private int generation;
  private boolean useV3;
  private long nextAttemptNanos = System.nanoTime();
  private final Backoff backoff;
  /**
   * Failures logged at ERROR since the bridge last worked: each is logged once (a refusing or
   * flapping upstream alternates between a few), again only after a connection that works, or
   * while refusing, an acknowledged event. At most {@link #LOGGED_ERRORS} are remembered.
   */
  private final Set<String> loggedErrors = new HashSet<>();
  /**
   * The upstream refused an event (an error PUBACK) and has not acknowledged one since: a new
   * connection then does not reset the backoff or the logged error, so that a refusing upstream
   * is retried ever more slowly (up to the maximum delay) and logged once, not at every attempt.
   */
  private boolean refusing;
  private @Nullable Instant lastRiskWarning;
  private int sentCount;

  // ---- read by status() on any thread ----
  private volatile @Nullable Upstream current;
  private volatile boolean connected;
  private volatile @Nullable String protocol;
  private volatile @Nullable Instant connectedSince;
  private volatile @Nullable String lastError;
  private volatile @Nullable Instant lastErrorAt;
  private volatile boolean retentionAtRisk;
  private volatile long oldestUnsentMicros = -1;
  private volatile int inFlight;
  private final AtomicLong scannedEvents = new AtomicLong();
  private final AtomicLong ackedEvents = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicInteger telemetryInFlight = new AtomicInteger();
  private final AtomicLong telemetryForwarded = new AtomicLong();
  private final AtomicLong telemetryDropped = new AtomicLong();
  private final AtomicLong acksApplied = new AtomicLong();
  private final AtomicLong acksRejected = new AtomicLong();
  private final AtomicLong lastAckWarning = new AtomicLong(Long.MIN_VALUE);

  private Bridge(
      BridgeConfig config,
      String gatewayId,
      Journal journal,
      EventManager events,
      Acknowledger acknowledger,
      Clock clock,
      Function<String, @Nullable String> environment) {
    this.config = config;
    this.gatewayId = gatewayId;
    this.journal = journal;
    this.publisher = new EventPublisherBase(SOURCE, events);
    this.acknowledger = acknowledger;
    this.clock = clock;
    this.backoff =
        new Backoff(
            config.reconnectMinDelay(),
            config.reconnectMaxDelay(),
            () -> ThreadLocalRandom.current().nextDouble());
    // Secrets and TLS files are read once, here, so that a problem stops the start-up.
    byte @Nullable [] password = password(config.password(), environment);
    Optional<MqttClientSslConfig> ssl = config.tls().map(TlsMaterial::load);
    if (config.telemetry().enabled()) {
      TopicIndex<Boolean> filters = new TopicIndex<>();
      config.telemetry().topics().forEach(f -> filters.add(f, Boolean.TRUE));
      telemetryFilters = filters;
      String template = config.telemetry().topic().replace("{gateway_id}", gatewayId);
      int at = template.indexOf("{topic}");
      telemetryPrefix = template.substring(0, at);
      telemetrySuffix = template.substring(at + "{topic}".length());
    } else {
      telemetryFilters = null;
      telemetryPrefix = "";
      telemetrySuffix = "";
    }
    // The client's network thread is an event loop group of ours, handed to the client as its
    // executor: the client then leaves it running when a connection ends. Given a plain executor
    // it shuts its group down at each disconnect and makes a new one at the next connect, and a
    // connect right after a lost connection could land on the terminating loop ("Failed to submit
    // a listener notification task ... event executor terminated", logged by Netty). The group
    // must be the kind the client opens channels for: epoll when Netty's epoll works, else NIO.
    this.ioThreads =
        Epoll.isAvailable()
            ? new EpollEventLoopGroup(1, threads("floorgate-bridge-io-"))
            : new NioEventLoopGroup(1, threads("floorgate-bridge-io-"));
    this.callbackThreads = singleThread("floorgate-bridge-callbacks-");
    this.ackThread = singleThread("floorgate-bridge-acks-");
    MqttClientExecutorConfig executors =
        MqttClientExecutorConfig.builder()
            .nettyExecutor(ioThreads)
            .nettyThreads(1)
            .applicationScheduler(Schedulers.from(callbackThreads))
            .build();
    Upstream.Settings settings =
        new Upstream.Settings(
            config.host(),
            config.port(),
            config.clientId(),
            ssl,
            config.username(),
            password,
            (int) config.keepAlive().toSeconds(),
            config.connectTimeout().toMillis(),
            executors,
            cause -> signal(new Lost(cause)));
    this.v5 = config.mqttVersion() == BridgeConfig.MqttVersion.V3_1_1 ? null : new Upstream.V5(settings);
    this.v3 = config.mqttVersion() == BridgeConfig.MqttVersion.V5 ? null : new Upstream.V3(settings);
    this.useV3 = v5 == null;
    this.thread = new Thread(this::run, "floorgate-bridge");
    this.thread.setUncaughtExceptionHandler(
        (t, e) -> LOG.error("thread {} died: {}", t.getName(), e.toString(), e));
  }

  /**
   * Starts forwarding, resuming at the {@code bridge} cursor; the password comes from the process
   * environment when {@code bridge.password_env} says so.
   *
   * @throws IllegalArgumentException when the password or a TLS file cannot be read, naming the
   *     key and the file or variable (never the password)
   */
  public static Bridge start(
      BridgeConfig config,
      String gatewayId,
      Journal journal,
      EventManager events,
      Acknowledger acknowledger,
      Clock clock) {
    return start(config, gatewayId, journal, events, acknowledger, clock, System::getenv);
  }

  /** {@link #start} with the environment given (tests). */
  static Bridge start(
      BridgeConfig config,
      String gatewayId,
      Journal journal,
      EventManager events,
      Acknowledger acknowledger,
      Clock clock,
      Function<String, @Nullable String> environment) {
    Bridge bridge = new Bridge(config, gatewayId, journal, events, acknowledger, clock, environment);
    bridge.thread.start();
    LOG.info(
        "bridge to {} as client '{}' (MQTT {}), topic {}, at most {} event(s) in flight",
        config.upstream(),
        config.clientId(),
        config.mqttVersion(),
        config.topic(),
        config.inFlight());
    return bridge;
  }

  private static byte @Nullable [] password(
      BridgeConfig.Password password, Function<String, @Nullable String> environment) {
    if (password instanceof BridgeConfig.Password.Inline inline) {
      return inline.value().getBytes(StandardCharsets.UTF_8);
    }
    if (password instanceof BridgeConfig.Password.FromEnvironment env) {
      String value = environment.apply(env.variable());
      if (value == null) {
        throw new IllegalArgumentException(
            "bridge.password_env names "
                + env.variable()
                + ", which is not set in the gateway's environment");
      }
      return value.getBytes(StandardCharsets.UTF_8);
    }
    if (password instanceof BridgeConfig.Password.FromFile file) {
      try {
        String text = Files.readString(file.file(), StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.strip().getBytes(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "bridge.password_file "
                + file.file()
                + " cannot be read: "
                + e.getClass().getSimpleName(),
            e);
      }
    }
    return null;
  }

  /**
   * One thread, named {@code prefix} and a number. What the client still hands it after close()
   * (the end of its flows) is dropped.
   */
  private static ExecutorService singleThread(String prefix) {
    return new ThreadPoolExecutor(
        1,
        1,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        threads(prefix),
        new ThreadPoolExecutor.DiscardPolicy());
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
      thread.setDaemon(true);
      thread.setUncaughtExceptionHandler(
          (t, e) -> LOG.error("thread {} died: {}", t.getName(), e.toString(), e));
      return thread;
    };
  }

  private void signal(Signal signal) {
    signals.add(signal);
    LockSupport.unpark(thread);
  }

  // ---- the bridge thread ----

  private void run() {
    try {
      cursor = journal.cursor(CURSOR);
      while (running) {
        drainSignals();
        if (reader == null) {
          position();
        }
        if (reader != null) {
          scan();
          fill();
          commit();
        }
        connection();
        if (state == State.CONNECTED) {
          send();
        }
        watchRetention();
        inFlight = sentCount;
        if (running && signals.isEmpty()) {
          long park = TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MILLIS);
          if (state == State.DISCONNECTED) {
            park = Math.max(0, Math.min(park, nextAttemptNanos - System.nanoTime()));
          }
          if (park > 0) {
            cursor().await(park, TimeUnit.NANOSECONDS);
          }
        }
      }
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("bridge to {} stopped: {}", config.upstream(), e.toString(), e);
        recordError("the bridge stopped: " + e);
      }
    } finally {
      closeQuietly(reader);
      closeQuietly(scanner);
      if (cursor != null) {
        cursor.close();
      }
    }
  }

  private static void closeQuietly(@Nullable JournalReader r) {
    if (r != null) {
      try {
        r.close();
      } catch (RuntimeException e) {
        LOG.debug("closing a bridge reader: {}", e.toString());
      }
    }
  }

  /** Positions both readers at the cursor's next record, once there is one. */
  private void position() {
    long[] first = {-1};
    cursor().poll(
        entry -> {
          first[0] = entry.index();
          return false; // only looking: the cursor stays
        });
    if (first[0] < 0) {
      return;
    }
    JournalReader ahead = journal.reader();
    JournalReader counter = journal.reader();
    if (!ahead.moveTo(first[0]) || !counter.moveTo(first[0])) {
      ahead.close();
      counter.close();
      throw new IllegalStateException(
          "cannot move to journal index " + Long.toHexString(first[0]) + " of cursor " + CURSOR);
    }
    reader = ahead;
    scanner = counter;
    committedBelow = first[0];
  }

  private JournalCursor cursor() {
    JournalCursor c = cursor;
    if (c == null) {
      throw new IllegalStateException("bridge cursor is not open");
    }
    return c;
  }

  /** Counts the events still to forward, up to the end of the journal (a batch at a time). */
  private void scan() {
    for (int i = 0; i < READ_BATCH; i++) {
      if (!scanOne()) {
        return;
      }
    }
  }

  private boolean scanOne() {
    JournalReader counter = scanner;
    if (counter == null) {
      return false;
    }
    Optional<JournalEntry> next = counter.next();
    if (next.isEmpty()) {
      return false;
    }
    if (forwarded(next.get().record()) != null) {
      scannedEvents.incrementAndGet();
    }
    return true;
  }

  private JournalRecord.@Nullable EventRecord forwarded(JournalRecord record) {
    return record instanceof JournalRecord.EventRecord event
            && config.forwards(event.severity(), event.category())
        ? event
        : null;
  }

  /** Reads ahead until the window is full or the journal ends. */
  private void fill() {
    JournalReader ahead = reader;
    JournalReader counter = scanner;
    if (ahead == null || counter == null) {
      return;
    }
    for (int reads = 0; window.size() < config.inFlight() && reads < READ_BATCH; reads++) {
      Optional<JournalEntry> next = ahead.next();
      if (next.isEmpty()) {
        return;
      }
      JournalEntry entry = next.get();
      // The counting reader stays ahead, so the backlog never counts an event twice or not at all.
      while (counter.position() <= entry.index() && scanOne()) {
        // counted
      }
      lastReadIndex = entry.index();
      JournalRecord.EventRecord event = forwarded(entry.record());
      if (event != null) {
        Entry e = new Entry(entry.index(), event, topicOf(event));
        window.addLast(e);
        unsent.addLast(e);
      }
    }
  }

  private String topicOf(JournalRecord.EventRecord event) {
    Map<String, String> values = new HashMap<>(8);
    values.put("severity", event.severity());
    values.put("category", event.category());
    values.put("gateway_id", gatewayId);
    if (config.topic().placeholders().contains("source")) {
      Object source = EventJson.readObject(event.json()).get("source");
      values.put("source", source == null ? Event.DEFAULT_SOURCE : source.toString());
    }
    return config.topic().render(values);
  }

  /** Moves the persisted cursor past everything before the oldest unacknowledged event. */
  private void commit() {
    while (!window.isEmpty() && window.peekFirst().state == DONE) {
      window.pollFirst();
    }
    long below = window.isEmpty() ? lastReadIndex + 1 : window.peekFirst().index;
    if (below > committedBelow) {
      JournalCursor c = cursor();
      while (c.poll(entry -> entry.index() < below)) {
        // passed
      }
      committedBelow = below;
    }
    Entry head = window.peekFirst();
    oldestUnsentMicros = head == null ? -1 : head.event.timestampMicros();
  }

  private void send() {
    Upstream up = current;
    if (up == null) {
      return;
    }
    int gen = generation;
    boolean v5Props = up instanceof Upstream.V5;
    for (Entry entry = unsent.pollFirst(); entry != null; entry = unsent.pollFirst()) {
      if (entry.state != UNSENT) {
        continue;
      }
      entry.state = SENT;
      entry.generation = gen;
      sentCount++;
      Entry sending = entry;
      up.publish(
              entry.topic,
              entry.event.json(),
              1,
              v5Props ? CONTENT_TYPE : null,
              v5Props ? properties(entry.event) : List.of())
          .whenComplete((ok, error) -> signal(new Acked(sending, gen, unwrap(error))));
    }
  }

  private List<Map.Entry<String, String>> properties(JournalRecord.EventRecord event) {
    return List.of(
        Map.entry("gateway_id", gatewayId),
        Map.entry("event_id", event.eventId()),
        Map.entry("severity", event.severity()),
        Map.entry("category", event.category()));
  }

  private void drainSignals() {
    for (Signal s = signals.poll(); s != null; s = signals.poll()) {
      if (s instanceof Acked acked) {
        onAcked(acked);
      } else if (s instanceof Connected c) {
        if (c.generation() == generation && state == State.CONNECTING) {
          onConnected();
        }
      } else if (s instanceof ConnectFailed f) {
        if (f.generation() == generation && state == State.CONNECTING) {
          onConnectFailed(f.error());
        }
      } else if (s instanceof Lost lost && state == State.CONNECTED) {
        connectionLost(
            "the connection to the upstream was lost: " + describe(unwrap(lost.cause())));
      }
    }
  }

  private void onAcked(Acked acked) {
    Entry entry = acked.entry();
    if (acked.error() == null) {
      if (entry.state == SENT) {
        sentCount--;
      }
      if (entry.state != DONE) {
        entry.state = DONE;
        ackedEvents.incrementAndGet();
      }
      if (refusing) {
        refusing = false;
        backoff.reset();
        loggedErrors.clear();
        LOG.info("bridge to {}: the upstream takes events again", config.upstream());
      }
      return;
    }
    if (entry.state == SENT && entry.generation == acked.generation()) {
      entry.state = UNSENT;
      sentCount--;
      if (state == State.CONNECTED && acked.generation() == generation) {
        // A refusal (MQTT 5 PUBACK with an error code), not a connection that ended under it.
        refusing = acked.error() instanceof Mqtt5PubAckException;
        connectionLost(
            "the upstream did not take event "
                + entry.event.eventId()
                + " on '"
                + entry.topic
                + "': "
                + describe(acked.error()));
      }
    }
  }

  private void connection() {
    Upstream up = current;
    if (state == State.CONNECTED && up != null && !up.isConnected()) {
      connectionLost("the connection to the upstream ended");
    }
    if (state == State.DISCONNECTED && running && System.nanoTime() - nextAttemptNanos >= 0) {
      generation++;
      int gen = generation;
      state = State.CONNECTING;
      Upstream next = useV3 ? v3 : v5;
      if (next == null) {
        throw new IllegalStateException("no MQTT client for " + config.mqttVersion());
      }
      current = next;
      next.connect()
          .whenComplete(
              (ok, error) ->
                  signal(
                      error == null
                          ? new Connected(gen)
                          : new ConnectFailed(gen, unwrapNonNull(error))));
    }
  }

  private void onConnected() {
    Upstream up = current;
    if (up == null) {
      return;
    }
    state = State.CONNECTED;
    connected = true;
    protocol = up.protocol();
    connectedSince = clock.instant();
    reconnects.incrementAndGet();
    if (!refusing) {
      backoff.reset();
      loggedErrors.clear();
    }
    // Whatever was not acknowledged goes again, in journal order.
    unsent.clear();
    sentCount = 0;
    for (Entry entry : window) {
      if (entry.state != DONE) {
        entry.state = UNSENT;
        unsent.addLast(entry);
      }
    }
    LOG.info(
        "bridge connected to {} as '{}' (MQTT {}); {} event(s) to forward",
        config.upstream(),
        config.clientId(),
        up.protocol(),
        backlog());
    if (!config.ackTopic().isEmpty()) {
      up.subscribe(config.ackTopic(), ackThread, this::onUpstreamAck)
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  String message =
                      "cannot subscribe to '"
                          + config.ackTopic()
                          + "' for acknowledgements: "
                          + describe(unwrapNonNull(error));
                  lastError = message;
                  lastErrorAt = clock.instant();
                  LOG.warn("bridge to {}: {}", config.upstream(), message);
                }
              });
    }
  }

  private void onConnectFailed(Throwable error) {
    state = State.DISCONNECTED;
    if (config.mqttVersion() == BridgeConfig.MqttVersion.AUTO && !useV3 && speaksNoMqtt5(error)) {
      useV3 = true;
      nextAttemptNanos = System.nanoTime();
      LOG.info(
          "upstream {} does not speak MQTT 5 ({}); using MQTT 3.1.1 from now on (no content type"
              + " or user properties)",
          config.upstream(),
          describe(error));
      return;
    }
    recordError(describe(error));
  }

  private void connectionLost(String message) {
    state = State.DISCONNECTED;
    connected = false;
    connectedSince = null;
    for (Entry entry : window) {
      if (entry.state == SENT) {
        entry.state = UNSENT;
      }
    }
    sentCount = 0;
    Upstream up = current;
    if (up != null) {
      up.disconnect();
    }
    recordError(message);
  }

  /** Records a failure and schedules the next attempt; logs each failure once until it works. */
  private void recordError(String message) {
    Duration delay = backoff.next();
    nextAttemptNanos = System.nanoTime() + delay.toNanos();
    lastError = message;
    lastErrorAt = clock.instant();
    if (loggedErrors.size() >= LOGGED_ERRORS) {
      loggedErrors.clear();
    }
    if (loggedErrors.add(message)) {
      LOG.error(
          "bridge to {} (client '{}'): {}; retrying with backoff (next in {} ms), {} event(s)"
              + " waiting",
          config.upstream(),
          config.clientId(),
          message,
          delay.toMillis(),
          backlog());
    } else {
      LOG.debug("bridge to {}: {} (again; next try in {} ms)", config.upstream(), message, delay.toMillis());
    }
  }

  /** Warns, as an error event, before retention could delete an event not yet forwarded. */
  private void watchRetention() {
    Entry head = window.peekFirst();
    if (head == null) {
      if (retentionAtRisk) {
        retentionAtRisk = false;
        LOG.info("bridge to {}: the backlog is no longer at risk of journal retention", config.upstream());
      }
      return;
    }
    Optional<Instant> deadline = journal.retentionDeadline(head.index);
    Instant now = clock.instant();
    boolean risk =
        deadline.isPresent() && !now.isBefore(deadline.get().minus(config.retentionWarning()));
    if (risk
        && (lastRiskWarning == null || !now.isBefore(lastRiskWarning.plus(RISK_REPEAT)))) {
      lastRiskWarning = now;
      warnRetention(head, deadline.get(), now);
    } else if (!risk && retentionAtRisk) {
      LOG.info("bridge to {}: the backlog is no longer at risk of journal retention", config.upstream());
    }
    retentionAtRisk = risk;
  }

  private void warnRetention(Entry head, Instant deadline, Instant now) {
    long backlog = backlog();
    Duration left = Duration.between(now, deadline);
    String message =
        backlog
            + " event(s) are not yet acknowledged by the upstream "
            + config.upstream()
            + "; the oldest ("
            + head.event.eventId()
            + ", "
            + EventTimestamps.format(micros(head.event.timestampMicros()))
            + ") is deleted by journal retention ("
            + journal.options().retentionDays()
            + " days) from "
            + deadline.atOffset(ZoneOffset.UTC).toLocalDate()
            + (left.isNegative() ? " (due now)" : " (in " + Math.max(1, left.toHours()) + " h)")
            + "; restore the upstream connection or raise journal.retention_days";
    LOG.error("bridge: {}", message);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("upstream", config.upstream());
    details.put("backlog", backlog);
    details.put("oldest_event_id", head.event.eventId());
    details.put("deleted_from", EventTimestamps.format(deadline));
    String error = lastError;
    details.put("last_error", error == null ? "" : error);
    publisher.publish(
        ErrorEvent.builder("BridgeBacklogAtRisk", message)
            .severity(EventSeverity.ERROR)
            .timestamp(now)
            .details(details)
            .build());
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000);
  }

  // ---- acknowledgements from the upstream (acks thread) ----

  private void onUpstreamAck(byte[] payload) {
    if (Thread.currentThread().isInterrupted()) {
      LOG.debug("bridge stopping: an acknowledgement from the upstream is left unapplied");
      return; // the connection ends without its PUBACK
    }
    Map<String, Object> json;
    try {
      json = EventJson.readObject(payload);
    } catch (IllegalArgumentException e) {
      rejectAck("it is not a JSON object");
      return;
    }
    Object id = json.get("event_id");
    Object user = json.get("user_id");
    if (!(id instanceof String eventId)
        || eventId.isBlank()
        || !(user instanceof String userId)
        || userId.isBlank()) {
      rejectAck("it needs {\"event_id\": \"...\", \"user_id\": \"...\"}");
      return;
    }
    // Waits for the outcome, so that the upstream has its PUBACK only once the ack is applied.
    Boolean known;
    try {
      known = acknowledger.acknowledge(eventId, userId).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.debug("bridge stopped while the acknowledgement of event {} was under way", eventId);
      return;
    } catch (ExecutionException e) {
      if (unwrapNonNull(e) instanceof InterruptedException) {
        LOG.debug("bridge stopped while the acknowledgement of event {} waited for room", eventId);
        return;
      }
      rejectAck("event " + eventId + " by '" + userId + "': " + unwrapNonNull(e));
      return;
    }
    if (Boolean.TRUE.equals(known)) {
      acksApplied.incrementAndGet();
      LOG.info("event {} acknowledged by '{}' through the upstream", eventId, userId);
    } else {
      rejectAck("event " + eventId + " (by '" + userId + "') is not among the recent events");
    }
  }

  private void rejectAck(String why) {
    acksRejected.incrementAndGet();
    long now = System.currentTimeMillis();
    long last = lastAckWarning.get();
    if ((last == Long.MIN_VALUE || now - last >= WARN_INTERVAL_MILLIS)
        && lastAckWarning.compareAndSet(last, now)) {
      LOG.warn(
          "bridge: ignored an acknowledgement from the upstream on '{}': {} ({} ignored since"
              + " start)",
          config.ackTopic(),
          why,
          acksRejected.get());
    }
  }

  // ---- telemetry (broker thread) ----

  /**
   * Forwards a device's message when it matches {@code bridge.telemetry.topics}: best effort, never
   * blocking (it hands the message to the client's own thread); dropped and counted when the
   * upstream is not connected or too many are on their way.
   */
  public void offerTelemetry(InboundMessage message) {
    TopicIndex<Boolean> filters = telemetryFilters;
    if (filters == null || filters.match(message.topic()).isEmpty()) {
      return;
    }
    Upstream up = current;
    if (!connected || up == null) {
      telemetryDropped.incrementAndGet();
      return;
    }
    if (telemetryInFlight.incrementAndGet() > TELEMETRY_IN_FLIGHT) {
      telemetryInFlight.decrementAndGet();
      telemetryDropped.incrementAndGet();
      return;
    }
    boolean v5Props = up instanceof Upstream.V5;
    up.publish(
            telemetryPrefix + message.topic() + telemetrySuffix,
            message.payload(),
            config.telemetry().qos(),
            null,
            v5Props
                ? List.of(Map.entry("gateway_id", gatewayId), Map.entry("topic", message.topic()))
                : List.of())
        .whenComplete(
            (ok, error) -> {
              telemetryInFlight.decrementAndGet();
              (error == null ? telemetryForwarded : telemetryDropped).incrementAndGet();
            });
  }

  // ---- status ----

  private long backlog() {
    return Math.max(0, scannedEvents.get() - ackedEvents.get());
  }

  /** A snapshot of the bridge's state; any thread. */
  public BridgeStatus status() {
    long oldest = oldestUnsentMicros;
    Long age = null;
    if (oldest >= 0) {
      long nowMicros = clock.millis() * 1_000;
      age = Math.max(0, (nowMicros - oldest) / 1_000_000);
    }
    long backlog = backlog();
    return new BridgeStatus(
        true,
        connected,
        config.upstream(),
        protocol,
        backlog,
        inFlight,
        backlog == 0 ? null : age,
        ackedEvents.get(),
        connectedSince,
        reconnects.get(),
        lastError,
        lastErrorAt,
        retentionAtRisk,
        telemetryForwarded.get(),
        telemetryDropped.get(),
        acksApplied.get(),
        acksRejected.get());
  }

  // ---- errors in words ----

  private static @Nullable Throwable unwrap(@Nullable Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static Throwable unwrapNonNull(Throwable error) {
    Throwable e = unwrap(error);
    return e == null ? error : e;
  }

  /** A v5 CONNECT that failed because the upstream speaks only MQTT 3.1.1 or older. */
  static boolean speaksNoMqtt5(Throwable error) {
    if (error instanceof Mqtt5ConnAckException refused) {
      return refused.getMqttMessage().getReasonCode()
          == Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
    }
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof SSLException) {
        return false;
      }
    }
    if (error instanceof ConnectionFailedException) {
      return false; // nobody answered at all
    }
    // A 3.1.1 broker answers a v5 CONNECT with a v3 CONNACK (unreadable as v5) or just closes.
    return error instanceof ConnectionClosedException
        || error instanceof MqttDecodeException
        || error instanceof Mqtt5DisconnectException;
  }

  /** One line for logs and status; never the password. */
  String describe(@Nullable Throwable error) {
    if (error == null) {
      return "closed";
    }
    if (error instanceof Mqtt5ConnAckException refused) {
      var ack = refused.getMqttMessage();
      return "the upstream refused the connection: "
          + ack.getReasonCode()
          + ack.getReasonString().map(r -> " (" + r + ")").orElse("")
          + hint(ack.getReasonCode().name());
    }
    if (error instanceof Mqtt3ConnAckException refused) {
      var code = refused.getMqttMessage().getReturnCode();
      return "the upstream refused the connection: " + code + hint(code.name());
    }
    if (error instanceof Mqtt5PubAckException refused) {
      var ack = refused.getMqttMessage();
      return "refused with " + ack.getReasonCode() + ack.getReasonString().map(r -> " (" + r + ")").orElse("");
    }
    if (error instanceof Mqtt5DisconnectException disconnect) {
      var message = disconnect.getMqttMessage();
      return "the upstream disconnected: "
          + message.getReasonCode()
          + message.getReasonString().map(r -> " (" + r + ")").orElse("");
    }
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof SSLException ssl) {
        return "TLS with " + config.upstream() + " failed: " + ssl.getMessage();
      }
    }
    if (error instanceof ConnectionFailedException) {
      Throwable root = error;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return "cannot connect to " + config.upstream() + ": " + root.getMessage();
    }
    if (error instanceof ConnectionClosedException) {
      return "the upstream closed the connection"
          + (error.getMessage() == null ? "" : " (" + error.getMessage() + ")");
    }
    return error.getClass().getSimpleName()
        + (error.getMessage() == null ? "" : ": " + error.getMessage());
  }

  private static String hint(String code) {
    return code.equals("BAD_USER_NAME_OR_PASSWORD") || code.equals("NOT_AUTHORIZED")
        ? "; check bridge.username and the bridge's password"
        : "";
  }

  /**
   * Stops the bridge thread (within 5 s; the cursor keeps what was committed), disconnects from the
   * upstream and stops the client's threads. Idempotent.
   */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("bridge thread did not stop within 5 s");
    }
    connected = false;
    for (Upstream up : new Upstream[] {v5, v3}) {
      if (up != null) {
        try {
          up.disconnect().get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          LOG.debug("disconnecting from {}: {}", config.upstream(), e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    // These threads never touch the journal: stopping them by interrupt is safe. An ack under
    // way is left to the ingest thread; those not begun are dropped with the connection, which
    // never had their PUBACK.
    ackThread.shutdownNow();
    callbackThreads.shutdown();
    try {
      if (!callbackThreads.awaitTermination(2, TimeUnit.SECONDS)) {
        callbackThreads.shutdownNow();
      }
      if (!ioThreads.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS)) {
        LOG.debug("bridge network thread did not stop within 3 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
