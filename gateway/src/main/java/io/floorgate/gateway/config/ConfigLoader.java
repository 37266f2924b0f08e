package io.floorgate.gateway.config;

import io.floorgate.events.EventCategory;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import io.floorgate.gateway.broker.security.Acl;
import io.floorgate.gateway.broker.security.ClientAuth;
import io.floorgate.gateway.broker.security.PasswordFile;
import io.floorgate.gateway.broker.security.TlsContexts;
import io.floorgate.journal.SyncPolicy;
import io.floorgate.rules.topic.TopicFilter;
import io.floorgate.rules.tree.Location;
import io.floorgate.rules.tree.MapReader;
import io.floorgate.rules.tree.Node;
import io.floorgate.rules.tree.Problem;
import io.floorgate.rules.tree.TreeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads the gateway's YAML configuration ({@code config/gateway.yaml} documents every key).
 * Missing keys take the embedded defaults; unknown keys, wrong types and bad values are problems
 * naming the key, file, line and column. Every problem is collected: a file with any yields no
 * configuration. Relative paths are resolved against the working directory.
 */
public final class ConfigLoader {
  static final Set<String> ALERT_PLACEHOLDERS = Set.of("severity", "category", "source", "gateway_id");
  static final Set<String> ALARM_PLACEHOLDERS = Set.of("rule_id", "gateway_id");

  private static final Set<String> TOP =
      Set.of(
          "gateway_id",
          "broker",
          "security",
          "rules",
          "ingest",
          "journal",
          "alerts",
          "admin",
          "bridge",
          "log",
          "EVENT_NOTIFICATION");
  private static final Set<String> ADMIN = Set.of("enabled", "host", "port", "password_file");
  private static final Set<String> BROKER =
      Set.of(
          "host",
          "port",
          "max_payload_bytes",
          "data_dir",
          "persistence",
          "max_connections",
          "max_client_id_length",
          "max_topic_length",
          "max_messages_per_second",
          "connect_timeout",
          "slow_consumer_timeout",
          "tls");
  private static final Set<String> TLS =
      Set.of(
          "enabled",
          "host",
          "port",
          "cert_file",
          "key_file",
          "keystore",
          "keystore_password",
          "ca_file",
          "client_auth");
  private static final Set<String> SECURITY = Set.of("password_file", "acl_file", "allow_anonymous");
  private static final Set<String> RULES = Set.of("file", "state_topics", "watch");
  private static final Set<String> INGEST =
      Set.of(
          "queue_capacity",
          "queue_bytes",
          "simulation_topics",
          "optimization_topics",
          "error_report_interval",
          "max_json_depth",
          "max_json_tokens");
  private static final Set<String> JOURNAL = Set.of("dir", "retention_days", "sync", "sync_interval");
  private static final Set<String> ALERTS =
      Set.of("topic", "qos", "ack_topic", "alarm_topic", "replay_after_crash");
  private static final Set<String> LOG = Set.of("level", "format");
  private static final Set<String> BRIDGE =
      Set.of(
          "enabled",
          "host",
          "port",
          "tls",
          "username",
          "password",
          "password_env",
          "password_file",
          "client_id",
          "mqtt_version",
          "topic",
          "severities",
          "categories",
          "telemetry",
          "ack_topic",
          "in_flight",
          "keep_alive",
          "connect_timeout",
          "reconnect_min_delay",
          "reconnect_max_delay",
          "retention_warning");
  private static final Set<String> BRIDGE_TLS = Set.of("enabled", "ca_file", "cert_file", "key_file");
  private static final Set<String> BRIDGE_TELEMETRY = Set.of("topics", "topic", "qos");
  private static final Set<String> EVENT_NOTIFICATION =
      Set.of(
          "persistence_enabled",
          "max_events",
          "default_alert_severity",
          "publish_state_changes",
          "publish_threshold_breaches",
          "publish_simulation_results");

  private final List<Problem> problems = new ArrayList<>();
  private final String file;

  private ConfigLoader(String file) {
    this.file = file;
  }

  /**
   * What reading a configuration gave.
   *
   * @param config present exactly when {@code problems} is empty
   */
  public record Result(Optional<GatewayConfig> config, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }

    /** The configuration, or a {@link ConfigException} listing every problem. */
    public GatewayConfig orThrow() {
      if (config.isPresent()) {
        return config.get();
      }
      String what = problems.isEmpty() ? "the configuration" : problems.get(0).location().file();
      throw new ConfigException(what, problems);
    }
  }

  /** The embedded defaults: loopback on 1883, rules from config/rules.yaml, journal under data/. */
  public static GatewayConfig defaults() {
    return parse("", "<defaults>", Optional.empty()).orThrow();
  }

  /** Reads {@code path}. A missing or unreadable file is a problem, never a silent default. */
  public static Result load(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Result(
          Optional.empty(),
          List.of(
              new Problem(
                  new Location(path.toString(), 1, 1),
                  null,
                  "cannot read the configuration file: "
                      + e.getClass().getSimpleName()
                      + (e.getMessage() == null ? "" : " " + e.getMessage()))));
    }
    return parse(text, path.toString(), Optional.of(path));
  }

  /** Reads configuration from {@code yaml}; {@code file} names it in problems. */
  public static Result parse(String yaml, String file, Optional<Path> source) {
    return new ConfigLoader(file).read(yaml, source);
  }

  private Result read(String yaml, Optional<Path> source) {
    TreeReader.Result tree = TreeReader.read(yaml, file);
    for (TreeReader.TreeProblem p : tree.problems()) {
      problems.add(new Problem(p.location(), null, p.message()));
    }
    Node.MapNode root = new Node.MapNode(new Location(file, 1, 1), java.util.Map.of());
    if (tree.root().isPresent()) {
      if (tree.root().get() instanceof Node.MapNode map) {
        root = map;
      } else if (!(tree.root().get() instanceof Node.ScalarNode s && s.value() == null)) {
        problems.add(
            new Problem(
                tree.root().get().location(),
                null,
                "the configuration must be a mapping of sections, but was "
                    + tree.root().get().describe()));
      }
    }
    GatewayConfig config = readTop(root, source);
    if (!problems.isEmpty() || config == null) {
      return new Result(Optional.empty(), List.copyOf(problems));
    }
    return new Result(Optional.of(config), List.of());
  }

  private @Nullable GatewayConfig readTop(Node.MapNode root, Optional<Path> source) {
    MapReader top = reader(root, "");
    top.rejectUnknownKeys(TOP);
    String gatewayId = orDefault(top.string("gateway_id"), "floorgate");
    if (!gatewayId.matches("[A-Za-z0-9_.-]{1,64}")) {
      top.problem(
          top.location("gateway_id"),
          "gateway_id must be 1 to 64 letters, digits, '_', '.' or '-', but was '"
              + gatewayId
              + "'");
    }

    MapReader broker = section(top, "broker");
    String host = orDefault(broker.string("host"), "127.0.0.1");
    if (host.isBlank()) {
      broker.problem(broker.location("host"), "broker.host must not be empty");
    }
    int port = orDefault(broker.integer("port", 0, 65535), 1883L).intValue();
    int maxPayload =
        orDefault(broker.integer("max_payload_bytes", 1, 256L * 1024 * 1024), 65_536L).intValue();
    Path brokerDir = path(broker, "data_dir", "data/broker");
    boolean brokerPersistence = orDefault(broker.bool("persistence"), true);
    int maxConnections =
        orDefault(broker.integer("max_connections", 1, 1_000_000), 1000L).intValue();
    int maxClientId =
        orDefault(broker.integer("max_client_id_length", 1, 65_535), 128L).intValue();
    int maxTopic = orDefault(broker.integer("max_topic_length", 1, 65_535), 1024L).intValue();
    double maxRate = orDefault(broker.number("max_messages_per_second"), 0.0);
    if (maxRate < 0) {
      broker.problem(
          broker.location("max_messages_per_second"),
          "broker.max_messages_per_second must be >= 0 (0 = no limit), but was " + maxRate);
    }
    Duration connectTimeout = positive(broker, "connect_timeout", Duration.ofSeconds(10));
    Duration slowConsumerTimeout =
        orDefault(
            broker.duration("slow_consumer_timeout"), BrokerConfig.DEFAULT_SLOW_CONSUMER_TIMEOUT);
    Optional<TlsConfig> tls = tls(broker, host, port);

    MapReader securitySection = section(top, "security");
    SecurityConfig security = security(securitySection, broker, host, tls);

    MapReader rules = section(top, "rules");
    Path rulesFile = path(rules, "file", "config/rules.yaml");
    List<String> stateTopics = filters(rules, "state_topics", List.of("twin/+/state"));
    boolean watchRules = orDefault(rules.bool("watch"), true);

    MapReader ingest = section(top, "ingest");
    int queueCapacity =
        orDefault(
                ingest.integer("queue_capacity", 1, 10_000_000),
                (long) IngestConfig.DEFAULT_QUEUE_CAPACITY)
            .intValue();
    // Unset, it is at least what the largest payload needs; set, it must be.
    long largestMessage = (long) maxPayload + IngestConfig.MESSAGE_OVERHEAD_BYTES;
    Long queueBytesSet = ingest.integer("queue_bytes", 1, 1L << 40);
    long queueBytes =
        orDefault(queueBytesSet, Math.max(IngestConfig.DEFAULT_QUEUE_BYTES, largestMessage));
    if (queueBytesSet != null && queueBytes < largestMessage) {
      ingest.problem(
          ingest.location("queue_bytes"),
          "ingest.queue_bytes must be at least broker.max_payload_bytes + "
              + IngestConfig.MESSAGE_OVERHEAD_BYTES
              + " ("
              + largestMessage
              + "), or the largest payload could never be evaluated, but was "
              + queueBytes);
    }
    List<String> simulationTopics =
        filters(ingest, "simulation_topics", List.of("twin/+/simulation"));
    List<String> optimizationTopics =
        filters(ingest, "optimization_topics", List.of("twin/+/optimization"));
    Duration errorInterval =
        positive(ingest, "error_report_interval", Duration.ofSeconds(60));
    int maxJsonDepth =
        orDefault(
                ingest.integer("max_json_depth", 1, IngestConfig.MAX_JSON_DEPTH),
                (long) IngestConfig.DEFAULT_MAX_JSON_DEPTH)
            .intValue();
    long maxJsonTokens =
        orDefault(
            ingest.integer("max_json_tokens", 1, 100_000_000), IngestConfig.DEFAULT_MAX_JSON_TOKENS);

    MapReader journal = section(top, "journal");
    Path journalDir = path(journal, "dir", "data/journal");
    int retentionDays = orDefault(journal.integer("retention_days", 0, 3650), 30L).intValue();
    SyncPolicy sync = parsed(journal, "sync", SyncPolicy::parse, SyncPolicy.BATCH);
    Duration syncInterval = positive(journal, "sync_interval", Duration.ofSeconds(1));

    MapReader alerts = section(top, "alerts");
    String alertTopic = orDefault(alerts.string("topic"), "alerts/{severity}/{category}");
    TopicTemplate alertTemplate = template(alerts, "topic", alertTopic, ALERT_PLACEHOLDERS);
    int qos = orDefault(alerts.integer("qos", 0, 2), 1L).intValue();
    String ackTopic = orDefault(alerts.string("ack_topic"), "alerts/ack");
    String ackError = TopicFilter.topicError(ackTopic);
    if (ackError != null) {
      alerts.problem(alerts.location("ack_topic"), "alerts.ack_topic: " + ackError);
    }
    String alarmTopic = orDefault(alerts.string("alarm_topic"), "alarms/{rule_id}");
    TopicTemplate alarmTemplate = template(alerts, "alarm_topic", alarmTopic, ALARM_PLACEHOLDERS);
    if (alarmTemplate != null && !alarmTemplate.placeholders().contains("rule_id")) {
      alerts.problem(
          alerts.location("alarm_topic"),
          "alerts.alarm_topic must contain {rule_id}, but was '" + alarmTopic + "'");
    }

    Duration replayAfterCrash =
        orDefault(alerts.duration("replay_after_crash"), Duration.ofSeconds(60));

    MapReader admin = section(top, "admin");
    boolean adminEnabled = orDefault(admin.bool("enabled"), true);
    String adminHost = orDefault(admin.string("host"), "127.0.0.1");
    if (adminHost.isBlank()) {
      admin.problem(admin.location("host"), "admin.host must not be empty");
    }
    int adminPort = orDefault(admin.integer("port", 0, 65535), 8180L).intValue();
    Optional<Path> adminPasswords =
        admin.has("password_file")
            ? Optional.of(path(admin, "password_file", "."))
            : Optional.empty();

    MapReader bridgeSection = section(top, "bridge");
    // An invalid gateway_id is reported above; the bridge's topics and client id are rendered
    // with the default instead, so that the id's problem is reported and not thrown.
    BridgeConfig bridge =
        readBridge(
            bridgeSection, gatewayId.matches("[A-Za-z0-9_.-]{1,64}") ? gatewayId : "floorgate");

    MapReader log = section(top, "log");
    LogConfig.Level logLevel = parsed(log, "level", LogConfig.Level::parse, LogConfig.Level.INFO);
    LogConfig.Format logFormat =
        parsed(log, "format", LogConfig.Format::parse, LogConfig.Format.TEXT);

    MapReader seed = section(top, "EVENT_NOTIFICATION");
    EventNotificationConfig defaults = EventNotificationConfig.DEFAULTS;
    boolean persistenceEnabled =
        orDefault(seed.bool("persistence_enabled"), defaults.persistenceEnabled());
    int maxEvents =
        orDefault(seed.integer("max_events", 1, 10_000_000), (long) defaults.maxEvents()).intValue();
    EventSeverity defaultSeverity =
        parsed(seed, "default_alert_severity", EventSeverity::parse, defaults.defaultAlertSeverity());
    boolean stateChanges =
        orDefault(seed.bool("publish_state_changes"), defaults.publishStateChanges());
    boolean thresholds =
        orDefault(seed.bool("publish_threshold_breaches"), defaults.publishThresholdBreaches());
    boolean simulations =
        orDefault(seed.bool("publish_simulation_results"), defaults.publishSimulationResults());
    if (bridge != null && bridge.enabled() && !persistenceEnabled) {
      bridgeSection.problem(
          bridgeSection.location("enabled"),
          "bridge.enabled needs EVENT_NOTIFICATION.persistence_enabled: true (the bridge forwards"
              + " from the journal)");
    }

    if (!problems.isEmpty() || alertTemplate == null || alarmTemplate == null || bridge == null) {
      return null;
    }
    return new GatewayConfig(
        source,
        gatewayId,
        new BrokerConfig(
            host,
            port,
            maxPayload,
            brokerDir,
            brokerPersistence,
            maxConnections,
            maxClientId,
            maxTopic,
            maxRate,
            connectTimeout,
            slowConsumerTimeout,
            tls),
        security,
        new RulesConfig(rulesFile, stateTopics, watchRules),
        new IngestConfig(
            queueCapacity,
            queueBytes,
            simulationTopics,
            optimizationTopics,
            errorInterval,
            maxJsonDepth,
            maxJsonTokens),
        new JournalConfig(journalDir, retentionDays, sync, syncInterval),
        new AlertsConfig(alertTopic, qos, ackTopic, alarmTopic, replayAfterCrash),
        alertTemplate,
        alarmTemplate,
        new EventNotificationConfig(
            persistenceEnabled, maxEvents, defaultSeverity, stateChanges, thresholds, simulations),
        new AdminConfig(adminEnabled, adminHost, adminPort, adminPasswords),
        bridge,
        new LogConfig(logLevel, logFormat));
  }

  /** The {@code bridge} section; null when it has a problem (reported). */
  private @Nullable BridgeConfig readBridge(MapReader bridge, String gatewayId) {
    int before = problems.size();
    BridgeConfig defaults = BridgeConfig.disabled(gatewayId);
    boolean enabled = orDefault(bridge.bool("enabled"), false);
    String host = orDefault(bridge.string("host"), "");
    if (enabled && host.isBlank()) {
      bridge.problem(
          bridge.location("host"), "bridge.host is required when bridge.enabled is true");
    }

    MapReader tls = subsection(bridge, "tls", "bridge.tls.", BRIDGE_TLS);
    boolean tlsEnabled = orDefault(tls.bool("enabled"), false);
    Optional<Path> caFile = optionalPath(tls, "ca_file");
    Optional<Path> certFile = optionalPath(tls, "cert_file");
    Optional<Path> keyFile = optionalPath(tls, "key_file");
    if (!tlsEnabled && (caFile.isPresent() || certFile.isPresent() || keyFile.isPresent())) {
      tls.problem(
          tls.node().location(),
          "bridge.tls has files but bridge.tls.enabled is not true; set it to true to use TLS");
    }
    if (certFile.isPresent() != keyFile.isPresent()) {
      tls.problem(
          tls.location(certFile.isPresent() ? "cert_file" : "key_file"),
          "bridge.tls.cert_file and bridge.tls.key_file go together, but only "
              + (certFile.isPresent() ? "cert_file" : "key_file")
              + " was given");
    }
    int port =
        orDefault(bridge.integer("port", 1, 65535), tlsEnabled ? 8883L : 1883L).intValue();

    Optional<String> username = Optional.ofNullable(bridge.string("username"));
    if (username.isPresent() && username.get().isEmpty()) {
      bridge.problem(bridge.location("username"), "bridge.username must not be empty");
    }
    List<String> passwordKeys =
        List.of("password", "password_env", "password_file").stream()
            .filter(bridge::has)
            .toList();
    BridgeConfig.Password password = new BridgeConfig.Password.None();
    if (passwordKeys.size() > 1) {
      bridge.problem(
          bridge.location(passwordKeys.get(1)),
          "bridge: give one of password, password_env and password_file, but "
              + String.join(" and ", passwordKeys)
              + " were given");
    } else if (bridge.has("password")) {
      String inline = bridge.string("password");
      password = new BridgeConfig.Password.Inline(inline == null ? "" : inline);
    } else if (bridge.has("password_env")) {
      String variable = orDefault(bridge.string("password_env"), "");
      if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        bridge.problem(
            bridge.location("password_env"),
            "bridge.password_env must name an environment variable, but was '" + variable + "'");
      }
      password = new BridgeConfig.Password.FromEnvironment(variable);
    } else if (bridge.has("password_file")) {
      password = new BridgeConfig.Password.FromFile(path(bridge, "password_file", "."));
    }
    if (!passwordKeys.isEmpty() && username.isEmpty()) {
      bridge.problem(
          bridge.location(passwordKeys.get(0)),
          "bridge." + passwordKeys.get(0) + " needs bridge.username");
    }

    String clientIdTemplate = orDefault(bridge.string("client_id"), BridgeConfig.DEFAULT_CLIENT_ID);
    String clientId = clientIdTemplate.replace("{gateway_id}", gatewayId);
    if (clientId.isEmpty() || clientId.length() > 65535) {
      bridge.problem(
          bridge.location("client_id"),
          "bridge.client_id must be 1 to 65535 characters, but was '" + clientIdTemplate + "'");
    } else if (clientId.matches(".*\\{[a-z_]*}.*")) {
      bridge.problem(
          bridge.location("client_id"),
          "bridge.client_id may hold only the placeholder {gateway_id}, but was '"
              + clientIdTemplate
              + "'");
    }

    BridgeConfig.MqttVersion version =
        parsed(bridge, "mqtt_version", BridgeConfig.MqttVersion::parse, BridgeConfig.MqttVersion.AUTO);
    String topicText = orDefault(bridge.string("topic"), BridgeConfig.DEFAULT_TOPIC);
    TopicTemplate topic = template(bridge, "topic", topicText, BridgeConfig.TOPIC_PLACEHOLDERS);
    Set<EventSeverity> severities =
        enums(bridge, "severities", EventSeverity::parse, defaults.severities());
    Set<EventCategory> categories =
        enums(bridge, "categories", EventCategory::parse, defaults.categories());

    MapReader telemetry = subsection(bridge, "telemetry", "bridge.telemetry.", BRIDGE_TELEMETRY);
    List<String> telemetryTopics = filters(telemetry, "topics", List.of());
    String telemetryTopic =
        orDefault(telemetry.string("topic"), BridgeConfig.DEFAULT_TELEMETRY_TOPIC);
    if (template(telemetry, "topic", telemetryTopic, BridgeConfig.TELEMETRY_PLACEHOLDERS) != null
        && (telemetryTopic.indexOf("{topic}") < 0
            || telemetryTopic.indexOf("{topic}") != telemetryTopic.lastIndexOf("{topic}"))) {
      telemetry.problem(
          telemetry.location("topic"),
          "bridge.telemetry.topic must contain {topic} once, but was '" + telemetryTopic + "'");
    }
    int telemetryQos = orDefault(telemetry.integer("qos", 0, 1), 0L).intValue();

    String ackText = orDefault(bridge.string("ack_topic"), BridgeConfig.DEFAULT_ACK_TOPIC);
    String ackTopic = "";
    if (!ackText.isEmpty()
        && template(bridge, "ack_topic", ackText, Set.of("gateway_id")) != null) {
      ackTopic = ackText.replace("{gateway_id}", gatewayId);
    }

    int inFlight = orDefault(bridge.integer("in_flight", 1, 65535), 100L).intValue();
    Duration keepAlive = orDefault(bridge.duration("keep_alive"), defaults.keepAlive());
    if (keepAlive.toSeconds() > 65535) {
      bridge.problem(
          bridge.location("keep_alive"),
          "bridge.keep_alive must be at most 65535s, but was " + keepAlive.toSeconds() + "s");
    }
    Duration connectTimeout = positive(bridge, "connect_timeout", defaults.connectTimeout());
    Duration minDelay = positive(bridge, "reconnect_min_delay", defaults.reconnectMinDelay());
    Duration maxDelay = positive(bridge, "reconnect_max_delay", defaults.reconnectMaxDelay());
    if (maxDelay.compareTo(minDelay) < 0) {
      bridge.problem(
          bridge.location("reconnect_max_delay"),
          "bridge.reconnect_max_delay must be >= bridge.reconnect_min_delay ("
              + minDelay.toMillis()
              + " ms), but was "
              + maxDelay.toMillis()
              + " ms");
    }
    Duration retentionWarning =
        orDefault(bridge.duration("retention_warning"), defaults.retentionWarning());

    if (problems.size() > before || topic == null) {
      return null;
    }
    return new BridgeConfig(
        enabled,
        host,
        port,
        tlsEnabled ? Optional.of(new BridgeConfig.Tls(caFile, certFile, keyFile)) : Optional.empty(),
        username,
        password,
        clientId,
        version,
        topic,
        severities,
        categories,
        new BridgeConfig.Telemetry(telemetryTopics, telemetryTopic, telemetryQos),
        ackTopic,
        inFlight,
        keepAlive,
        connectTimeout,
        minDelay,
        maxDelay,
        retentionWarning);
  }

  /** A nested section such as {@code bridge.tls}; absent reads as empty. */
  private MapReader subsection(MapReader parent, String key, String prefix, Set<String> allowed) {
    Node.MapNode map = null;
    Node node = parent.node(key);
    if (node != null && !(node instanceof Node.ScalarNode s && s.value() == null)) {
      map = parent.map(key);
    }
    if (map == null) {
      map = new Node.MapNode(parent.location(key), java.util.Map.of());
    }
    MapReader section = reader(map, prefix);
    section.rejectUnknownKeys(allowed);
    return section;
  }

  /** A list of enum values such as severities; every bad item is reported at the item. */
  private <E extends Enum<E>> Set<E> enums(
      MapReader r, String key, Function<String, E> parse, Set<E> fallback) {
    List<String> values = r.strings(key);
    if (values == null) {
      return fallback;
    }
    Node node = r.node(key);
    Set<E> parsed = new java.util.LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      try {
        parsed.add(parse.apply(values.get(i)));
      } catch (IllegalArgumentException e) {
        Location at =
            node instanceof Node.ListNode list ? list.items().get(i).location() : r.location(key);
        r.problem(at, r.name(key) + ": " + e.getMessage());
      }
    }
    if (values.isEmpty()) {
      r.problem(r.location(key), r.name(key) + " must not be empty (disable the bridge instead)");
    }
    return parsed;
  }

  private MapReader reader(Node.MapNode map, String prefix) {
    return new MapReader(map, null, prefix, problems::add);
  }

  /** A section's reader; an absent section reads as empty (all defaults). */
  private MapReader section(MapReader top, String key) {
    Node.MapNode map = null;
    Node node = top.node(key);
    if (node != null && !(node instanceof Node.ScalarNode s && s.value() == null)) {
      map = top.map(key);
    }
    if (map == null) {
      map = new Node.MapNode(top.location(key), java.util.Map.of());
    }
    MapReader section = reader(map, key + ".");
    switch (key) {
      case "broker" -> section.rejectUnknownKeys(BROKER);
      case "security" -> section.rejectUnknownKeys(SECURITY);
      case "rules" -> section.rejectUnknownKeys(RULES);
      case "ingest" -> section.rejectUnknownKeys(INGEST);
      case "journal" -> section.rejectUnknownKeys(JOURNAL);
      case "alerts" -> section.rejectUnknownKeys(ALERTS);
      case "admin" -> section.rejectUnknownKeys(ADMIN);
      case "log" -> section.rejectUnknownKeys(LOG);
      case "bridge" -> section.rejectUnknownKeys(BRIDGE);
      default -> section.rejectUnknownKeys(EVENT_NOTIFICATION);
    }
    return section;
  }

  /** {@code broker.tls}: absent or {@code enabled: false} means no TLS listener. */
  private Optional<TlsConfig> tls(MapReader broker, String plainHost, int plainPort) {
    Node node = broker.node("tls");
    if (node == null || (node instanceof Node.ScalarNode s && s.value() == null)) {
      return Optional.empty();
    }
    Node.MapNode map = broker.map("tls");
    if (map == null) {
      return Optional.empty();
    }
    MapReader tls = reader(map, "broker.tls.");
    tls.rejectUnknownKeys(TLS);
    if (!orDefault(tls.bool("enabled"), false)) {
      return Optional.empty();
    }
    String host = orDefault(tls.string("host"), plainHost);
    if (host.isBlank()) {
      tls.problem(tls.location("host"), "broker.tls.host must not be empty");
    }
    int port = orDefault(tls.integer("port", 0, 65535), 8883L).intValue();
    if (port != 0 && port == plainPort && host.equals(plainHost)) {
      tls.problem(
          tls.location("port"),
          "broker.tls.port must differ from broker.port on the same host, but both are " + port);
    }
    Optional<Path> cert = optionalPath(tls, "cert_file");
    Optional<Path> key = optionalPath(tls, "key_file");
    Optional<Path> keystore = optionalPath(tls, "keystore");
    String password = orDefault(tls.string("keystore_password"), "");
    Optional<Path> ca = optionalPath(tls, "ca_file");
    ClientAuth clientAuth = parsed(tls, "client_auth", ClientAuth::parse, ClientAuth.NONE);
    boolean pem = cert.isPresent() || key.isPresent();
    if (keystore.isPresent() && pem) {
      tls.problem(
          tls.location("keystore"),
          "broker.tls: set either cert_file and key_file (PEM) or keystore (PKCS#12), not both");
      return Optional.empty();
    }
    if (keystore.isEmpty() && (cert.isEmpty() || key.isEmpty())) {
      tls.problem(
          tls.node().location(),
          "broker.tls is enabled, so it needs cert_file and key_file (PEM) or keystore (PKCS#12)");
      return Optional.empty();
    }
    if (clientAuth != ClientAuth.NONE && ca.isEmpty()) {
      tls.problem(
          tls.location("client_auth"),
          "broker.tls.client_auth is "
              + clientAuth.value()
              + ", so broker.tls.ca_file must name the CA that signs client certificates");
      return Optional.empty();
    }
    try {
      TlsContexts.server(cert, key, keystore, password, ca, clientAuth);
    } catch (IllegalArgumentException e) {
      String where = keystore.isPresent() ? "keystore" : "cert_file";
      tls.problem(tls.location(where), "broker.tls: " + e.getMessage());
      return Optional.empty();
    }
    return Optional.of(new TlsConfig(host, port, cert, key, keystore, password, ca, clientAuth));
  }

  /**
   * {@code security}: reads the password and ACL files (every problem in them is reported), and
   * fails closed: a listener that is not on loopback lets no anonymous client in unless {@code
   * allow_anonymous: true} says so, and must then have a way to authenticate.
   */
  private SecurityConfig security(
      MapReader security, MapReader broker, String host, Optional<TlsConfig> tls) {
    Optional<Path> passwordPath = optionalPath(security, "password_file");
    Optional<Path> aclPath = optionalPath(security, "acl_file");
    Optional<Boolean> allowAnonymous = Optional.ofNullable(security.bool("allow_anonymous"));
    Optional<PasswordFile> passwords = Optional.empty();
    if (passwordPath.isPresent()) {
      PasswordFile.Result read = PasswordFile.load(passwordPath.get());
      fileProblems(security, "password_file", passwordPath.get(), read.problems());
      passwords = read.file();
    }
    Optional<Acl> acl = Optional.empty();
    if (aclPath.isPresent()) {
      Acl.Result read = Acl.load(aclPath.get());
      fileProblems(security, "acl_file", aclPath.get(), read.problems());
      acl = read.acl();
    }
    boolean plainLoopback = loopback(broker, "host", host);
    boolean plainAnonymous = allowAnonymous.orElse(plainLoopback);
    boolean tlsAnonymous = false;
    boolean certificates = tls.map(t -> t.clientAuth() != ClientAuth.NONE).orElse(false);
    if (!plainAnonymous && passwordPath.isEmpty()) {
      security.problem(
          plainLoopback ? security.location("allow_anonymous") : broker.location("host"),
          plainLoopback
              ? "security.allow_anonymous is false, but security.password_file is not set, so no"
                  + " client could log in on the plain listener"
              : "broker.host '"
                  + host
                  + "' is not a loopback address, so clients must log in there: set"
                  + " security.password_file (see docs/security.md), or security.allow_anonymous:"
                  + " true to let anyone in");
    }
    if (tls.isPresent()) {
      boolean tlsLoopback = loopback(broker, "tls", tls.get().host());
      tlsAnonymous = allowAnonymous.orElse(tlsLoopback);
      if (!tlsAnonymous && passwordPath.isEmpty() && !certificates) {
        security.problem(
            broker.location("tls"),
            "the TLS listener on '"
                + tls.get().host()
                + "' requires clients to authenticate, but neither security.password_file nor"
                + " broker.tls.client_auth is set; set one, or security.allow_anonymous: true");
      }
    }
    return new SecurityConfig(passwords, acl, allowAnonymous, plainAnonymous, tlsAnonymous);
  }

  /**
   * A file that cannot be read is reported at the key naming it (with the path); problems inside
   * a readable file at their own file, line and column.
   */
  private void fileProblems(MapReader r, String key, Path file, List<Problem> found) {
    for (Problem p : found) {
      if (p.message().startsWith("cannot read")) {
        r.problem(r.location(key), r.name(key) + " '" + file + "': " + p.message());
      } else {
        problems.add(p);
      }
    }
  }

  private boolean loopback(MapReader r, String key, String host) {
    try {
      return SecurityConfig.isLoopback(host);
    } catch (java.net.UnknownHostException e) {
      r.problem(r.location(key), r.name(key) + ": cannot resolve '" + host + "'");
      return false;
    }
  }

  private Optional<Path> optionalPath(MapReader r, String key) {
    String text = r.string(key);
    if (text == null) {
      return Optional.empty();
    }
    if (text.isBlank()) {
      r.problem(r.location(key), r.name(key) + " must not be empty (leave it out instead)");
      return Optional.empty();
    }
    return Optional.ofNullable(toPath(r, key, text));
  }

  private static <T> T orDefault(@Nullable T value, T fallback) {
    return value == null ? fallback : value;
  }

  private Path path(MapReader r, String key, String fallback) {
    String text = r.string(key);
    if (text != null && text.isBlank()) {
      r.problem(r.location(key), r.name(key) + " must not be empty");
    }
    Path path = text == null || text.isBlank() ? null : toPath(r, key, text);
    return path == null ? Path.of(fallback) : path;
  }

  /** {@code text} as a path, or null with a problem when the platform cannot name it (a NUL). */
  private static @Nullable Path toPath(MapReader r, String key, String text) {
    try {
      return Path.of(text);
    } catch (java.nio.file.InvalidPathException e) {
      r.problem(r.location(key), r.name(key) + " is not a valid path: " + e.getReason());
      return null;
    }
  }

  private List<String> filters(MapReader r, String key, List<String> fallback) {
    List<String> values = r.strings(key);
    if (values == null) {
      return fallback;
    }
    // Point at the bad item itself, not at the start of the list (strings() accepted every item,
    // so the list's items and the values correspond one to one).
    Node node = r.node(key);
    for (int i = 0; i < values.size(); i++) {
      String error = TopicFilter.filterError(values.get(i));
      if (error != null) {
        Location at =
            node instanceof Node.ListNode list ? list.items().get(i).location() : r.location(key);
        r.problem(at, r.name(key) + ": " + error);
      }
    }
    return values;
  }

  private Duration positive(MapReader r, String key, Duration fallback) {
    Duration value = r.duration(key);
    if (value != null && value.isZero()) {
      r.problem(r.location(key), r.name(key) + " must be > 0, but was 0");
    }
    return value == null || value.isZero() ? fallback : value;
  }

  private <T> T parsed(MapReader r, String key, Function<String, T> parse, T fallback) {
    String text = r.string(key);
    if (text == null) {
      return fallback;
    }
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      r.problem(r.location(key), r.name(key) + ": " + e.getMessage());
      return fallback;
    }
  }

  private @Nullable TopicTemplate template(
      MapReader r, String key, String template, Set<String> allowed) {
    try {
      return TopicTemplate.parse(template, allowed);
    } catch (IllegalArgumentException e) {
      r.problem(r.location(key), r.name(key) + ": " + e.getMessage());
      return null;
    }
  }
}
