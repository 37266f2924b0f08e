package io.floorgate.gateway;

import io.floorgate.events.EventManager;
import io.floorgate.gateway.admin.AdminCredentials;
import io.floorgate.gateway.admin.AdminServer;
import io.floorgate.gateway.admin.Credentials;
import io.floorgate.gateway.admin.GatewayMetrics;
import io.floorgate.gateway.alerts.AlarmBoard;
import io.floorgate.gateway.alerts.AlertRepublisher;
import io.floorgate.gateway.bridge.Bridge;
import io.floorgate.gateway.bridge.BridgeMetrics;
import io.floorgate.gateway.bridge.BridgeStatus;
import io.floorgate.gateway.broker.Broker;
import io.floorgate.gateway.checkpoint.Checkpointer;
import io.floorgate.gateway.config.AdminConfig;
import io.floorgate.gateway.config.GatewayConfig;
import io.floorgate.gateway.console.Console;
import io.floorgate.gateway.ingest.Ingest;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import io.floorgate.gateway.reload.RuleReloader;
import io.floorgate.gateway.reload.RuleTreeCache;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part from a validated {@link GatewayConfig}, by hand, in
 * dependency order, and closes them again.
 *
 * <p>Start order: journal, event manager (window rebuilt), rules, ingest, broker (the MQTT
 * listener opens only now, so no message is accepted that would not be evaluated), alert
 * republisher. The three slow parts, reading the rule file, Chronicle's first open of the journal
 * and Moquette's own start behind the closed listener, do not depend on each other and run side
 * by side on threads named {@code floorgate-start-*}. Shutdown runs the other way round, except
 * that the broker goes first so no new message arrives while ingest drains. Under systemd,
 * {@link SystemdNotify} reports readiness once all of them run.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final GatewayConfig config;
  private final Deque<Step> started = new ArrayDeque<>();
  private @Nullable Journal journal;
  private @Nullable Checkpointer checkpointer;
  private EventManager events;
  private RuleSet rules;
  private Ingest ingest;
  private Broker broker;
  private @Nullable AlertRepublisher republisher;
  private RuleReloader reloader;
  private AlarmBoard alarms;
  /** Active alarms restored from the journal at start (for the start-up log line). */
  private int restoredAlarms;
  private @Nullable AdminServer admin;
  private @Nullable Bridge bridge;
  /** The bridge, for the broker thread's telemetry hand-off (set once it runs). */
  private final AtomicReference<@Nullable Bridge> telemetryBridge = new AtomicReference<>();
  private GatewayMetrics metrics;
  private boolean crashed;
  private boolean closed;
  /** Whether an essential thread has died. */
  private volatile boolean died;
  private final AtomicReference<@Nullable Runnable> fatal = new AtomicReference<>();
  private final AtomicBoolean fatalRun = new AtomicBoolean();

  /**
   * Present in the journal directory while a gateway runs; found at start-up, it means the
   * previous run did not stop cleanly.
   */
  static final String RUNNING_MARKER = "floorgate.running";

  /** The rule file's cached document tree, in the journal directory ({@link RuleTreeCache}). */
  static final String RULE_TREE_CACHE = "rules.tree";

  /** A rule file must stay unchanged this long before it is judged (editors write in steps). */
  private static final Duration RELOAD_DEBOUNCE = Duration.ofMillis(300);

  /** A started part and how to stop it. */
  private record Step(String name, AutoCloseable closer) {}

  private Gateway(GatewayConfig config) {
    this.config = config;
  }

  /**
   * Starts a gateway. On failure, whatever had started is stopped again and the exception says
   * what failed.
   *
   * @throws GatewayStartException naming the part that failed and why
   */
  public static Gateway start(GatewayConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** {@link #start(GatewayConfig)} with a clock (tests move time). */
  public static Gateway start(GatewayConfig config, Clock clock) {
    Gateway gateway = new Gateway(config);
    try {
      gateway.startParts(clock);
      return gateway;
    } catch (RuntimeException e) {
      gateway.close();
      throw e instanceof GatewayStartException g ? g : GatewayStartException.of(e);
    }
  }

  private void startParts(Clock clock) {
    long begin = System.nanoTime();
    // Read here, parsed aside: for 10,000 rules ~1.5 s of cold YAML parsing, or ~0.5 s from the
    // tree cached by the last start. Main opens the journal meanwhile, then hashes the text,
    // which confirms that a cached tree is this text's.
    String ruleText = RuleReloader.readText(config.rules().file());
    RuleTreeCache ruleCache = ruleTreeCache();
    CompletableFuture<RuleReloader.Parsed> ruleFile =
        aside(
            "rules",
            () ->
                RuleReloader.parse(
                    config.rules().file(), ruleText, config.rules().stateTopics(), ruleCache));
    Ingest[] sink = new Ingest[1];
    Broker starting =
        new Broker(
            config.broker(),
            config.security(),
            message -> {
              boolean taken = sink[0].offer(message);
              Bridge forwarding = telemetryBridge.get();
              if (forwarding != null) {
                forwarding.offerTelemetry(message);
              }
              return taken;
            },
            (reason, topic, clientId, detail) -> sink[0].refused(reason, topic, clientId, detail),
            clock);
    broker = starting;
    CompletableFuture<Void> moquette =
        aside(
            "broker",
            () -> {
              starting.prepare();
              return null;
            });
    try {
      startBehindTheListener(clock, ruleText, ruleFile, ruleCache, sink, moquette);
    } catch (RuntimeException | Error e) {
      awaitQuietly(ruleFile);
      awaitQuietly(moquette);
      starting.close();
      throw e;
    }
    starting.open();
    started.push(new Step("broker", starting));
    startInFrontOfTheListener(begin, clock);
  }

  /** Everything the listener waits for: journal, event manager, rules, ingest, Moquette. */
  private void startBehindTheListener(
      Clock clock,
      String ruleText,
      CompletableFuture<RuleReloader.Parsed> ruleFile,
      RuleTreeCache ruleCache,
      Ingest[] sink,
      CompletableFuture<Void> moquette) {
    if (config.eventNotification().persistenceEnabled()) {
      Journal opened =
          Journal.open(
              new JournalOptions(
                  config.journal().dir(),
                  config.journal().sync(),
                  config.journal().syncInterval(),
                  config.journal().retentionDays(),
                  clock));
      journal = opened;
      started.push(new Step("journal", opened));
      crashed = markRunning(opened.dir().resolve(RUNNING_MARKER));
      Checkpointer recovered =
          Checkpointer.recover(opened, config.eventNotification().maxEvents());
      checkpointer = recovered;
      // Closed before the journal, after everything that appends: its last checkpoint is whole.
      started.push(new Step("checkpointer", recovered));
      events =
          EventManager.open(config.eventNotification(), opened, clock, recovered.window());
    } else {
      LOG.warn(
          "EVENT_NOTIFICATION.persistence_enabled is false: events are not journaled, alerts are"
              + " published at most once and nothing survives a restart");
      events = EventManager.inMemory(config.eventNotification(), clock);
    }
    started.push(new Step("event manager", events));

    String ruleSha = RuleReloader.sha256(ruleText);
    RuleReloader.Loaded loaded =
        RuleReloader.confirm(
            config.rules().file(),
            ruleText,
            ruleSha,
            config.rules().stateTopics(),
            await(ruleFile));
    rules = loaded.rules();

    // The broker is created before ingest (ingest publishes alarm states through it) but its
    // listener opens after it.
    alarms =
        new AlarmBoard(
            config.alarmTopic(),
            config.gatewayId(),
            config.alerts().qos(),
            broker,
            config.eventNotification().defaultAlertSeverity());
    ingest =
        new Ingest(
            config.ingest(),
            config.rules().stateTopics(),
            config.alerts().ackTopic(),
            config.broker().maxPayloadBytes(),
            rules,
            events,
            alarms,
            clock);
    sink[0] = ingest;
    Checkpointer recovered = checkpointer;
    restoredAlarms = recovered == null ? 0 : ingest.restoreAlarms(recovered.alarms());
    ingest.onDeath(this::essentialThreadDied);
    ingest.start();
    started.push(new Step("ingest", ingest));

    reloader =
        new RuleReloader(
            config.rules().file(),
            config.rules().stateTopics(),
            ingest,
            events,
            journal,
            RELOAD_DEBOUNCE,
            ruleCache,
            clock);
    reloader.start(
        loaded, config.rules().watch(), recovered == null ? "" : recovered.rulesSha256());
    started.push(new Step("rule reloader", reloader));
    await(moquette);
  }

  /** What starts once the listener is open: republisher, bridge, metrics, admin API. */
  private void startInFrontOfTheListener(long begin, Clock clock) {
    // Refresh the retained states (restored alarms may have changed since they were retained).
    ingest.publishAlarmStates();
    // Once listening: the first checkpoint (after a long replay) is no part of start-up.
    Checkpointer recovered = checkpointer;
    if (recovered != null) {
      recovered.start();
    }

    if (journal != null) {
      // Started once the metrics observe it, so that they see every event, a replay included.
      republisher =
          AlertRepublisher.create(
              journal,
              config.alertTopic(),
              config.gatewayId(),
              config.alerts().qos(),
              broker,
              crashed ? config.alerts().replayAfterCrash() : Duration.ZERO,
              clock);
      // Close order: the broker first (no new input), then the republisher; slip it under.
      Step brokerStep = started.pop();
      started.push(new Step("alert republisher", republisher));
      started.push(brokerStep);
    } else {
      events.subscribe(
          AlertRepublisher.direct(
              config.alertTopic(), config.gatewayId(), config.alerts().qos(), broker));
    }

    if (config.bridge().enabled() && journal != null) {
      Bridge forwarder =
          Bridge.start(
              config.bridge(),
              config.gatewayId(),
              journal,
              events,
              upstreamAcks(ingest),
              clock);
      bridge = forwarder;
      telemetryBridge.set(forwarder);
      // Closed after the broker (no more telemetry), before the journal: slip it under.
      Step brokerStep = started.pop();
      started.push(new Step("bridge", forwarder));
      started.push(brokerStep);
    }

    AlertRepublisher alerts = republisher;
    metrics =
        new GatewayMetrics(
            new GatewayMetrics.Sources(
                events,
                ingest,
                broker,
                journal,
                alerts,
                () -> admin == null ? 0 : admin.failedLogins()));
    if (alerts != null) {
      alerts.onDeath(this::essentialThreadDied);
      alerts.start();
    }
    Bridge forwarding = bridge;
    if (forwarding != null) {
      BridgeMetrics.register(metrics.registry(), forwarding::status);
    }
    if (config.admin().enabled()) {
      Credentials credentials = adminCredentials(config.admin());
      Console console =
          new Console(
              new Console.Parts(
                  credentials,
                  events,
                  ingest,
                  reloader,
                  alarms,
                  journal,
                  metrics,
                  this::health,
                  config.rules().stateTopics(),
                  config.journal().retentionDays(),
                  clock));
      try {
        admin =
            new AdminServer(
                config.admin().host(),
                config.admin().port(),
                credentials,
                events,
                ingest,
                reloader,
                alarms,
                this::health,
                () -> bridgeStatus().toMap(),
                metrics,
                console,
                clock);
      } catch (RuntimeException e) {
        console.close();
        throw e;
      }
      // Closed first: no admin command arrives while the rest stops.
      started.push(new Step("admin API", admin));
    }

    LOG.info(
        "Floorgate {} started in {} ms: version={}, config={}, mqtt={}:{},{} rules={} from {},"
            + " journal={}, sync={}, retention={} days, alarms restored={}, bridge={}",
        config.gatewayId(),
        (System.nanoTime() - begin) / 1_000_000,
        BuildInfo.current().describe(),
        config.describeSource(),
        config.broker().host(),
        broker.port(),
        config.broker().tls().map(t -> " mqtts=" + t.host() + ":" + broker.tlsPort() + ",").orElse(""),
        rules.size(),
        config.rules().file(),
        journal == null ? "off" : config.journal().dir().toAbsolutePath(),
        config.journal().sync(),
        config.journal().retentionDays(),
        restoredAlarms,
        bridge == null ? "off" : config.bridge().upstream());
    // Under systemd (Type=notify): the listener is open and everything behind it runs.
    SystemdNotify.fromEnvironment()
        .ready(
            "MQTT on " + config.broker().host() + ":" + broker.port() + ", " + rules.size()
                + " rule(s)");
  }

  private static Credentials adminCredentials(AdminConfig admin) {
    if (admin.passwordFile().isEmpty()) {
      LOG.warn(
          "admin API: no admin.password_file is configured, so every /api request and every"
              + " console login is refused");
      return Credentials.NONE;
    }
    return AdminCredentials.load(admin.passwordFile().get());
  }

  /**
   * Applies the acknowledgements the bridge receives from the upstream. Their sender hears nothing
   * back, so while the journal refuses writes they are held, as those on the local ack topic are,
   * and were the ingest queue's room for commands full, the bridge's acks thread would wait.
   */
  static Bridge.Acknowledger upstreamAcks(Ingest ingest) {
    return (eventId, user) ->
        ingest
            .acknowledgeHeld(eventId, user, "bridge")
            .thenApply(outcome -> outcome == Ingest.AckOutcome.ACKNOWLEDGED);
  }

  /**
   * Runs a part of start-up on a thread of its own, {@code floorgate-start-<what>}. It is not a
   * daemon, as main is not: threads it starts (Moquette's) inherit that.
   */
  private static <T> CompletableFuture<T> aside(String what, Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(work.call());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "floorgate-start-" + what);
    thread.start();
    return result;
  }

  /** Waits for a part of start-up; its failure is thrown here as it was thrown there. */
  private static <T> T await(CompletableFuture<T> part) {
    try {
      return part.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuleFile.InvalidRulesException invalid) {
        throw new GatewayStartException(invalid.getMessage(), invalid);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new GatewayStartException(String.valueOf(cause), cause);
    }
  }

  /** Waits for a part of start-up that is being abandoned; its own failure no longer matters. */
  private static void awaitQuietly(CompletableFuture<?> part) {
    try {
      part.join();
    } catch (CompletionException | CancellationException e) {
      // the failure that abandons start-up is the one reported
    }
  }

  /**
   * Where the rule file's tree is cached: the journal directory is the gateway's own state. A
   * gateway that keeps nothing across restarts (persistence off) keeps no cache either.
   */
  private RuleTreeCache ruleTreeCache() {
    if (!config.eventNotification().persistenceEnabled()) {
      return RuleTreeCache.NONE;
    }
    return RuleTreeCache.at(
        config.journal().dir().resolve(RULE_TREE_CACHE), BuildInfo.current().describe());
  }

  /** Creates the marker; true when it was already there (the previous run crashed). */
  private boolean markRunning(Path marker) {
    boolean existed = Files.exists(marker);
    try {
      Files.writeString(marker, ProcessHandle.current().pid() + "\n");
    } catch (IOException e) {
      throw new GatewayStartException("cannot write " + marker + ": " + e.getMessage(), e);
    }
    // Removed last, after everything else stopped cleanly.
    started.addLast(new Step("running marker", () -> Files.deleteIfExists(marker)));
    return existed;
  }

  public GatewayConfig config() {
    return config;
  }

  /** The port the MQTT listener is bound to. */
  public int mqttPort() {
    return broker.port();
  }

  /** The port the TLS listener is bound to, or -1 without one. */
  public int mqttsPort() {
    return broker.tlsPort();
  }

  public EventManager events() {
    return events;
  }

  public RuleSet rules() {
    return ingest.rules();
  }

  /**
   * What to do once an essential thread (ingest, the alerts' republisher) has died of an error its
   * loop does not survive: the gateway can no longer do its job, logs it once and says so in
   * {@link #health}. {@code floorgate run} exits then, so that systemd restarts it, as it does
   * after an out-of-memory. Runs at most once; at once if a thread has died already.
   */
  public void onFatal(Runnable action) {
    fatal.set(action);
    if (died) {
      runFatal();
    }
  }

  private void essentialThreadDied(Thread thread, Throwable error) {
    died = true;
    LOG.error(
        "thread {} died, so the gateway can no longer do its job: {}",
        thread.getName(),
        error.toString(),
        error);
    runFatal();
  }

  private void runFatal() {
    Runnable action = fatal.get();
    if (action != null && fatalRun.compareAndSet(false, true)) {
      action.run();
    }
  }

  /** Readiness, for {@code /health}: every part that must work for the gateway to do its job. */
  public Map<String, Object> health() {
    Map<String, Object> checks = new LinkedHashMap<>();
    boolean brokerUp = broker.running();
    boolean journalWritable = journal == null || journal.writable();
    boolean journalTakes = !ingest.journalBlocked();
    boolean ingestRuns = ingest.alive();
    AlertRepublisher alerts = republisher;
    boolean alertsRun = alerts == null || alerts.alive();
    checks.put(
        "ready",
        brokerUp && journalWritable && journalTakes && ingestRuns && alertsRun
            && ingest.rules() != null && !closed);
    checks.put(
        "broker",
        Map.of("listening", brokerUp, "port", broker.port(), "clients", broker.connectedClients()));
    checks.put(
        "journal",
        journal == null
            ? Map.of("enabled", false)
            : Map.of(
                "enabled", true,
                "writable", journalWritable,
                "accepting", journalTakes,
                "dir", journal.dir().toString()));
    checks.put("rules", Map.of("loaded", ingest.rules().size(), "sha256", reloader.appliedSha256()));
    checks.put(
        "ingest",
        Map.of(
            "running", ingestRuns,
            "queued", ingest.backlog(),
            "dropped", ingest.overruns(),
            "alarms", ingest.activeAlarms()));
    if (alerts != null) {
      checks.put("alerts", Map.of("running", alertsRun));
    }
    // Informational: an unreachable upstream does not make the gateway unready (it keeps
    // journaling and forwards later).
    checks.put("bridge", bridgeStatus().toMap());
    return checks;
  }

  /** The upstream bridge's state ({@link BridgeStatus#DISABLED} without one); any thread. */
  public BridgeStatus bridgeStatus() {
    Bridge running = bridge;
    return running == null ? BridgeStatus.DISABLED : running.status();
  }

  /** The metrics registry (the bridge registers its own). */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The admin API's port, when it is enabled. */
  public OptionalInt adminPort() {
    return admin == null ? OptionalInt.empty() : OptionalInt.of(admin.port());
  }

  /** Re-reads the rule file (SIGHUP). */
  public void reloadRules(String trigger) {
    reloader.requestReload(trigger);
  }

  public RuleReloader reloader() {
    return reloader;
  }

  public Ingest ingest() {
    return ingest;
  }

  public Broker broker() {
    return broker;
  }

  /** The journal, when persistence is enabled. */
  public @Nullable Journal journal() {
    return journal;
  }

  /**
   * Stops everything in reverse order (the broker first), each step bounded, logging progress.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!started.isEmpty()) {
      Step step = started.pop();
      long begin = System.nanoTime();
      try {
        step.closer().close();
        LOG.info("stopped {} in {} ms", step.name(), (System.nanoTime() - begin) / 1_000_000);
      } catch (Exception e) {
        LOG.error("stopping {} failed: {}", step.name(), e.toString());
      }
    }
  }
}
