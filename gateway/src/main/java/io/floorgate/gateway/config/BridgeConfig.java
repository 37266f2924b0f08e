package io.floorgate.gateway.config;

import io.floorgate.events.EventCategory;
import io.floorgate.events.EventSeverity;
import io.floorgate.rules.topic.TopicFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The northbound bridge (the {@code bridge} section): forwards journaled events, and optionally
 * telemetry, to an upstream MQTT broker. {@link ConfigLoader} reports every problem with its
 * location; the compact constructor checks the same invariants again so that no other code can
 * build an inconsistent one.
 *
 * @param enabled whether the bridge runs at all (off by default)
 * @param host the upstream broker's host name or address; required when enabled
 * @param port its port (1883, or 8883 with TLS, by default)
 * @param tls TLS towards the upstream, when enabled
 * @param username the user name the bridge logs in with, if any
 * @param password where its password comes from; never printed
 * @param clientId the MQTT client identifier, {@code {gateway_id}} already filled in
 * @param mqttVersion which protocol to speak
 * @param topic template of the upstream topic of an event: {@code {severity}}, {@code
 *     {category}}, {@code {source}}, {@code {gateway_id}}
 * @param severities severities that are forwarded
 * @param categories categories that are forwarded
 * @param telemetry telemetry forwarding (best effort); off when it lists no topics
 * @param ackTopic upstream topic whose acknowledgements are applied locally, {@code
 *     {gateway_id}} filled in; empty when off
 * @param inFlight events read ahead and not yet acknowledged upstream, at most
 * @param keepAlive MQTT keep-alive
 * @param connectTimeout how long a connection attempt (TCP, TLS and CONNECT) may take
 * @param reconnectMinDelay the first delay after a failed or lost connection
 * @param reconnectMaxDelay the longest delay between attempts
 * @param retentionWarning an error event warns this long before journal retention would delete
 *     an event not yet acknowledged upstream
 */
public record BridgeConfig(
    boolean enabled,
    String host,
    int port,
    Optional<Tls> tls,
    Optional<String> username,
    Password password,
    String clientId,
    MqttVersion mqttVersion,
    TopicTemplate topic,
    Set<EventSeverity> severities,
    Set<EventCategory> categories,
    Telemetry telemetry,
    String ackTopic,
    int inFlight,
    Duration keepAlive,
    Duration connectTimeout,
    Duration reconnectMinDelay,
    Duration reconnectMaxDelay,
    Duration retentionWarning) {

  /** The default upstream topic of an event. */
  public static final String DEFAULT_TOPIC = "floorgate/{gateway_id}/alerts/{severity}/{category}";

  /** The default client identifier. */
  public static final String DEFAULT_CLIENT_ID = "floorgate-{gateway_id}";

  /** The default upstream acknowledgement topic. */
  public static final String DEFAULT_ACK_TOPIC = "floorgate/{gateway_id}/ack";

  /** The default upstream topic of forwarded telemetry. */
  public static final String DEFAULT_TELEMETRY_TOPIC = "floorgate/{gateway_id}/telemetry/{topic}";

  /** Placeholders of {@code bridge.topic}. */
  public static final Set<String> TOPIC_PLACEHOLDERS = ConfigLoader.ALERT_PLACEHOLDERS;

  /** Placeholders of {@code bridge.telemetry.topic}. */
  public static final Set<String> TELEMETRY_PLACEHOLDERS = Set.of("gateway_id", "topic");

  /**
   * @throws IllegalArgumentException naming the field and the bad value
   */
  public BridgeConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(mqttVersion, "mqttVersion");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(ackTopic, "ackTopic");
    severities = Set.copyOf(severities);
    categories = Set.copyOf(categories);
    if (enabled && host.isBlank()) {
      throw new IllegalArgumentException("bridge.host is required when the bridge is enabled");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("bridge.port must be in [1, 65535], but was " + port);
    }
    if (!(password instanceof Password.None) && username.isEmpty()) {
      throw new IllegalArgumentException("bridge.password needs bridge.username");
    }
    if (clientId.isEmpty() || clientId.length() > 65535) {
      throw new IllegalArgumentException(
          "bridge.client_id must be 1 to 65535 characters, but was '" + clientId + "'");
    }
    if (!ackTopic.isEmpty() && TopicFilter.topicError(ackTopic) != null) {
      throw new IllegalArgumentException(
          "bridge.ack_topic: " + TopicFilter.topicError(ackTopic));
    }
    if (inFlight < 1 || inFlight > 65535) {
      throw new IllegalArgumentException(
          "bridge.in_flight must be in [1, 65535], but was " + inFlight);
    }
    if (keepAlive.isNegative() || keepAlive.toSeconds() > 65535) {
      throw new IllegalArgumentException(
          "bridge.keep_alive must be in [0s, 65535s], but was " + keepAlive);
    }
    requirePositive("bridge.connect_timeout", connectTimeout);
    requirePositive("bridge.reconnect_min_delay", reconnectMinDelay);
    requirePositive("bridge.reconnect_max_delay", reconnectMaxDelay);
    if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
      throw new IllegalArgumentException(
          "bridge.reconnect_max_delay must be >= reconnect_min_delay ("
              + reconnectMinDelay
              + "), but was "
              + reconnectMaxDelay);
    }
    if (retentionWarning.isNegative()) {
      throw new IllegalArgumentException(
          "bridge.retention_warning must be >= 0, but was " + retentionWarning);
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }

  /** The bridge as shipped: off, everything else at its default. */
  public static BridgeConfig disabled(String gatewayId) {
    return new BridgeConfig(
        false,
        "",
        1883,
        Optional.empty(),
        Optional.empty(),
        new Password.None(),
        DEFAULT_CLIENT_ID.replace("{gateway_id}", gatewayId),
        MqttVersion.AUTO,
        TopicTemplate.parse(DEFAULT_TOPIC, TOPIC_PLACEHOLDERS),
        EnumSet.allOf(EventSeverity.class),
        EnumSet.allOf(EventCategory.class),
        Telemetry.off(),
        DEFAULT_ACK_TOPIC.replace("{gateway_id}", gatewayId),
        100,
        Duration.ofSeconds(60),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofHours(24));
  }

  /** {@code host:port}, for logs and status. */
  public String upstream() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Whether an event of this severity and category is forwarded. */
  public boolean forwards(String severity, String category) {
    for (EventSeverity s : severities) {
      if (s.value().equals(severity)) {
        for (EventCategory c : categories) {
          if (c.value().equals(category)) {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }

  /**
   * TLS towards the upstream.
   *
   * @param caFile PEM certificates to trust; the JVM's trusted roots when absent
   * @param certFile the bridge's own certificate chain (PEM), for brokers that ask for one
   * @param keyFile its private key (PEM, unencrypted PKCS#8), given exactly with {@code certFile}
   */
  public record Tls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {
    public Tls {
      if (certFile.isPresent() != keyFile.isPresent()) {
        throw new IllegalArgumentException(
            "bridge.tls.cert_file and bridge.tls.key_file go together, but only "
                + (certFile.isPresent() ? "cert_file" : "key_file")
                + " was given");
      }
    }
  }

  /**
   * Telemetry forwarding: messages devices publish on the embedded broker, forwarded as they are
   * (best effort: not journaled, dropped while the upstream is unreachable).
   *
   * @param topics local topic filters whose messages are forwarded; empty: none
   * @param topic template of the upstream topic: {@code {gateway_id}}, {@code {topic}} (the local
   *     topic, all its levels)
   * @param qos QoS towards the upstream
   */
  public record Telemetry(List<String> topics, String topic, int qos) {
    public Telemetry {
      topics = List.copyOf(topics);
      for (String filter : topics) {
        String error = TopicFilter.filterError(filter);
        if (error != null) {
          throw new IllegalArgumentException("bridge.telemetry.topics: " + error);
        }
      }
      TopicTemplate.parse(topic, TELEMETRY_PLACEHOLDERS);
      if (topic.indexOf("{topic}") < 0 || topic.indexOf("{topic}") != topic.lastIndexOf("{topic}")) {
        throw new IllegalArgumentException(
            "bridge.telemetry.topic must contain {topic} once, but was '" + topic + "'");
      }
      if (qos < 0 || qos > 1) {
        throw new IllegalArgumentException("bridge.telemetry.qos must be 0 or 1, but was " + qos);
      }
    }

    /** No telemetry forwarded. */
    public static Telemetry off() {
      return new Telemetry(List.of(), DEFAULT_TELEMETRY_TOPIC, 0);
    }

    public boolean enabled() {
      return !topics.isEmpty();
    }
  }

  /** Where the bridge's password comes from. {@link #toString()} never shows a password. */
  public sealed interface Password {
    /** No password. */
    record None() implements Password {}

    /** Written in the configuration file. */
    record Inline(String value) implements Password {
      @Override
      public String toString() {
        return "Inline[****]";
      }
    }

    /** Read from an environment variable at start-up. */
    record FromEnvironment(String variable) implements Password {}

    /** Read from a file at start-up (its first line). */
    record FromFile(Path file) implements Password {}
  }

  /** {@code bridge.mqtt_version}. */
  public enum MqttVersion {
    /** MQTT 5, and 3.1.1 when the upstream does not speak 5. */
    AUTO("auto"),
    /** MQTT 5 only. */
    V5("5"),
    /** MQTT 3.1.1 only. */
    V3_1_1("3.1.1");

    private final String value;

    MqttVersion(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }

    /**
     * Parses {@code auto}, {@code 5} or {@code 3.1.1}.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static MqttVersion parse(String text) {
      String normalized = text.trim().toLowerCase(Locale.ROOT);
      for (MqttVersion version : values()) {
        if (version.value.equals(normalized)) {
          return version;
        }
      }
      throw new IllegalArgumentException(
          "mqtt_version must be one of "
              + Arrays.stream(values()).map(MqttVersion::value).toList()
              + ", but was '"
              + text
              + "'");
    }

    @Override
    public String toString() {
      return value;
    }
  }
}
