package io.floorgate.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An event's JSON: the seed's {@code to_dict} map, keys in its order. This is the payload SCADA
 * receives on {@code alerts/...} and what the journal stores.
 *
 * <p>Writing streams the fields directly (no intermediate map); reading goes through {@link
 * Event#fromMap}, so it has the seed's defaults and rejects what {@code fromMap} rejects.
 */
public final class EventJson {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build())
          .build();
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY).enable(DeserializationFeature.USE_LONG_FOR_INTS).build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private EventJson() {}

  /** The event as UTF-8 JSON bytes. */
  public static byte[] toBytes(Event event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + event.message().length());
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("event_id", event.eventId());
      gen.writeStringField("timestamp", EventTimestamps.format(event.timestamp()));
      gen.writeStringField("category", event.category().value());
      gen.writeStringField("severity", event.severity().value());
      gen.writeStringField("source", event.source());
      gen.writeStringField("message", event.message());
      gen.writeFieldName("details");
      writeValue(gen, event.details());
      gen.writeBooleanField("acknowledged", event.acknowledged());
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write event " + event.eventId() + " as JSON", e);
    }
    return out.toByteArray();
  }

  /** The event as a JSON string. */
  public static String toJson(Event event) {
    return new String(toBytes(event), java.nio.charset.StandardCharsets.UTF_8);
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
    return fromBytes(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Reads a JSON object into a map (integers as {@link Long}).
   *
   * @throws IllegalArgumentException when the bytes are not one JSON object
   */
  public static Map<String, Object> readObject(byte[] json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
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

  /** Writes a map of JSON values as a JSON object (for payloads other than events). */
  public static byte[] writeObject(Map<String, ?> object) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      writeValue(gen, object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeValue(JsonGenerator gen, @Nullable Object value) throws IOException {
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof String s) {
      gen.writeString(s);
    } else if (value instanceof Boolean b) {
      gen.writeBoolean(b);
    } else if (value instanceof Long l) {
      gen.writeNumber(l);
    } else if (value instanceof Integer i) {
      gen.writeNumber(i);
    } else if (value instanceof Double d) {
      gen.writeNumber(d);
    } else if (value instanceof BigInteger big) {
      gen.writeNumber(big);
    } else if (value instanceof Number n) {
      gen.writeNumber(n.doubleValue());
    } else if (value instanceof Map<?, ?> map) {
      gen.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        gen.writeFieldName(String.valueOf(entry.getKey()));
        writeValue(gen, entry.getValue());
      }
      gen.writeEndObject();
    } else if (value instanceof List<?> list) {
      gen.writeStartArray();
      for (Object element : list) {
        writeValue(gen, element);
      }
      gen.writeEndArray();
    } else {
      // Details are normalised to JSON values when an event is built; anything else is a bug.
      throw new IllegalStateException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
