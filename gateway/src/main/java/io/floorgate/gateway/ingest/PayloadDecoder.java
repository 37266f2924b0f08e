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
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floorgate.rules.Rule;
import java.io.IOException;
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
            // Correctly rounded like Double.parseDouble, without its garbage: that was 40% of
            // the bytes a telemetry decode allocated (a profile of decodeFor).
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
    record Rejected(Rejection reason, String detail) implements Decoded {}
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
        return new Decoded.Rejected(Rejection.EMPTY, "payload holds only whitespace");
      }
      return new Decoded.Json(root);
    } catch (IOException | RuntimeException e) {
      return rejected(e);
    }
  }

  /**
   * The payload as a tree of only what these rules read: the fields on their paths, and the
   * root's {@code seq}, {@code timestamp} and {@code ts}. Every other field is read and checked as
   * in {@link #decode} (syntax, limits, trailing tokens) but not kept, so this gives {@link
   * #valueAt} of each rule's path, {@link #seq} and {@link #timestamp} exactly what the whole tree
   * gives, and the same rejections, for less work per message. An object or array that is on a
   * path only as its end is kept empty: {@link #valueAt} reports only its type.
   */
  public Decoded decodeFor(byte[] payload, List<Rule> rules) {
    if (rules.size() > Long.SIZE) {
      return decode(payload); // more paths than the walk's bit mask holds; rare, and the same
    }
    Decoded.Rejected unread = checkSize(payload);
    if (unread != null) {
      return unread;
    }
    try (JsonParser parser = mapper.getFactory().createParser(payload)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return new Decoded.Rejected(Rejection.EMPTY, "payload holds only whitespace");
      }
      long all = rules.size() == Long.SIZE ? -1L : (1L << rules.size()) - 1;
      JsonNode root =
          token == JsonToken.START_OBJECT
              ? readObject(parser, rules, all, 0, true)
              : readKept(parser, token);
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        return new Decoded.Rejected(
            Rejection.NOT_JSON,
            // Worded as databind words it for decode, so both give a device the same detail.
            "not a number or JSON: "
                + truncate("Trailing token (of type " + trailing + ") found after value"));
      }
      return new Decoded.Json(root);
    } catch (IOException | RuntimeException e) {
      return rejected(e);
    }
  }

  /**
   * Reads an object whose START_OBJECT the parser is on, keeping only the fields that a path of
   * {@code alive} (a bit per rule whose path runs through this object) names at {@code offset}
   * into it, or that the root's {@code seq}, {@code timestamp} and {@code ts} are. Duplicate
   * names replace the earlier value, as in {@link #decode}.
   */
  private static ObjectNode readObject(
      JsonParser parser, List<Rule> rules, long alive, int offset, boolean root)
      throws IOException {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      boolean end = root && ("seq".equals(name) || "timestamp".equals(name) || "ts".equals(name));
      long through = 0;
      for (long rest = alive; rest != 0; rest &= rest - 1) {
        int i = Long.numberOfTrailingZeros(rest);
        String path = rules.get(i).path();
        if (path.startsWith(name, offset)) {
          int after = offset + name.length();
          if (after == path.length()) {
            end = true;
          } else if (path.charAt(after) == '.') {
            through |= 1L << i;
          }
        }
      }
      JsonToken token = parser.nextToken();
      if (through == 0 && !end) {
        parser.skipChildren(); // still tokenized: syntax, depth and token count are checked
        continue;
      }
      node.replace(
          name,
          token == JsonToken.START_OBJECT && through != 0
              ? readObject(parser, rules, through, offset + name.length() + 1, false)
              : readKept(parser, token));
    }
    return node;
  }

  /** A value at the end of a path: scalars as {@link #decode}'s tree has them, containers empty. */
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
    JsonNode node = root;
    if (!root.isNumber() && !path.isEmpty()) {
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
      if (node == null || node.isNull()) {
        return new Value.Missing(Rejection.MISSING_VALUE, "no value at '" + path + "'");
      }
    }
    if (!node.isNumber()) {
      return new Value.Missing(
          Rejection.NOT_A_NUMBER,
          "value at '" + (path.isEmpty() ? "(payload)" : path) + "' is " + describe(node));
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      return new Value.Missing(Rejection.NOT_A_NUMBER, "value at '" + path + "' is out of range");
    }
    return new Value.Found(value);
  }

  /** The payload's integral {@code seq}, if it has one. */
  public static @Nullable Long seq(JsonNode root) {
    JsonNode seq = root.get("seq");
    return seq != null && seq.canConvertToLong() && seq.isIntegralNumber() ? seq.asLong() : null;
  }

  /** The payload's own timestamp ({@code timestamp}, else {@code ts}) as sent, if any. */
  public static @Nullable String timestamp(JsonNode root) {
    JsonNode ts = root.get("timestamp");
    if (ts == null || !ts.isValueNode() || ts.isNull()) {
      ts = root.get("ts");
    }
    return ts != null && ts.isValueNode() && !ts.isNull() ? ts.asText() : null;
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
