package io.floorgate.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * ISO-8601 timestamps as events carry them.
 *
 * <p>New events are stamped in UTC with microsecond precision and an explicit offset: {@code
 * 2026-11-29T20:46:50.123456Z}. Parsing also accepts the seed's offset-less form ({@code
 * datetime.now().isoformat()}, e.g. {@code 2025-02-24T14:30:22.123456}), read in the given zone.
 */
public final class EventTimestamps {
  private static final DateTimeFormatter SECOND_PREFIX =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  /** The last formatted second; formatting dominates publish cost without it. */
  private static volatile CachedSecond cached = new CachedSecond(Long.MIN_VALUE, "");

  private record CachedSecond(long epochSecond, String prefix) {}

  private EventTimestamps() {}

  /** Now, truncated to microseconds (the precision that survives a round trip). */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Microseconds since the epoch, as the journal keeps timestamps; sub-microsecond digits are
   * dropped.
   *
   * @throws ArithmeticException when the instant lies beyond what a long of microseconds holds
   */
  public static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  /** Formats as {@code uuuu-MM-ddTHH:mm:ss.ffffffZ}; sub-microsecond digits are dropped. */
  public static String format(Instant instant) {
    long second = instant.getEpochSecond();
    CachedSecond current = cached;
    if (current.epochSecond != second) {
      current = new CachedSecond(second, SECOND_PREFIX.format(instant));
      cached = current;
    }
    int micros = instant.getNano() / 1000;
    StringBuilder out = new StringBuilder(current.prefix.length() + 8).append(current.prefix);
    out.append('.');
    String digits = Integer.toString(micros);
    for (int pad = digits.length(); pad < 6; pad++) {
      out.append('0');
    }
    return out.append(digits).append('Z').toString();
  }

  /**
   * Parses an ISO-8601 date-time with an offset ({@code Z}, {@code +02:00}) or, as the seed
   * writes them, without one; an offset-less value is read in {@code zone}.
   *
   * @throws IllegalArgumentException naming the text when it is not an ISO-8601 date-time
   */
  public static Instant parse(String text, ZoneId zone) {
    try {
      return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException withOffsetFailed) {
      try {
        return LocalDateTime.parse(text).atZone(zone).toInstant().truncatedTo(ChronoUnit.MICROS);
      } catch (DateTimeException withoutOffsetFailed) {
        throw new IllegalArgumentException(
            "timestamp must be an ISO-8601 date-time such as 2026-11-29T20:46:50.123456Z, but was '"
                + text
                + "'");
      }
    }
  }

  /** {@link #parse(String, ZoneId)} in the JVM's default zone (the gateway's local time). */
  public static Instant parse(String text) {
    return parse(text, ZoneId.systemDefault());
  }
}
