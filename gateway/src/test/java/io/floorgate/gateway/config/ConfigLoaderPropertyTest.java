package io.floorgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.floorgate.gateway.TextEdits;
import io.floorgate.rules.tree.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Properties of the configuration loader (jqwik): any text, mutated valid files and any
 * configuration-shaped JSON give a configuration or problems at file, line and column; {@code
 * orThrow} throws nothing but {@link ConfigException}; nothing takes long. A generated valid
 * configuration reads back what it says.
 *
 * <p>Host names are drawn from addresses and {@code localhost} only: any other name is resolved
 * through DNS (to tell loopback from not), which is the resolver's time, not the parser's.
 */
class ConfigLoaderPropertyTest {
  private static final Duration BOUND = Duration.ofSeconds(5);

  private static final String VALID =
      """
      gateway_id: cell-7
      broker:
        host: 127.0.0.1
        port: 0
        max_connections: 10
        data_dir: data/broker
        tls:
          enabled: false
      security:
        allow_anonymous: true
      rules:
        file: config/rules.yaml
        state_topics: [twin/+/state]
      ingest:
        queue_capacity: 10
        simulation_topics: [twin/+/simulation]
        max_json_depth: 8
      journal:
        dir: data/journal
        sync: batch
        sync_interval: 1s
      alerts:
        topic: alerts/{severity}/{category}
        alarm_topic: alarms/{rule_id}
        qos: 1
      log:
        level: info
      EVENT_NOTIFICATION:
        max_events: 5
        default_alert_severity: warning
      """;

  /** Keys of each section (a copy of the loader's lists, so that generated files reach them). */
  private static final Map<String, List<String>> SECTIONS =
      Map.of(
          "broker",
          List.of(
              "host", "port", "max_payload_bytes", "data_dir", "persistence", "max_connections",
              "max_client_id_length", "max_topic_length", "max_messages_per_second",
              "connect_timeout", "tls"),
          "security", List.of("password_file", "acl_file", "allow_anonymous"),
          "rules", List.of("file", "state_topics", "watch"),
          "ingest",
          List.of(
              "queue_capacity", "simulation_topics", "optimization_topics",
              "error_report_interval", "max_json_depth", "max_json_tokens"),
          "journal", List.of("dir", "retention_days", "sync", "sync_interval"),
          "alerts", List.of("topic", "qos", "ack_topic", "alarm_topic", "replay_after_crash"),
          "admin", List.of("enabled", "host", "port", "password_file"),
          "log", List.of("level", "format"),
          "EVENT_NOTIFICATION",
          List.of(
              "persistence_enabled", "max_events", "default_alert_severity",
              "publish_state_changes", "publish_threshold_breaches",
              "publish_simulation_results"));

  private static final List<String> TLS_KEYS =
      List.of(
          "enabled", "host", "port", "cert_file", "key_file", "keystore", "keystore_password",
          "ca_file", "client_auth");

  private static final List<Object> HOSTS =
      List.of("127.0.0.1", "::1", "0.0.0.0", "10.1.2.3", "localhost", "", " ", "[::1]", "[zz", "::g");

  /** Values the configuration's keys take, right and nearly right. */
  private static final List<Object> PLAUSIBLE =
      List.of(
          0, 1, -1, 65535, 65536, 1883, Long.MAX_VALUE, 0.5, -0.5, 1e308, true, false, "true",
          "", " ", "1s", "0s", "500ms", "-1s", "99999999999999999999h", "batch", "always", "never",
          "info", "DEBUG", "json", "loud", "warning", "none", "required", "twin/+/state", "a/#",
          "#/a", "alerts/{severity}/{category}", "alarms/{rule_id}", "alerts/{nope}", "{", "}",
          "alerts/ack", "a+", "data/x", "config/rules.yaml", "no/such/file", "a\u0000b", "\u0000",
          "cell-7", "bad id!");

  private static ConfigLoader.Result parse(String yaml) {
    return assertTimeoutPreemptively(
        BOUND,
        () -> ConfigLoader.parse(yaml, "gateway.yaml", Optional.empty()),
        () -> "loading took longer than " + BOUND);
  }

  /** A configuration or located problems; orThrow gives it or throws ConfigException. */
  private static void assertDocumentedOutcome(ConfigLoader.Result result) {
    assertThat(result.config().isPresent()).isEqualTo(result.problems().isEmpty());
    for (Problem problem : result.problems()) {
      assertThat(problem.location().line()).isPositive();
      assertThat(problem.location().column()).isPositive();
      assertThat(problem.message()).isNotBlank();
    }
    if (result.ok()) {
      assertThat(result.orThrow()).isNotNull();
    } else {
      assertThatThrownBy(result::orThrow)
          .isInstanceOf(ConfigException.class)
          .satisfies(e -> assertThat(((ConfigException) e).problems()).isEqualTo(result.problems()));
    }
  }

  @Property(tries = 300)
  void anyText_givesAConfigurationOrLocatedProblems(@ForAll @StringLength(max = 400) String text) {
    assertDocumentedOutcome(parse(text));
  }

  @Property(tries = 500)
  void mutatedValidFile_givesAConfigurationOrLocatedProblems(
      @ForAll("mutatedConfigurations") String yaml) {
    assertDocumentedOutcome(parse(yaml));
  }

  @Property(tries = 400)
  void anyJsonWithConfigurationKeys_givesAConfigurationOrLocatedProblems(
      @ForAll("configurationJson") String json) {
    assertDocumentedOutcome(parse(json));
  }

  @Property(tries = 40)
  void deeplyNestedSection_isAProblem_notAStackOverflow(
      @ForAll @IntRange(min = 1, max = 20_000) int depth) {
    ConfigLoader.Result result = parse("broker: " + "{port: ".repeat(depth) + "1" + "}".repeat(depth));

    assertDocumentedOutcome(result);
    assertThat(result.ok()).isEqualTo(depth == 1); // deeper, port is a mapping
  }

  @Property(tries = 200)
  void anyStringAsAPath_isAPathOrAProblem(
      @ForAll("pathKeys") String key, @ForAll @StringLength(max = 20) String value) {
    String[] section = key.split("\\.");
    String yaml =
        "security: {allow_anonymous: true}\n"
            + section[0]
            + ": {"
            + section[1]
            + ": "
            + Json.write(value)
            + "}\n";

    assertDocumentedOutcome(parse(yaml));
  }

  @Provide
  Arbitrary<String> pathKeys() {
    return Arbitraries.of(
        "broker.data_dir", "rules.file", "journal.dir", "security.password_file",
        "security.acl_file", "admin.password_file");
  }

  @Property(tries = 200)
  void generatedValidConfiguration_readsBackWhatItSays(
      @ForAll("gatewayIds") String gatewayId,
      @ForAll @IntRange(min = 0, max = 65535) int port,
      @ForAll @IntRange(min = 1, max = 268_435_456) int maxPayload,
      @ForAll @IntRange(min = 1, max = 10_000_000) int queueCapacity,
      @ForAll @IntRange(min = 1, max = IngestConfig.MAX_JSON_DEPTH) int maxJsonDepth,
      @ForAll @IntRange(min = 1, max = 100_000_000) int maxJsonTokens,
      @ForAll @IntRange(min = 0, max = 2) int qos,
      @ForAll @IntRange(min = 0, max = 3650) int retentionDays,
      @ForAll @IntRange(min = 1, max = 86_400_000) int syncIntervalMillis,
      @ForAll LogConfig.Level level,
      @ForAll("dataDirs") String dataDir) {
    String yaml =
        """
        gateway_id: "%s"
        broker: {port: %d, max_payload_bytes: %d, data_dir: "%s"}
        ingest: {queue_capacity: %d, max_json_depth: %d, max_json_tokens: %d}
        alerts: {qos: %d}
        journal: {retention_days: %d, sync_interval: %dms}
        log: {level: %s}
        """
            .formatted(
                gatewayId,
                port,
                maxPayload,
                dataDir,
                queueCapacity,
                maxJsonDepth,
                maxJsonTokens,
                qos,
                retentionDays,
                syncIntervalMillis,
                level.value().toUpperCase(Locale.ROOT));

    ConfigLoader.Result result = parse(yaml);

    assertThat(result.problems()).as(yaml).isEmpty();
    GatewayConfig config = result.orThrow();
    assertThat(config.gatewayId()).isEqualTo(gatewayId);
    assertThat(config.broker().port()).isEqualTo(port);
    assertThat(config.broker().maxPayloadBytes()).isEqualTo(maxPayload);
    assertThat(config.broker().dataDir()).isEqualTo(Path.of(dataDir));
    assertThat(config.ingest().queueCapacity()).isEqualTo(queueCapacity);
    assertThat(config.ingest().maxJsonDepth()).isEqualTo(maxJsonDepth);
    assertThat(config.ingest().maxJsonTokens()).isEqualTo(maxJsonTokens);
    assertThat(config.alerts().qos()).isEqualTo(qos);
    assertThat(config.journal().retentionDays()).isEqualTo(retentionDays);
    assertThat(config.journal().syncInterval()).isEqualTo(Duration.ofMillis(syncIntervalMillis));
    assertThat(config.log().level()).isEqualTo(level);
  }

  // --- generators ----------------------------------------------------------------------------

  @Provide
  Arbitrary<String> mutatedConfigurations() {
    return TextEdits.of(VALID, 6);
  }

  @Provide
  Arbitrary<String> gatewayIds() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('A', 'Z')
        .withChars("0123456789_.-")
        .ofMinLength(1)
        .ofMaxLength(64);
  }

  @Provide
  Arbitrary<String> dataDirs() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("/_-.é")
        .ofMinLength(1)
        .ofMaxLength(30)
        .filter(dir -> !dir.isBlank());
  }

  @Provide
  Arbitrary<String> configurationJson() {
    Arbitrary<Object> value = values();
    Arbitrary<Map<String, Object>> tls =
        Arbitraries.maps(keys(TLS_KEYS), value).ofMaxSize(5);
    List<Arbitrary<Tuple.Tuple2<String, Object>>> sections =
        SECTIONS.entrySet().stream()
            .map(
                e ->
                    Arbitraries.oneOf(
                            Arbitraries.maps(keys(e.getValue()), value)
                                .ofMaxSize(6)
                                .map(m -> (Object) m),
                            value)
                        .map(v -> Tuple.of(e.getKey(), v)))
            .toList();
    Arbitrary<Map<String, Object>> top =
        Arbitraries.oneOf(sections).list().ofMaxSize(6).map(ConfigLoaderPropertyTest::top);
    return Combinators.combine(top, tls, Arbitraries.of(HOSTS), Arbitraries.of(true, false))
        .as(
            (config, tlsMap, host, withTls) -> {
              fixHosts(config, host);
              if (withTls && config.get("broker") instanceof Map<?, ?> broker) {
                Map<String, Object> tlsSection = new LinkedHashMap<>(tlsMap);
                if (tlsSection.containsKey("host")) {
                  tlsSection.put("host", host);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> b = (Map<String, Object>) broker;
                b.put("tls", tlsSection);
              }
              return Json.write(config);
            });
  }

  private static Map<String, Object> top(List<Tuple.Tuple2<String, Object>> sections) {
    Map<String, Object> top = new LinkedHashMap<>();
    for (Tuple.Tuple2<String, Object> section : sections) {
      Object value = section.get2();
      top.put(section.get1(), value instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : value);
    }
    return top;
  }

  /** Host names only from {@link #HOSTS}: anything else would be looked up in DNS. */
  private static void fixHosts(Map<String, Object> config, Object host) {
    for (Object section : config.values()) {
      if (section instanceof Map<?, ?> map && map.containsKey("host")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) map;
        m.put("host", host);
      }
    }
  }

  private static Arbitrary<String> keys(List<String> known) {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(known)), Tuple.of(1, Arbitraries.strings().ofMaxLength(6)));
  }

  private static Arbitrary<Object> values() {
    Arbitrary<Object> scalar =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.of(PLAUSIBLE)),
            Tuple.of(1, Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s)),
            Tuple.of(1, Arbitraries.longs().map(l -> (Object) l)),
            Tuple.of(1, Arbitraries.doubles().map(d -> (Object) d)),
            Tuple.of(1, Arbitraries.just((Object) null).injectNull(1.0)));
    return Arbitraries.oneOf(
        scalar, scalar.list().ofMaxSize(3).map(l -> (Object) l));
  }

  /** A JSON writer for generated values (JSON is YAML). */
  static final class Json {
    private Json() {}

    static String write(Object value) {
      StringBuilder out = new StringBuilder();
      write(value, out);
      return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
      if (value == null) {
        out.append("null");
      } else if (value instanceof String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
          char c = s.charAt(i);
          if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
        out.append('"');
      } else if (value instanceof Double d && !Double.isFinite(d)) {
        out.append('"').append(d).append('"');
      } else if (value instanceof Map<?, ?> map) {
        out.append('{');
        String sep = "";
        for (Map.Entry<?, ?> e : map.entrySet()) {
          out.append(sep);
          write(String.valueOf(e.getKey()), out);
          out.append(':');
          write(e.getValue(), out);
          sep = ",";
        }
        out.append('}');
      } else if (value instanceof List<?> list) {
        out.append('[');
        String sep = "";
        for (Object item : list) {
          out.append(sep);
          write(item, out);
          sep = ",";
        }
        out.append(']');
      } else {
        out.append(value);
      }
    }
  }
}
