package io.floorgate.gateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.floorgate.rules.Rule;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads telemetry payloads in the forms of DESIGN §4: a bare number ({@code 26.5}), a JSON object
 * with the value at a rule's dotted path ({@code {"value": 26.5, "seq": 17}}), or digital-twin
 * state ({@code {"system_status": ..., "production_line": {"temperature": 26.5}}}).
 *
 * <p>Never throws for bad input: every failure is a {@link Rejection}. Nesting depth, the number of
 * tokens and string length are bounded so that no payload can exhaust the stack, the heap or the
 * ingest thread's time. Thread-safe.
 */
public final class PayloadDecoder {
  /** Both decodes' answer to a payload of whitespace only: the same reason and detail. */
  private static final Decoded.Rejected ONLY_WHITESPACE =
      new Decoded.Rejected(Rejection.EMPTY, "payload holds only whitespace");

  private final ObjectMapper mapper;
  private final int maxPayloadBytes;
  private final int maxDepth;
  private final long maxTokens;

  public PayloadDecoder(int maxPayloadBytes) {
    this(
        maxPayloadBytes,
        io.floorgate.gateway.config.IngestConfig.DEFAULT_MAX_JSON_DEPTH,
        io.floorgate.gateway.config.IngestConfig.DEFAULT_MAX_JSON_TOKENS);
  }

  /**
   * @param maxPayloadBytes larger payloads are {@link Rejection#TOO_LARGE}
   * @param maxDepth deeper nesting is {@link Rejection#TOO_COMPLEX}
   * @param maxTokens more tokens (field names, values, brackets) is {@link Rejection#TOO_COMPLEX}
   */
  public PayloadDecoder(int maxPayloadBytes, int maxDepth, long maxTokens) {
    if (maxPayloadBytes < 1 || maxDepth < 1 || maxTokens < 1) {
      throw new IllegalArgumentException(
          "limits must be >= 1, but were maxPayloadBytes="
              + maxPayloadBytes
              + ", maxDepth="
              + maxDepth
              + ", maxTokens="
              + maxTokens);
    }
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxDepth = maxDepth;
    this.maxTokens = maxTokens;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxDepth)
                    .maxTokenCount(maxTokens)
                    .maxNumberLength(100)
                    .maxStringLength(Math.max(1024, maxPayloadBytes))
                    .build())
            // Correctly rounded like Double.parseDouble, without the buffers that allocates for
            // every number: ~110 of the ~1,170 bytes a telemetry payload's tree cost.
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /** A decoded payload: a JSON tree (a bare number is a numeric root), or why not. */
  public sealed interface Decoded permits Decoded.Json, Decoded.Rejected {
    /** A readable payload. */
    record Json(JsonNode root) implements Decoded {}

    /** An unreadable payload. */
    record Rejected(Rejection reason, String detail) implements Decoded, Readings {}
  }

  /** What a payload gives the rules it is read for ({@link #readFor}), or why not. */
  public sealed interface Readings permits Readings.Read, Decoded.Rejected {
    /**
     * @param values the value at each rule's path, in the rules' order
     * @param seq the payload's integral {@code seq}, if it has one
     * @param timestamp the payload's own timestamp ({@code timestamp}, else {@code ts}), if any
     */
    record Read(List<Value> values, @Nullable Long seq, @Nullable String timestamp)
        implements Readings {}
  }

  /** A value found at a path, or why not. */
  public sealed interface Value permits Value.Found, Value.Missing {
    /** A finite number. */
    record Found(double value) implements Value {}

    /** No usable number there. */
    record Missing(Rejection reason, String detail) implements Value {}
  }

  /** The whole payload as a JSON tree, or why not. */
  public Decoded decode(byte[] payload) {
    Decoded.Rejected unread = checkSize(payload);
    if (unread != null) {
      return unread;
    }
    try {
      JsonNode root = mapper.readTree(payload);
      if (root == null || root.isMissingNode()) {
        return ONLY_WHITESPACE;
      }
      return new Decoded.Json(root);
    } catch (IOException | RuntimeException e) {
      return rejected(e);
    }
  }

  /**
   * What a telemetry payload gives the rules it is read for: the value at each rule's path, its
   * {@code seq} and its own timestamp, exactly what {@link #readings} finds in {@link #decode}'s
   * tree, and the same rejections. The payload is tokenized and checked whole (syntax, limits,
   * trailing tokens) but only those fields become values: no tree is built for the rest.
   */
  public Readings readFor(byte[] payload, List<Rule> rules) {
    if (rules.size() > Long.SIZE) {
      // More paths than one walk's bit mask follows; rare, and the answers are the same.
      Decoded decoded = decode(payload);
      return decoded instanceof Decoded.Json json
          ? readings(json.root(), rules)
          : (Decoded.Rejected) decoded;
    }
    Decoded.Rejected unread = checkSize(payload);
    if (unread != null) {
      return unread;
    }
    try (JsonParser parser = mapper.getFactory().createParser(payload)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return ONLY_WHITESPACE;
      }
      Readings readings;
      if (token == JsonToken.START_OBJECT) {
        Walk walk = new Walk(rules);
        walk.object(parser, walk.paths, 0, true);
        readings = walk.readings();
      } else {
        readings = readings(readKept(parser, token), rules); // a bare value: no paths to follow
      }
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        return new Decoded.Rejected(
            Rejection.NOT_JSON,
            // Worded as databind words it for decode, so both give a device the same detail.
            "not a number or JSON: "
                + truncate("Trailing token (of type " + trailing + ") found after value"));
      }
      return readings;
    } catch (IOException | RuntimeException e) {
      return rejected(e);
    }
  }

  /**
   * What a whole tree gives these rules: {@link #valueAt} their paths, {@link #seq} and {@link
   * #timestamp}.
   */
  public static Readings.Read readings(JsonNode root, List<Rule> rules) {
    Value[] values = new Value[rules.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = valueAt(root, rules.get(i).path());
    }
    return new Readings.Read(Arrays.asList(values), seq(root), timestamp(root));
  }

  /**
   * One {@link #readFor} of an object payload: follows the rules' paths down the objects as the
   * parser meets their names, and keeps the root's {@code seq}, {@code timestamp} and {@code ts}.
   * A rule is a bit in a mask while its path runs through the object being read.
   */
  private static final class Walk {
    private static final JsonNode AN_OBJECT = JsonNodeFactory.instance.objectNode();

    private final List<Rule> rules;
    /** Each rule's value; null while nothing is at its path. */
    private final @Nullable Value[] values;
    /** The rules whose paths name fields, a bit each; the others are the payload, an object. */
    final long paths;

    private @Nullable Long seq;
    private @Nullable String timestamp;
    private @Nullable String ts;

    Walk(List<Rule> rules) {
      this.rules = rules;
      this.values = new Value[rules.size()];
      long named = 0;
      for (int i = 0; i < values.length; i++) {
        if (rules.get(i).path().isEmpty()) {
          values[i] = numberAt(AN_OBJECT, "");
        } else {
          named |= 1L << i;
        }
      }
      this.paths = named;
    }

    /**
     * Reads the object whose START_OBJECT the parser is on; {@code alive} are the rules whose
     * paths run through it, {@code offset} how far into those paths its field names are.
     */
    void object(JsonParser parser, long alive, int offset, boolean root) throws IOException {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        long ends = 0;
        long through = 0;
        for (long rest = alive; rest != 0; rest &= rest - 1) {
          int i = Long.numberOfTrailingZeros(rest);
          String path = rules.get(i).path();
          if (path.startsWith(name, offset)) {
            int after = offset + name.length();
            if (after == path.length()) {
              ends |= 1L << i;
            } else if (path.charAt(after) == '.') {
              through |= 1L << i;
            }
          }
        }
        boolean own = root && ("seq".equals(name) || "timestamp".equals(name) || "ts".equals(name));
        JsonToken token = parser.nextToken();
        if ((ends | through) == 0 && !own) {
          parser.skipChildren(); // still tokenized: syntax, depth and token count are checked
          continue;
        }
        // A repeated name replaces the earlier value, all of it, as in the whole tree.
        for (long rest = ends | through; rest != 0; rest &= rest - 1) {
          values[Long.numberOfTrailingZeros(rest)] = null;
        }
        JsonNode node = AN_OBJECT;
        if (token == JsonToken.START_OBJECT && through != 0) {
          object(parser, through, offset + name.length() + 1, false);
        } else {
          node = readKept(parser, token);
        }
        for (long rest = ends; rest != 0; rest &= rest - 1) {
          int i = Long.numberOfTrailingZeros(rest);
          values[i] = fieldValue(node, rules.get(i).path());
        }
        if (own) {
          switch (name) {
            case "seq" -> seq = seqOf(node);
            case "timestamp" -> timestamp = textOf(node);
            default -> ts = textOf(node);
          }
        }
      }
    }

    Readings.Read readings() {
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          values[i] = fieldValue(null, rules.get(i).path());
        }
      }
      return new Readings.Read(
          Arrays.asList((Value[]) values), seq, timestamp != null ? timestamp : ts);
    }
  }

  /**
   * The value the parser is on, as {@link #decode}'s tree has it; an object or array is read and
   * checked but kept empty (only its type is ever reported).
   */
  private static JsonNode readKept(JsonParser parser, JsonToken token) throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    return switch (token) {
      case START_OBJECT -> {
        parser.skipChildren();
        yield nodes.objectNode();
      }
      case START_ARRAY -> {
        parser.skipChildren();
        yield nodes.arrayNode();
      }
      case VALUE_STRING -> nodes.textNode(parser.getText());
      case VALUE_NUMBER_INT ->
          switch (parser.getNumberType()) {
            case INT -> nodes.numberNode(parser.getIntValue());
            case LONG -> nodes.numberNode(parser.getLongValue());
            default -> nodes.numberNode(parser.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> nodes.booleanNode(true);
      case VALUE_FALSE -> nodes.booleanNode(false);
      case VALUE_NULL -> nodes.nullNode();
      default -> throw new JsonParseException(parser, "unexpected token " + token);
    };
  }

  private Decoded.@Nullable Rejected checkSize(byte[] payload) {
    if (payload.length == 0) {
      return new Decoded.Rejected(Rejection.EMPTY, "empty payload");
    }
    if (payload.length > maxPayloadBytes) {
      return new Decoded.Rejected(
          Rejection.TOO_LARGE,
          "payload of " + payload.length + " bytes exceeds " + maxPayloadBytes);
    }
    return null;
  }

  /** Why the parser failed, as a rejection: a limit it enforces, or not JSON at all. */
  private Decoded.Rejected rejected(Exception e) {
    // Jackson reports an over-long number as a constraint too; to a device it is just bad input.
    if (e instanceof StreamConstraintsException
        && (e.getMessage() == null || !e.getMessage().contains("Number value length"))) {
      return new Decoded.Rejected(
          Rejection.TOO_COMPLEX,
          "JSON nested deeper than "
              + maxDepth
              + " levels or longer than "
              + maxTokens
              + " tokens: "
              + firstLine(e));
    }
    return new Decoded.Rejected(Rejection.NOT_JSON, "not a number or JSON: " + firstLine(e));
  }

  /**
   * The number at {@code path} ({@code ""} = the payload itself). A bare-number payload is the
   * value whatever the path, as DESIGN §4 says.
   */
  public static Value valueAt(JsonNode root, String path) {
    if (root.isNumber() || path.isEmpty()) {
      return numberAt(root, path);
    }
    @Nullable JsonNode node = root;
    int start = 0;
    while (node != null && start <= path.length()) {
      int dot = path.indexOf('.', start);
      String name = dot < 0 ? path.substring(start) : path.substring(start, dot);
      node = node.isObject() ? node.get(name) : null;
      if (dot < 0) {
        break;
      }
      start = dot + 1;
    }
    return fieldValue(node, path);
  }

  /** The value of the field at a (non-empty) path: null, or a JSON null, is no value. */
  private static Value fieldValue(@Nullable JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return new Value.Missing(Rejection.MISSING_VALUE, "no value at '" + path + "'");
    }
    return numberAt(node, path);
  }

  private static Value numberAt(JsonNode node, String path) {
    String where = path.isEmpty() ? "(payload)" : path;
    if (!node.isNumber()) {
      return new Value.Missing(
          Rejection.NOT_A_NUMBER, "value at '" + where + "' is " + describe(node));
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      return new Value.Missing(Rejection.NOT_A_NUMBER, "value at '" + where + "' is out of range");
    }
    return new Value.Found(value);
  }

  /** The payload's integral {@code seq}, if it has one. */
  public static @Nullable Long seq(JsonNode root) {
    return seqOf(root.get("seq"));
  }

  /** The payload's own timestamp ({@code timestamp}, else {@code ts}) as sent, if any. */
  public static @Nullable String timestamp(JsonNode root) {
    String timestamp = textOf(root.get("timestamp"));
    return timestamp != null ? timestamp : textOf(root.get("ts"));
  }

  private static @Nullable Long seqOf(@Nullable JsonNode seq) {
    return seq != null && seq.canConvertToLong() && seq.isIntegralNumber() ? seq.asLong() : null;
  }

  private static @Nullable String textOf(@Nullable JsonNode value) {
    return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
  }

  /** The JSON tree as plain Java values (maps, lists, numbers, strings, booleans, null). */
  public Object toJava(JsonNode node) {
    return mapper.convertValue(node, Object.class);
  }

  private static String describe(JsonNode node) {
    String type =
        switch (node.getNodeType()) {
          case STRING -> "a string";
          case BOOLEAN -> "a boolean";
          case OBJECT -> "an object";
          case ARRAY -> "an array";
          default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    String text = node.isValueNode() ? " " + truncate(node.toString()) : "";
    return type + text;
  }

  private static String truncate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return truncate(newline < 0 ? message : message.substring(0, newline));
  }
}
