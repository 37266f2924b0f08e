package io.floorgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written event JSON must be exactly what Jackson writes for the same map. */
class EventJsonTest {
  private static final ObjectMapper JACKSON =
      JsonMapper.builder(
              JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build())
          .build();

  private static String jackson(Event event) throws Exception {
    return JACKSON.writeValueAsString(event.toMap());
  }

  @Test
  void toJson_isByteForByteWhatJacksonWritesForToMap_onRandomEvents() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      Event event =
          Event.builder()
              .eventId(randomString(random))
              .timestamp(Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)))
              .category(EventCategory.values()[random.nextInt(EventCategory.values().length)])
              .severity(EventSeverity.values()[random.nextInt(EventSeverity.values().length)])
              .source(randomString(random))
              .message(randomString(random))
              .details(randomDetails(random, 0))
              .acknowledged(random.nextBoolean())
              .build();

      assertThat(EventJson.toJson(event)).isEqualTo(jackson(event));
      assertThat(EventJson.fromBytes(EventJson.toBytes(event))).isEqualTo(event);
    }
  }

  @Test
  void strings_escapeQuotesBackslashesAndControlCharacters() {
    Event event = Event.builder().message("a\"b\\c\nd\te\u0001f\u00e9\u20ac\uD83D\uDE00").build();

    assertThat(EventJson.toJson(event))
        .contains("\"message\":\"a\\\"b\\\\c\\nd\\te\\u0001f\u00e9\u20ac\uD83D\uDE00\"");
    assertThat(EventJson.fromJson(EventJson.toJson(event)).message()).isEqualTo(event.message());
  }

  @Test
  void loneSurrogate_isEscapedSoTheJsonStaysValid() {
    Event event = Event.builder().message("broken \uD83D pair").build();

    String json = EventJson.toJson(event);

    assertThat(json).contains("broken \\uD83D pair");
    assertThat(EventJson.fromJson(json).message()).isEqualTo("broken \uD83D pair");
  }

  @Test
  void readObject_rejectsWhatIsNotOneObject() {
    assertThatThrownBy(() -> EventJson.readObject("[1]".getBytes()))
        .hasMessage("expected a JSON object");
    assertThatThrownBy(() -> EventJson.readObject("{} {}".getBytes()))
        .hasMessage("unexpected data after the JSON object");
    assertThatThrownBy(() -> EventJson.readObject("{".getBytes()))
        .hasMessageStartingWith("not valid JSON");
  }

  private static String randomString(Random random) {
    int length = random.nextInt(40);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        text.append((char) (0x20 + random.nextInt(0x5F)));
      } else if (kind == 6) {
        text.append((char) random.nextInt(0x20));
      } else if (kind == 7) {
        text.append("\"\\/".charAt(random.nextInt(3)));
      } else if (kind == 8) {
        text.append((char) (0xA0 + random.nextInt(0xD000)));
      } else {
        text.appendCodePoint(0x1F600 + random.nextInt(80));
      }
    }
    return text.toString();
  }

  private static Map<String, Object> randomDetails(Random random, int depth) {
    Map<String, Object> details = new LinkedHashMap<>();
    int size = random.nextInt(depth == 0 ? 8 : 4);
    for (int i = 0; i < size; i++) {
      details.put(randomString(random), randomValue(random, depth));
    }
    return details;
  }

  private static Object randomValue(Random random, int depth) {
    return switch (random.nextInt(depth < 3 ? 8 : 6)) {
      case 0 -> randomString(random);
      case 1 -> random.nextLong();
      case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
      case 3 -> random.nextBoolean();
      case 4 -> (double) random.nextInt(1000);
      case 5 -> random.nextInt(100);
      case 6 -> randomDetails(random, depth + 1);
      default -> {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(randomValue(random, depth + 1));
        }
        yield list;
      }
    };
  }
}
