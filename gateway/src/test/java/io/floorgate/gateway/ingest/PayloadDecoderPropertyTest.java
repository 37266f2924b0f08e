package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.floorgate.gateway.TextEdits;
import io.floorgate.gateway.ingest.PayloadDecoder.Decoded;
import io.floorgate.gateway.ingest.PayloadDecoder.Readings;
import io.floorgate.gateway.ingest.PayloadDecoder.Value;
import io.floorgate.rules.Comparison;
import io.floorgate.rules.Rule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the payload decoder (jqwik): any bytes, any JSON and any nesting give a JSON tree
 * or a {@link Rejection} among the decoder's documented reasons, never an exception, quickly;
 * every path into a tree gives a finite number or a documented reason; a number put at a path is
 * found there.
 */
class PayloadDecoderPropertyTest {
  /** Per try; decoding these payloads takes microseconds, so this only catches a hang. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  private static final Set<Rejection> DECODE_REASONS =
      EnumSet.of(Rejection.EMPTY, Rejection.TOO_LARGE, Rejection.NOT_JSON, Rejection.TOO_COMPLEX);
  private static final Set<Rejection> VALUE_REASONS =
      EnumSet.of(Rejection.MISSING_VALUE, Rejection.NOT_A_NUMBER);

  private static final List<String> VALID =
      List.of(
          "26.5",
          "-3",
          "{\"value\": 26.5, \"ts\": \"2026-01-01T00:00:00Z\", \"seq\": 17}",
          "{\"system_status\": \"running\", \"timestamp\": \"2025-02-24T14:30:22\","
              + " \"production_line\": {\"temperature\": 26.5, \"speed\": [1, 2, {\"x\": null}]}}",
          "{\"event_id\": \"e-1\", \"user_id\": \"op-7\"}",
          "[1, 2.5e10, true, false, null, \"s\\u00e9\\n\"]");

  /** The gateway's default limits (depth 32, 10,000 tokens) and a 64 kB payload limit. */
  private final PayloadDecoder decoder = new PayloadDecoder(65_536);

  private static Decoded decode(PayloadDecoder decoder, byte[] payload) {
    return assertTimeoutPreemptively(
        BOUND, () -> decoder.decode(payload), () -> "decoding took longer than " + BOUND);
  }

  /** Decoded or rejected for a documented reason; every accessor answers without throwing. */
  private static void assertDocumentedOutcome(
      PayloadDecoder decoder, Decoded decoded, String path) {
    if (decoded instanceof Decoded.Rejected rejected) {
      assertThat(rejected.reason()).isIn(DECODE_REASONS);
      assertThat(rejected.detail()).isNotBlank();
      return;
    }
    JsonNode root = ((Decoded.Json) decoded).root();
    Value value = PayloadDecoder.valueAt(root, path);
    if (value instanceof Value.Found found) {
      assertThat(found.value()).isFinite();
    } else {
      assertThat(((Value.Missing) value).reason()).isIn(VALUE_REASONS);
    }
    PayloadDecoder.seq(root);
    PayloadDecoder.timestamp(root);
    decoder.toJava(root);
  }

  @Property(tries = 1000)
  void anyBytes_decodeOrAreRejectedForADocumentedReason(
      @ForAll @Size(max = 2048) byte[] payload, @ForAll("paths") String path) {
    assertDocumentedOutcome(decoder, decode(decoder, payload), path);
  }

  @Property(tries = 1000)
  void mutatedValidPayloads_decodeOrAreRejectedForADocumentedReason(
      @ForAll("mutatedPayloads") byte[] payload, @ForAll("paths") String path) {
    assertDocumentedOutcome(decoder, decode(decoder, payload), path);
  }

  @Property(tries = 300)
  void anyJson_decodesExactlyWhenWithinTheDepthAndTokenLimits(@ForAll("json") Json json) {
    PayloadDecoder limited = new PayloadDecoder(65_536, 4, 30);

    Decoded decoded = decode(limited, json.text().getBytes(StandardCharsets.UTF_8));

    assertDocumentedOutcome(limited, decoded, "value");
    if (json.depth() <= 4 && json.tokens() <= 30) {
      assertThat(decoded).as(json.text()).isInstanceOf(Decoded.Json.class);
    } else {
      assertThat(decoded).as(json.text()).isInstanceOf(Decoded.Rejected.class);
      assertThat(((Decoded.Rejected) decoded).reason()).isEqualTo(Rejection.TOO_COMPLEX);
    }
  }

  @Property(tries = 60)
  void deeplyNestedJson_isTooComplex_notAStackOverflow(
      @ForAll @IntRange(min = 1, max = 200_000) int depth, @ForAll Nesting nesting) {
    PayloadDecoder large = new PayloadDecoder(4 << 20);
    String payload = nesting.payload(depth);

    Decoded decoded = decode(large, payload.getBytes(StandardCharsets.UTF_8));

    assertDocumentedOutcome(large, decoded, "a");
    if (depth > 32) {
      assertThat(((Decoded.Rejected) decoded).reason()).isEqualTo(Rejection.TOO_COMPLEX);
    } else if (nesting == Nesting.UNCLOSED) {
      assertThat(((Decoded.Rejected) decoded).reason()).isEqualTo(Rejection.NOT_JSON);
    } else {
      assertThat(decoded).isInstanceOf(Decoded.Json.class);
    }
  }

  @Property(tries = 200)
  void payloadOverTheSizeLimit_isTooLarge(@ForAll @Size(min = 65, max = 1000) byte[] payload) {
    PayloadDecoder small = new PayloadDecoder(64);

    Decoded decoded = decode(small, payload);

    assertThat(((Decoded.Rejected) decoded).reason()).isEqualTo(Rejection.TOO_LARGE);
  }

  @Property(tries = 200)
  void numberPutAtADottedPath_isFoundThere(
      @ForAll("names") List<String> path,
      @ForAll double value,
      @ForAll("json") Json sibling) {
    if (!Double.isFinite(value)) {
      value = 0.5;
    }
    // {"a": {"b": value, "b_": sibling}, "a_": sibling}: the value among other fields.
    Object nested = value;
    for (int i = path.size() - 1; i >= 0; i--) {
      Map<String, Object> level = new LinkedHashMap<>();
      level.put(path.get(i) + "_", new Raw(sibling.text()));
      level.put(path.get(i), nested);
      nested = level;
    }
    byte[] payload = Json.write(nested).getBytes(StandardCharsets.UTF_8);
    PayloadDecoder roomy = new PayloadDecoder(1 << 20, 64, 100_000);

    Decoded decoded = decode(roomy, payload);

    assertThat(decoded).isInstanceOf(Decoded.Json.class);
    assertThat(PayloadDecoder.valueAt(((Decoded.Json) decoded).root(), String.join(".", path)))
        .isEqualTo(new Value.Found(value));
  }

  @Property(tries = 300)
  void bareNumber_isTheValueWhateverThePath(@ForAll double value, @ForAll("paths") String path) {
    if (!Double.isFinite(value)) {
      value = -1.25;
    }
    Decoded decoded = decode(decoder, Double.toString(value).getBytes(StandardCharsets.US_ASCII));

    assertThat(PayloadDecoder.valueAt(((Decoded.Json) decoded).root(), path))
        .isEqualTo(new Value.Found(value));
  }

  @Property(tries = 1000)
  void readFor_readsWhatTheWholeTreeGivesTheRules(
      @ForAll("telemetryPayloads") byte[] payload, @ForAll("rulePaths") List<String> paths) {
    Readings expected = assertReadsAsTheWholeTree(payload, paths);
    Statistics.collect(expected instanceof Decoded.Rejected r ? r.reason() : "read");
  }

  @Property(tries = 300)
  void readFor_aNameGivenAgain_replacesItsEarlierValueWhole(
      @ForAll("laterValues") List<Map.Entry<String, Object>> later,
      @ForAll("rulePaths") List<String> paths) {
    // Every path's first name holds an object with every path's next names; then some come again.
    Map<String, Object> inner = new LinkedHashMap<>();
    for (String name : List.of("a", "b", "value")) {
      inner.put(name, new Raw("{\"a\": 1, \"b\": 2}"));
    }
    List<Map.Entry<String, Object>> fields = new ArrayList<>();
    fields.add(Map.entry("a", inner));
    fields.add(Map.entry("b", inner));
    fields.addAll(later);
    byte[] payload = Json.write(objectWithRepeats(fields)).getBytes(StandardCharsets.UTF_8);

    assertThat(assertReadsAsTheWholeTree(payload, paths)).isInstanceOf(Readings.Read.class);
  }

  /** {@code readFor} gives what the whole tree gives these paths; returns that. */
  private static Readings assertReadsAsTheWholeTree(byte[] payload, List<String> paths) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      rules.add(Rule.of("r" + i, "plant/#", paths.get(i), Comparison.GREATER_THAN, 0));
    }
    PayloadDecoder limited = new PayloadDecoder(4096, 6, 200);

    Decoded whole = decode(limited, payload);
    Readings read =
        assertTimeoutPreemptively(BOUND, () -> limited.readFor(payload, rules), () -> "slow");

    Readings expected =
        whole instanceof Decoded.Json json
            ? PayloadDecoder.readings(json.root(), rules)
            : (Decoded.Rejected) whole;
    assertThat(read).as(new String(payload, StandardCharsets.UTF_8)).isEqualTo(expected);
    return expected;
  }

  // --- generators ----------------------------------------------------------------------------

  /** Paths that share their first names, so that payloads meet several rules at once. */
  @Provide
  Arbitrary<List<String>> rulePaths() {
    return Arbitraries.of("", "value", "a", "a.b", "a.b.a", "b.a", "seq", "ts", "a.value", "é")
        .list()
        .ofMaxSize(4);
  }

  /**
   * JSON objects whose names come from a few (so names repeat, at any depth, and meet the rule
   * paths), with every kind of value, each sometimes edited into invalid JSON.
   */
  @Provide
  Arbitrary<byte[]> telemetryPayloads() {
    Arbitrary<Object> scalar =
        Arbitraries.oneOf(
            scalars(),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.doubles().map(d -> (Object) d),
            Arbitraries.of(
                    "123456789012345678901234567890",
                    "-0",
                    "-0.0",
                    "1e400",
                    "-1e400",
                    "4.9e-325",
                    "1.7976931348623157e308",
                    "9223372036854775808",
                    "0.1e1",
                    "\"2026-11-30T01:02:03.456Z\"",
                    "\"a\\u00e9\\n\\\"b\"")
                .map(raw -> (Object) new Raw(raw)));
    Arbitrary<String> names = Arbitraries.of("value", "seq", "ts", "timestamp", "a", "b");
    Arbitrary<Object> tree =
        trees(
            scalar,
            inner ->
                Arbitraries.entries(names, inner)
                    .list()
                    .ofMaxSize(5)
                    .map(PayloadDecoderPropertyTest::objectWithRepeats),
            5);
    // Mostly objects at the root, where the paths lead, half of them giving names whose first
    // value is an object a second, later value (which replaces the first, subtree and all).
    Arbitrary<List<Map.Entry<String, Object>>> fields =
        Arbitraries.entries(names, tree).list().ofMaxSize(6);
    Arbitrary<Object> objects =
        Arbitraries.entries(names, tree)
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map(PayloadDecoderPropertyTest::objectWithRepeats);
    Arbitrary<Object> repeating =
        Combinators.combine(Arbitraries.entries(names, objects).list().ofMaxSize(4), tree.list())
            .as(
                (first, later) -> {
                  List<Map.Entry<String, Object>> all = new ArrayList<>(first);
                  for (int i = 0; i < Math.min(first.size(), later.size()); i++) {
                    all.add(new AbstractMap.SimpleEntry<>(first.get(i).getKey(), later.get(i)));
                  }
                  return objectWithRepeats(all);
                });
    Arbitrary<Object> root =
        Arbitraries.frequencyOf(
            Tuple.of(3, fields.map(PayloadDecoderPropertyTest::objectWithRepeats)),
            Tuple.of(3, repeating),
            Tuple.of(1, tree));
    Arbitrary<byte[]> valid = root.map(t -> Json.write(t).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.frequencyOf(
        Tuple.of(4, valid), Tuple.of(1, valid.flatMap(bytes -> TextEdits.ofBytes(bytes, 3))));
  }

  /** Fields named as the paths' first names, with values of every kind. */
  @Provide
  Arbitrary<List<Map.Entry<String, Object>>> laterValues() {
    Arbitrary<Object> value =
        Arbitraries.oneOf(
            scalars(),
            Arbitraries.of("{}", "[]", "{\"b\": 3}", "{\"a\": {\"a\": 4}}", "{\"value\": 5}")
                .map(raw -> (Object) new Raw(raw)));
    return Arbitraries.entries(Arbitraries.of("a", "b", "seq", "ts"), value)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3);
  }

  /** An object written with its names in order, repeated names included (maps cannot). */
  private static Object objectWithRepeats(List<Map.Entry<String, Object>> fields) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Object> field : fields) {
      out.append(out.length() == 1 ? "" : ", ");
      out.append(Json.write(field.getKey())).append(": ").append(Json.write(field.getValue()));
    }
    return new Raw(out.append('}').toString());
  }

  /** How a deep payload nests. */
  enum Nesting {
    ARRAYS,
    OBJECTS,
    MIXED,
    UNCLOSED;

    String payload(int depth) {
      return switch (this) {
        case ARRAYS -> "[".repeat(depth) + "1" + "]".repeat(depth);
        case OBJECTS -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        case MIXED -> "[{\"a\":".repeat((depth + 1) / 2) + "1" + "}]".repeat((depth + 1) / 2);
        case UNCLOSED -> "{\"a\":[".repeat((depth + 1) / 2);
      };
    }
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "value", "", "production_line.temperature", ".", "..", "a.", ".a", "seq", "ts", "0",
            "speed.0", "value.value"),
        Arbitraries.strings().ofMaxLength(12));
  }

  @Provide
  Arbitrary<byte[]> mutatedPayloads() {
    return Arbitraries.of(VALID)
        .flatMap(text -> TextEdits.ofBytes(text.getBytes(StandardCharsets.UTF_8), 5));
  }

  @Provide
  Arbitrary<List<String>> names() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("_-é")
        .ofMinLength(1)
        .ofMaxLength(8)
        .list()
        .ofMinSize(1)
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<Json> json() {
    return trees(
            scalars(),
            inner ->
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(4), inner)
                    .ofMaxSize(3)
                    .map(m -> (Object) m),
            6)
        .map(Json::of);
  }

  /** Small numbers, short strings, booleans and null. */
  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-500, 500).map(i -> (Object) i),
        Arbitraries.doubles().between(-1e9, 1e9).map(d -> (Object) d),
        Arbitraries.strings().ofMaxLength(6).map(s -> (Object) s),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just((Object) null).injectNull(1.0));
  }

  /** JSON values nested up to {@code maxDepth}: scalars, lists of up to 3, and {@code objects}. */
  private static Arbitrary<Object> trees(
      Arbitrary<Object> scalar,
      Function<Arbitrary<Object>, Arbitrary<Object>> objects,
      int maxDepth) {
    return Arbitraries.recursive(
        () -> scalar,
        inner ->
            Arbitraries.oneOf(inner.list().ofMaxSize(3).map(l -> (Object) l), objects.apply(inner)),
        0,
        maxDepth);
  }

  /** JSON text kept as written inside a generated tree. */
  private record Raw(String text) {}

  /** A JSON document, its deepest nesting and its tokens counted as Jackson counts them. */
  record Json(String text, int depth, int tokens) {
    static Json of(Object tree) {
      return new Json(write(tree), depth(tree), tokens(tree));
    }

    private static int depth(Object node) {
      if (node instanceof List<?> list) {
        return 1 + list.stream().mapToInt(Json::depth).max().orElse(0);
      }
      if (node instanceof Map<?, ?> map) {
        return 1 + map.values().stream().mapToInt(Json::depth).max().orElse(0);
      }
      return 0;
    }

    private static int tokens(Object node) {
      if (node instanceof List<?> list) {
        return 2 + list.stream().mapToInt(Json::tokens).sum(); // start and end
      }
      if (node instanceof Map<?, ?> map) {
        return 2 + map.values().stream().mapToInt(v -> 1 + tokens(v)).sum(); // + field names
      }
      return 1;
    }

    static String write(Object node) {
      StringBuilder out = new StringBuilder();
      write(node, out);
      return out.toString();
    }

    private static void write(Object node, StringBuilder out) {
      if (node == null) {
        out.append("null");
      } else if (node instanceof Raw raw) {
        out.append(raw.text());
      } else if (node instanceof String s) {
        out.append('"');
        s.chars()
            .forEach(
                c -> {
                  if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate((char) c)) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", c));
                  } else {
                    out.append((char) c);
                  }
                });
        out.append('"');
      } else if (node instanceof List<?> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          out.append(i == 0 ? "" : ",");
          write(list.get(i), out);
        }
        out.append(']');
      } else if (node instanceof Map<?, ?> map) {
        out.append('{');
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        for (int i = 0; i < entries.size(); i++) {
          out.append(i == 0 ? "" : ",");
          write(String.valueOf(entries.get(i).getKey()), out);
          out.append(':');
          write(entries.get(i).getValue(), out);
        }
        out.append('}');
      } else {
        out.append(node);
      }
    }
  }
}
