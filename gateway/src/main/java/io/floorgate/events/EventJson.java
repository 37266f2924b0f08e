package io.floorgate.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An event's JSON: the seed's {@code to_dict} map, keys in its order. This is the payload SCADA
 * receives on {@code alerts/...} and what the journal stores.
 *
 * <p>Writing streams the fields straight into a per-thread buffer ({@link JsonBytes}): it is on
 * every publish. Reading goes through Jackson and {@link Event#fromMap}, so it has the seed's
 * defaults and rejects what {@code fromMap} rejects.
 */
public final class EventJson {
  /** The deepest nesting of objects and arrays an event is read with (the event's own included). */
  public static final int MAX_READ_DEPTH = 64;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_READ_DEPTH)
                  .maxStringLength(1 << 20)
                  .build())
          .build();
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY).enable(DeserializationFeature.USE_LONG_FOR_INTS).build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  // The seed's to_dict keys, in its order, with the JSON punctuation around them.
  private static final byte[] EVENT_ID = ascii("{\"event_id\":");
  private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
  private static final byte[] SOURCE = ascii(",\"source\":");
  private static final byte[] MESSAGE = ascii(",\"message\":");
  private static final byte[] DETAILS = ascii(",\"details\":");
  private static final byte[] ACKNOWLEDGED_TRUE = ascii(",\"acknowledged\":true}");
  private static final byte[] ACKNOWLEDGED_FALSE = ascii(",\"acknowledged\":false}");
  private static final byte[][] CATEGORIES =
      Arrays.stream(EventCategory.values())
          .map(c -> ascii(",\"category\":\"" + c.value() + "\""))
          .toArray(byte[][]::new);
  private static final byte[][] SEVERITIES =
      Arrays.stream(EventSeverity.values())
          .map(c -> ascii(",\"severity\":\"" + c.value() + "\""))
          .toArray(byte[][]::new);
  /** Publishing serialises every event: one reusable buffer per thread. */
  private static final ThreadLocal<JsonBytes> BUFFERS = ThreadLocal.withInitial(JsonBytes::new);

  private EventJson() {}

  /** The event as UTF-8 JSON bytes. */
  public static byte[] toBytes(Event event) {
    JsonBytes out = BUFFERS.get();
    out.reset();
    out.raw(EVENT_ID);
    out.string(event.eventId());
    out.raw(TIMESTAMP);
    out.string(EventTimestamps.format(event.timestamp()));
    out.raw(CATEGORIES[event.category().ordinal()]);
    out.raw(SEVERITIES[event.severity().ordinal()]);
    out.raw(SOURCE);
    out.string(event.source());
    out.raw(MESSAGE);
    out.string(event.message());
    out.raw(DETAILS);
    out.value(event.details());
    out.raw(event.acknowledged() ? ACKNOWLEDGED_TRUE : ACKNOWLEDGED_FALSE);
    return out.toByteArray();
  }

  /**
   * Whether {@code json}, written by {@link #toBytes}, is of an acknowledged event: the field is
   * always last, so this reads its tail instead of parsing the event.
   */
  static boolean acknowledged(byte[] json) {
    int from = json.length - ACKNOWLEDGED_TRUE.length;
    return from >= 0
        && Arrays.equals(json, from, json.length, ACKNOWLEDGED_TRUE, 0, ACKNOWLEDGED_TRUE.length);
  }

  /** The event as a JSON string. */
  public static String toJson(Event event) {
    return new String(toBytes(event), StandardCharsets.UTF_8);
  }

  /**
   * Reads an event from JSON.
   *
   * @throws IllegalArgumentException when the bytes are not a JSON object or {@link
   *     Event#fromMap} rejects it
   */
  public static Event fromBytes(byte[] json) {
    return Event.fromMap(readObject(json));
  }

  /** Reads an event from a JSON string. */
  public static Event fromJson(String json) {
    return fromBytes(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A streaming parser over {@code json} with the limits every event read has (nesting, string
   * length), for readers that need a few fields rather than the whole event.
   */
  public static JsonParser parser(byte[] json) throws IOException {
    return FACTORY.createParser(json);
  }

  /**
   * Reads a JSON object into a map (integers as {@link Long}).
   *
   * @throws IllegalArgumentException when the bytes are not one JSON object
   */
  public static Map<String, Object> readObject(byte[] json) {
    try (JsonParser parser = parser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      Map<String, Object> map = MAPPER.readValue(parser, MAP);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("unexpected data after the JSON object");
      }
      return map;
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** Writes JSON values (maps, lists, strings, numbers, booleans, null) as JSON. */
  public static byte[] writeValue(@Nullable Object value) {
    JsonBytes out = BUFFERS.get();
    out.reset();
    out.value(value);
    return out.toByteArray();
  }

  /** Writes a map of JSON values as a JSON object (for payloads other than events). */
  public static byte[] writeObject(Map<String, ?> object) {
    JsonBytes out = BUFFERS.get();
    out.reset();
    out.value(object);
    return out.toByteArray();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
