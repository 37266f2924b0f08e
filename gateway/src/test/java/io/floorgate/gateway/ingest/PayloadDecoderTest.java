package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.floorgate.gateway.ingest.PayloadDecoder.Decoded;
import io.floorgate.gateway.ingest.PayloadDecoder.Readings;
import io.floorgate.gateway.ingest.PayloadDecoder.Value;
import io.floorgate.rules.Comparison;
import io.floorgate.rules.Rule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Telemetry payloads as DESIGN §4 defines them, and everything else rejected, never thrown. */
class PayloadDecoderTest {
  private static final int MAX = 65_536;
  private final PayloadDecoder decoder = new PayloadDecoder(MAX);

  // --- values -------------------------------------------------------------------------------

  @Test
  void bareNumber_isTheValueWhateverThePath() {
    for (String path : List.of("value", "", "production_line.temperature", "x.y.z", ".")) {
      assertThat(valueAt("26.5", path)).as(path).isEqualTo(new Value.Found(26.5));
      assertThat(valueAt("-3", path)).as(path).isEqualTo(new Value.Found(-3));
      assertThat(valueAt(" 26.5 \n", path)).as(path).isEqualTo(new Value.Found(26.5));
    }
    assertThat(valueAt("0", "value")).isEqualTo(new Value.Found(0));
    assertThat(valueAt("1.5e3", "value")).isEqualTo(new Value.Found(1500));
    assertThat(valueAt("1e-999", "value")).isEqualTo(new Value.Found(0));
  }

  @Test
  void jsonObject_valueAtTheDefaultPath() {
    assertThat(valueAt("{\"value\": 26.5, \"ts\": \"2026-01-01T00:00:00Z\", \"seq\": 17}", "value"))
        .isEqualTo(new Value.Found(26.5));
    assertThat(valueAt("{\"value\": -40}", "value")).isEqualTo(new Value.Found(-40));
  }

  @Test
  void twinState_valueAtADottedPath() {
    String state =
        "{\"system_status\": \"running\", \"timestamp\": \"2025-02-24T14:30:22\","
            + " \"production_line\": {\"temperature\": 26.5, \"line\": {\"speed\": 3}}}";

    assertThat(valueAt(state, "production_line.temperature")).isEqualTo(new Value.Found(26.5));
    assertThat(valueAt(state, "production_line.line.speed")).isEqualTo(new Value.Found(3));
    assertThat(valueAt(state, "production_line.pressure"))
        .isEqualTo(
            new Value.Missing(Rejection.MISSING_VALUE, "no value at 'production_line.pressure'"));
    assertThat(valueAt(state, "production_line.temperature.x"))
        .isEqualTo(
            new Value.Missing(
                Rejection.MISSING_VALUE, "no value at 'production_line.temperature.x'"));
    assertThat(valueAt(state, "system_status.x"))
        .isEqualTo(new Value.Missing(Rejection.MISSING_VALUE, "no value at 'system_status.x'"));
  }

  @Test
  void dottedPath_isNotALiteralKeyWithADot() {
    assertThat(valueAt("{\"a.b\": 1}", "a.b"))
        .isEqualTo(new Value.Missing(Rejection.MISSING_VALUE, "no value at 'a.b'"));
  }

  @Test
  void emptyPathOnAnObject_isNotANumber() {
    assertThat(valueAt("{\"value\": 26.5}", ""))
        .isEqualTo(new Value.Missing(Rejection.NOT_A_NUMBER, "value at '(payload)' is an object"));
  }

  @Test
  void missingPath_isMissingValue() {
    assertThat(valueAt("{\"value\": 26.5}", "temperature"))
        .isEqualTo(new Value.Missing(Rejection.MISSING_VALUE, "no value at 'temperature'"));
    assertThat(valueAt("{}", "value"))
        .isEqualTo(new Value.Missing(Rejection.MISSING_VALUE, "no value at 'value'"));
  }

  @Test
  void stringValue_isNotANumber() {
    assertThat(valueAt("{\"value\": \"26.5\"}", "value"))
        .isEqualTo(
            new Value.Missing(Rejection.NOT_A_NUMBER, "value at 'value' is a string \"26.5\""));
  }

  @Test
  void booleanValue_isNotANumber() {
    assertThat(valueAt("{\"value\": true}", "value"))
        .isEqualTo(new Value.Missing(Rejection.NOT_A_NUMBER, "value at 'value' is a boolean true"));
  }

  @Test
  void nullValue_isMissingValue() {
    assertThat(valueAt("{\"value\": null}", "value"))
        .isEqualTo(new Value.Missing(Rejection.MISSING_VALUE, "no value at 'value'"));
  }

  @Test
  void arrays_areNotNumbers() {
    assertThat(valueAt("{\"value\": [26.5]}", "value"))
        .isEqualTo(new Value.Missing(Rejection.NOT_A_NUMBER, "value at 'value' is an array"));
    assertThat(valueAt("[26.5]", ""))
        .isEqualTo(new Value.Missing(Rejection.NOT_A_NUMBER, "value at '(payload)' is an array"));
    assertThat(valueAt("[26.5]", "value"))
        .isEqualTo(new Value.Missing(Rejection.MISSING_VALUE, "no value at 'value'"));
  }

  @Test
  void nestedObjectAsValue_isNotANumber() {
    assertThat(valueAt("{\"value\": {\"v\": 1}}", "value"))
        .isEqualTo(new Value.Missing(Rejection.NOT_A_NUMBER, "value at 'value' is an object"));
  }

  @Test
  void longStringValue_isTruncatedInTheDetail() {
    String detail =
        ((Value.Missing) valueAt("{\"value\": \"" + "x".repeat(500) + "\"}", "value")).detail();

    assertThat(detail).startsWith("value at 'value' is a string \"xxx").endsWith("...");
    assertThat(detail.length()).isLessThan(100);
  }

  // --- rejections ---------------------------------------------------------------------------

  @Test
  void emptyPayload_isEmpty() {
    assertThat(rejected(new byte[0])).isEqualTo(Rejection.EMPTY);
  }

  @Test
  void whitespaceOnly_isEmpty() {
    assertThat(rejected(" ")).isEqualTo(Rejection.EMPTY);
    assertThat(rejected(" \n\t\r ")).isEqualTo(Rejection.EMPTY);
  }

  @Test
  void whitespaceOnly_readForGivesDecodesReasonAndDetail() {
    Decoded.Rejected expected =
        new Decoded.Rejected(Rejection.EMPTY, "payload holds only whitespace");

    assertThat(decoder.decode(bytes(" \n\t\r "))).isEqualTo(expected);
    assertThat(decoder.readFor(bytes(" \n\t\r "), rules("value"))).isEqualTo(expected);
  }

  @Test
  void payloadLargerThanTheLimit_isTooLarge() {
    PayloadDecoder small = new PayloadDecoder(4);

    assertThat(small.decode(bytes("1234"))).isInstanceOf(Decoded.Json.class);
    assertThat(small.decode(bytes("12345")))
        .isEqualTo(new Decoded.Rejected(Rejection.TOO_LARGE, "payload of 5 bytes exceeds 4"));
    assertThat(rejected(new byte[MAX + 1])).isEqualTo(Rejection.TOO_LARGE);
  }

  @Test
  void nonNumbersAndBrokenJson_areNotJson() {
    for (String payload :
        List.of(
            "NaN",
            "{\"value\": NaN}",
            "Infinity",
            "-Infinity",
            "{\"value\": Infinity}",
            "abc",
            "26,5",
            "+1",
            ".5",
            "01",
            "{\"value\": 1} trailing",
            "{\"value\": 1}{\"value\": 2}",
            "26.5 27",
            "{\"value\": 1,}",
            "{'value': 1}",
            "{\"value\": 1",
            "{\"value\"}",
            "[1, 2",
            "\"unterminated")) {
      Decoded decoded = decoder.decode(bytes(payload));

      assertThat(decoded).as(payload).isInstanceOf(Decoded.Rejected.class);
      Decoded.Rejected rejected = (Decoded.Rejected) decoded;
      assertThat(rejected.reason()).as(payload).isEqualTo(Rejection.NOT_JSON);
      assertThat(rejected.detail()).as(payload).startsWith("not a number or JSON: ");
    }
  }

  @Test
  void nestingDeeperThan32_isTooComplex() {
    assertThat(decoder.decode(bytes("[".repeat(32) + "]".repeat(32))))
        .isInstanceOf(Decoded.Json.class);
    assertThat(rejected("[".repeat(33) + "]".repeat(33))).isEqualTo(Rejection.TOO_COMPLEX);
    assertThat(rejected("{\"a\":".repeat(33) + "1" + "}".repeat(33)))
        .isEqualTo(Rejection.TOO_COMPLEX);
    // Unclosed and far deeper than any stack should be asked to go.
    assertThat(rejected("[".repeat(MAX))).isEqualTo(Rejection.TOO_COMPLEX);
    assertThat(rejected("{\"a\":".repeat(MAX / 5))).isEqualTo(Rejection.TOO_COMPLEX);
  }

  @Test
  void configuredDepthAndTokenLimits_areEnforced_andNamedInTheDetail() {
    PayloadDecoder strict = new PayloadDecoder(MAX, 2, 7);

    assertThat(strict.decode(bytes("{\"a\": {\"b\": 1}}"))).isInstanceOf(Decoded.Json.class);
    Decoded deep = strict.decode(bytes("{\"a\": {\"b\": [1]}}"));
    assertThat(deep).isInstanceOf(Decoded.Rejected.class);
    assertThat(((Decoded.Rejected) deep).reason()).isEqualTo(Rejection.TOO_COMPLEX);
    assertThat(((Decoded.Rejected) deep).detail()).contains("deeper than 2 levels", "7 tokens");
    // {"a":1,"b":2,"c":3} is 8 tokens: { a 1 b 2 c 3 }
    Decoded wide = strict.decode(bytes("{\"a\": 1, \"b\": 2, \"c\": 3}"));
    assertThat(((Decoded.Rejected) wide).reason()).isEqualTo(Rejection.TOO_COMPLEX);
  }

  @Test
  void nonPositiveLimits_areRefusedNamingThem() {
    assertThatThrownBy(() -> new PayloadDecoder(10, 0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDepth=0");
  }

  @Test
  void overlongNumber_isNotJson() {
    assertThat(rejected("1".repeat(101))).isEqualTo(Rejection.NOT_JSON);
  }

  @Test
  void numberOutOfRange_isNotANumber() {
    for (String payload : List.of("1e999", "-1e999", "{\"value\": 1e999}")) {
      Value value = valueAt(payload, "value");

      assertThat(value).as(payload).isInstanceOf(Value.Missing.class);
      assertThat(((Value.Missing) value).reason()).as(payload).isEqualTo(Rejection.NOT_A_NUMBER);
      assertThat(((Value.Missing) value).detail()).as(payload).contains("out of range");
    }
  }

  @Test
  void numberOutOfRange_atTheEmptyPath_namesThePayload() {
    assertThat(valueAt("1e999", ""))
        .isEqualTo(
            new Value.Missing(Rejection.NOT_A_NUMBER, "value at '(payload)' is out of range"));
  }

  @Test
  void invalidUtf8_isARejection_notAnException() {
    byte[][] payloads = {
      {(byte) 0xff},
      {(byte) 0xc3, 0x28},
      {'{', '"', 'v', '"', ':', '"', (byte) 0xc3, 0x28, '"', '}'},
      {'{', '"', (byte) 0xfe, '"', ':', '1', '}'},
      {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'},
      {'"', (byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"'},
      {'"', (byte) 0xe2, (byte) 0x82, '"'},
      {'"', (byte) 0xc0, (byte) 0x80, '"'},
      {'"', (byte) 0xe0, (byte) 0x80, (byte) 0x80, '"'},
      {'"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'},
    };
    for (byte[] payload : payloads) {
      Decoded decoded = decoder.decode(payload);

      assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
      assertThat(((Decoded.Rejected) decoded).reason()).isEqualTo(Rejection.NOT_JSON);
    }
  }

  // --- seq and timestamp --------------------------------------------------------------------

  @Test
  void seq_isIntegralOnly() {
    assertThat(PayloadDecoder.seq(json("{\"seq\": 17}"))).isEqualTo(17L);
    assertThat(PayloadDecoder.seq(json("{\"seq\": -4}"))).isEqualTo(-4L);
    assertThat(PayloadDecoder.seq(json("{\"seq\": 9223372036854775807}")))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(PayloadDecoder.seq(json("{\"seq\": 1.5}"))).isNull();
    assertThat(PayloadDecoder.seq(json("{\"seq\": 17.0}"))).isNull();
    assertThat(PayloadDecoder.seq(json("{\"seq\": \"17\"}"))).isNull();
    assertThat(PayloadDecoder.seq(json("{\"seq\": true}"))).isNull();
    assertThat(PayloadDecoder.seq(json("{\"seq\": null}"))).isNull();
    assertThat(PayloadDecoder.seq(json("{\"seq\": [17]}"))).isNull();
    assertThat(PayloadDecoder.seq(json("{\"seq\": 123456789012345678901234567890}"))).isNull();
    assertThat(PayloadDecoder.seq(json("{\"value\": 1}"))).isNull();
    assertThat(PayloadDecoder.seq(json("17"))).isNull();
    assertThat(PayloadDecoder.seq(json("[17]"))).isNull();
  }

  @Test
  void timestamp_prefersTimestampOverTs() {
    assertThat(PayloadDecoder.timestamp(json("{\"timestamp\": \"T1\", \"ts\": \"T2\"}")))
        .isEqualTo("T1");
    assertThat(PayloadDecoder.timestamp(json("{\"ts\": \"T2\", \"timestamp\": \"T1\"}")))
        .isEqualTo("T1");
    assertThat(PayloadDecoder.timestamp(json("{\"ts\": \"2026-01-01T00:00:00Z\"}")))
        .isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void timestamp_unusableTimestampFallsBackToTs() {
    assertThat(PayloadDecoder.timestamp(json("{\"timestamp\": null, \"ts\": \"T2\"}")))
        .isEqualTo("T2");
    assertThat(PayloadDecoder.timestamp(json("{\"timestamp\": {\"a\": 1}, \"ts\": \"T2\"}")))
        .isEqualTo("T2");
    assertThat(PayloadDecoder.timestamp(json("{\"timestamp\": [1], \"ts\": null}"))).isNull();
  }

  @Test
  void timestamp_numbersAreKeptAsText() {
    assertThat(PayloadDecoder.timestamp(json("{\"ts\": 1700000000}"))).isEqualTo("1700000000");
    assertThat(PayloadDecoder.timestamp(json("{\"timestamp\": 1.5}"))).isEqualTo("1.5");
  }

  @Test
  void timestamp_absent() {
    assertThat(PayloadDecoder.timestamp(json("{\"value\": 1}"))).isNull();
    assertThat(PayloadDecoder.timestamp(json("26.5"))).isNull();
    assertThat(PayloadDecoder.timestamp(json("[\"ts\"]"))).isNull();
  }

  // --- robustness ---------------------------------------------------------------------------

  /**
   * Property, over seeded random JSON documents: a document within the depth and token limits
   * decodes; one beyond either is too_complex; nothing else happens, nothing throws.
   */
  @Test
  void arbitraryJson_decodesExactlyWhenWithinTheLimits() {
    Random random = new Random(77);
    PayloadDecoder limited = new PayloadDecoder(MAX, 6, 60);
    int within = 0;
    int beyond = 0;
    for (int i = 0; i < 5_000; i++) {
      int[] tokens = {0};
      int[] depth = {0};
      String json = randomJson(random, 0, depth, tokens);
      Decoded decoded = limited.decode(bytes(json));
      if (depth[0] <= 6 && tokens[0] <= 60) {
        within++;
        assertThat(decoded).as(json).isInstanceOf(Decoded.Json.class);
      } else {
        beyond++;
        assertThat(decoded).as(json).isInstanceOf(Decoded.Rejected.class);
        assertThat(((Decoded.Rejected) decoded).reason()).as(json).isEqualTo(Rejection.TOO_COMPLEX);
      }
    }
    // The generator must exercise both sides of the limits (5,000 documents: about 4,700 and 300).
    assertThat(within).isGreaterThan(1_000);
    assertThat(beyond).isGreaterThan(200);
  }

  /** A random JSON value; counts its tokens (as Jackson does) and its deepest nesting. */
  private static String randomJson(Random random, int level, int[] depth, int[] tokens) {
    int pick = random.nextInt(level >= 9 ? 4 : 7);
    if (pick >= 4) {
      boolean object = pick != 4;
      depth[0] = Math.max(depth[0], level + 1);
      tokens[0] += 2; // start and end
      StringBuilder out = new StringBuilder(object ? "{" : "[");
      int n = random.nextInt(5);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(',');
        }
        if (object) {
          tokens[0]++; // the field name
          out.append("\"k").append(i).append("\":");
        }
        out.append(randomJson(random, level + 1, depth, tokens));
      }
      return out.append(object ? "}" : "]").toString();
    }
    tokens[0]++;
    return switch (pick) {
      case 0 -> Integer.toString(random.nextInt(1000) - 500);
      case 1 -> Double.toString(random.nextDouble() * 100);
      case 2 -> "\"s" + random.nextInt(100) + "\"";
      default -> random.nextBoolean() ? "true" : "null";
    };
  }

  /**
   * Random bytes and mutations of valid payloads: decode, valueAt, seq and timestamp always give
   * an answer and never throw. A fixed seed keeps failures reproducible.
   */
  @Test
  void randomAndMutatedPayloads_neverThrow() {
    Random random = new Random(20_261_129L);
    PayloadDecoder small = new PayloadDecoder(256);
    List<String> valid =
        List.of(
            "26.5",
            "-3",
            "{\"value\": 26.5, \"ts\": \"2026-01-01T00:00:00Z\", \"seq\": 17}",
            "{\"system_status\": \"running\", \"timestamp\": \"2025-02-24T14:30:22\","
                + " \"production_line\": {\"temperature\": 26.5,"
                + " \"speed\": [1, 2, {\"x\": null}]}}",
            "{\"event_id\": \"e-1\", \"user_id\": \"op-7\"}",
            "[1, 2.5e10, true, false, null, \"s\\u00e9\\n\"]");
    List<String> paths =
        List.of("value", "", "production_line.temperature", ".", "..", "a.", ".a", "seq", "ts");
    byte[] specials = {
      '{', '}', '[', ']', '"', ':', ',', '.', '-', '+', 'e', 'E', '0', '9', '\\', ' ', 'N', 'I',
      (byte) 0x00, (byte) 0x80, (byte) 0xc3, (byte) 0xe2, (byte) 0xed, (byte) 0xf0, (byte) 0xff,
      (byte) 0xfe, (byte) 0xef, (byte) 0xbb, (byte) 0xbf
    };
    int json = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] payload;
      if (i % 2 == 0) {
        payload = new byte[random.nextInt(64)];
        random.nextBytes(payload);
      } else {
        payload = valid.get(random.nextInt(valid.size())).getBytes(StandardCharsets.UTF_8);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && payload.length > 0; m++) {
          payload = mutate(payload, random, specials);
        }
      }
      String path = paths.get(random.nextInt(paths.size()));
      byte[] input = payload;
      PayloadDecoder target = i % 10 == 0 ? small : decoder;

      Decoded[] decoded = new Decoded[1];
      assertThatCode(() -> decoded[0] = target.decode(input))
          .as("payload #%d", i)
          .doesNotThrowAnyException();
      assertThat(decoded[0]).as("payload #%d", i).isNotNull();
      if (decoded[0] instanceof Decoded.Json ok) {
        json++;
        JsonNode root = ok.root();
        assertThatCode(
                () -> {
                  assertThat(PayloadDecoder.valueAt(root, path)).isNotNull();
                  PayloadDecoder.seq(root);
                  PayloadDecoder.timestamp(root);
                  target.toJava(root);
                })
            .as("payload #%d at '%s'", i, path)
            .doesNotThrowAnyException();
      } else {
        Decoded.Rejected rejected = (Decoded.Rejected) decoded[0];
        assertThat(rejected.reason()).isNotNull();
        assertThat(rejected.detail()).isNotBlank();
      }
    }
    // The mutations leave enough payloads readable that valueAt was exercised too.
    assertThat(json).isGreaterThan(500);
  }

  private static byte[] mutate(byte[] payload, Random random, byte[] specials) {
    int at = random.nextInt(payload.length);
    byte b =
        random.nextBoolean() ? specials[random.nextInt(specials.length)] : (byte) random.nextInt();
    switch (random.nextInt(5)) {
      case 0 -> {
        byte[] copy = payload.clone();
        copy[at] = b;
        return copy;
      }
      case 1 -> {
        byte[] copy = new byte[payload.length + 1];
        System.arraycopy(payload, 0, copy, 0, at);
        copy[at] = b;
        System.arraycopy(payload, at, copy, at + 1, payload.length - at);
        return copy;
      }
      case 2 -> {
        byte[] copy = new byte[payload.length - 1];
        System.arraycopy(payload, 0, copy, 0, at);
        System.arraycopy(payload, at + 1, copy, at, payload.length - at - 1);
        return copy;
      }
      case 3 -> {
        byte[] copy = new byte[at];
        System.arraycopy(payload, 0, copy, 0, at);
        return copy;
      }
      default -> {
        if (payload.length > 8_192) {
          return Arrays.copyOf(payload, at);
        }
        // Repeat a slice: nests brackets, duplicates keys, lengthens numbers.
        int end = at + random.nextInt(payload.length - at) + 1;
        int times = 1 + random.nextInt(40);
        byte[] copy = new byte[payload.length + (end - at) * times];
        System.arraycopy(payload, 0, copy, 0, end);
        for (int t = 0; t < times; t++) {
          System.arraycopy(payload, at, copy, end + t * (end - at), end - at);
        }
        System.arraycopy(payload, end, copy, end + times * (end - at), payload.length - end);
        return copy;
      }
    }
  }

  // --- only what the rules read (readFor) ---------------------------------------------------

  @Test
  void readFor_givesEachRuleItsValue_andTheSeqAndTimestamp() {
    String payload =
        "{\"value\": 26.5, \"extra\": {\"deep\": [1, {\"x\": 2}]},"
            + " \"ts\": \"2026-01-01T00:00:00Z\","
            + " \"line\": {\"speed\": 3, \"mode\": \"auto\"}, \"seq\": 17}";

    assertThat(readFor(payload, "value", "line.speed", "line.mode", "line.pressure", ""))
        .isEqualTo(
            new Readings.Read(
                List.of(
                    new Value.Found(26.5),
                    new Value.Found(3),
                    new Value.Missing(
                        Rejection.NOT_A_NUMBER, "value at 'line.mode' is a string \"auto\""),
                    new Value.Missing(Rejection.MISSING_VALUE, "no value at 'line.pressure'"),
                    new Value.Missing(Rejection.NOT_A_NUMBER, "value at '(payload)' is an object")),
                17L,
                "2026-01-01T00:00:00Z"));
    assertThat(readFor("{\"ts\": 1, \"timestamp\": 2.5}", "value").timestamp()).isEqualTo("2.5");
    assertThat(readFor("{\"ts\": 1, \"timestamp\": null}", "value").timestamp()).isEqualTo("1");
    assertThat(readFor("{\"seq\": 1.5}", "value").seq()).isNull();
  }

  @Test
  void readFor_bareNumber_isEveryRulesValue() {
    assertThat(readFor("26.5", "value", "a.b", "").values())
        .containsExactly(new Value.Found(26.5), new Value.Found(26.5), new Value.Found(26.5));
  }

  @Test
  void readFor_aRepeatedNameReplacesTheEarlierValue_asTheWholeTreeDoes() {
    for (String payload :
        List.of(
            "{\"a\": {\"b\": 1}, \"a\": 2}",
            "{\"a\": 2, \"a\": {\"b\": 3}}",
            "{\"a\": {\"b\": 1}, \"a\": {\"c\": 2}}",
            "{\"a\": {\"b\": 1, \"b\": \"x\"}}",
            "{\"seq\": 1, \"seq\": {\"b\": 1}, \"a\": {\"b\": 1}}")) {
      assertThat(readFor(payload, "a.b"))
          .as(payload)
          .isEqualTo(PayloadDecoder.readings(json(payload), rules("a.b")));
    }
    assertThat(readFor("{\"a\": 2, \"a\": {\"b\": 3}}", "a.b").values())
        .containsExactly(new Value.Found(3));
    assertThat(readFor("{\"a\": {\"b\": 1}, \"a\": 2}", "a.b").values())
        .containsExactly(new Value.Missing(Rejection.MISSING_VALUE, "no value at 'a.b'"));
  }

  @Test
  void readFor_checksTheFieldsNoRuleReads() {
    for (String payload :
        List.of(
            "{\"value\": 1, \"junk\": [1, 2,}",
            "{\"value\": 1, \"junk\": \"unterminated}",
            "{\"value\": 1, \"junk\": 01}",
            "{\"value\": 1} {}",
            "{\"value\": 1, \"deep\": " + "[".repeat(40) + "]".repeat(40) + "}",
            "{\"value\": 1, \"long\": " + "9".repeat(200) + "}")) {
      Decoded whole = decoder.decode(bytes(payload));

      assertThat(whole).as(payload).isInstanceOf(Decoded.Rejected.class);
      assertThat(decoder.readFor(bytes(payload), rules("value"))).as(payload).isEqualTo(whole);
    }
  }

  @Test
  void readFor_moreThan64Rules_stillGivesEachItsValue() {
    String[] paths = new String[65];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = "p" + i;
    }
    Readings.Read read = readFor("{\"p0\": 1, \"p64\": 2, \"seq\": 3}", paths);

    assertThat(read.values().get(0)).isEqualTo(new Value.Found(1));
    assertThat(read.values().get(64)).isEqualTo(new Value.Found(2));
    assertThat(read.seq()).isEqualTo(3L);
  }

  // --- helpers ------------------------------------------------------------------------------

  private static List<Rule> rules(String... paths) {
    List<Rule> rules = new ArrayList<>();
    for (String path : paths) {
      rules.add(Rule.of("r" + rules.size(), "plant/#", path, Comparison.GREATER_THAN, 0));
    }
    return rules;
  }

  private Readings.Read readFor(String payload, String... paths) {
    Readings readings = decoder.readFor(bytes(payload), rules(paths));
    assertThat(readings).as(payload).isInstanceOf(Readings.Read.class);
    return (Readings.Read) readings;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private JsonNode json(String payload) {
    Decoded decoded = decoder.decode(bytes(payload));
    assertThat(decoded).as(payload).isInstanceOf(Decoded.Json.class);
    return ((Decoded.Json) decoded).root();
  }

  private Value valueAt(String payload, String path) {
    return PayloadDecoder.valueAt(json(payload), path);
  }

  private Rejection rejected(String payload) {
    return rejected(bytes(payload));
  }

  private Rejection rejected(byte[] payload) {
    Decoded decoded = decoder.decode(payload);
    assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
    return ((Decoded.Rejected) decoded).reason();
  }
}
