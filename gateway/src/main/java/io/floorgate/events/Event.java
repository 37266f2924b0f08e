package io.floorgate.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Base class for all events (seed §2.3.1): an immutable value.
 *
 * <p>Fields and defaults are the seed's: a random UUID {@code event_id}, {@code timestamp} now,
 * category {@link EventCategory#SYSTEM}, severity {@link EventSeverity#INFO}, source {@code
 * "system"}, message {@code ""}, empty details, not acknowledged. {@link #toMap()} and {@link
 * #fromMap(Map)} use exactly the seed's {@code to_dict} keys and {@code from_dict} defaults.
 *
 * <p>Differences from the seed's mutable dataclass: an event never changes after it is built; the
 * manager and publishers make changed copies ({@link #withAcknowledged}, {@link #withSource}),
 * which keep the subtype. {@code details} is a deep immutable copy holding JSON values only.
 * Equality compares all fields, whatever the subtype, so an event equals itself after a JSON round
 * trip.
 */
public class Event {
  /** The seed's default source. */
  public static final String DEFAULT_SOURCE = "system";

  private final String eventId;
  private final Instant timestamp;
  private final EventCategory category;
  private final EventSeverity severity;
  private final String source;
  private final String message;
  private final Map<String, @Nullable Object> details;
  private final boolean acknowledged;

  /** For subtypes: the common fields from {@code options}, category, message and details fixed. */
  protected Event(
      Options<?> options,
      EventCategory category,
      EventSeverity defaultSeverity,
      String message,
      Map<String, ?> details) {
    this(
        options.eventId != null ? options.eventId : UUID.randomUUID().toString(),
        // Microseconds: the precision the JSON form keeps, so an event survives a round trip.
        options.timestamp != null
            ? options.timestamp.truncatedTo(ChronoUnit.MICROS)
            : EventTimestamps.now(),
        category,
        options.severity != null ? options.severity : defaultSeverity,
        options.source,
        message,
        JsonValues.copyObject(details, "details"),
        options.acknowledged);
  }

  /** For subtypes' {@link #copy}: {@code other} with a new source and acknowledged flag. */
  protected Event(Event other, String source, boolean acknowledged) {
    this(
        other.eventId,
        other.timestamp,
        other.category,
        other.severity,
        source,
        other.message,
        other.details,
        acknowledged);
  }

  private Event(
      String eventId,
      Instant timestamp,
      EventCategory category,
      EventSeverity severity,
      String source,
      String message,
      Map<String, @Nullable Object> details,
      boolean acknowledged) {
    this.eventId = Objects.requireNonNull(eventId, "eventId");
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.category = Objects.requireNonNull(category, "category");
    this.severity = Objects.requireNonNull(severity, "severity");
    this.source = Objects.requireNonNull(source, "source");
    this.message = Objects.requireNonNull(message, "message");
    this.details = details;
    this.acknowledged = acknowledged;
  }

  /** A builder for a plain event with the seed's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  public final String eventId() {
    return eventId;
  }

  public final Instant timestamp() {
    return timestamp;
  }

  public final EventCategory category() {
    return category;
  }

  public final EventSeverity severity() {
    return severity;
  }

  public final String source() {
    return source;
  }

  public final String message() {
    return message;
  }

  /** Immutable; values are JSON values (nested maps and lists are immutable too). */
  public final Map<String, @Nullable Object> details() {
    return details;
  }

  public final boolean acknowledged() {
    return acknowledged;
  }

  /** This event marked acknowledged (or not); same type, same id. */
  public final Event withAcknowledged(boolean acknowledged) {
    return acknowledged == this.acknowledged ? this : copy(source, acknowledged);
  }

  /** This event with another source; same type, same id. */
  public final Event withSource(String source) {
    return source.equals(this.source) ? this : copy(source, acknowledged);
  }

  /**
   * Makes a copy with a new source and acknowledged flag. Subtypes override it to keep their type:
   * {@code return new ThresholdEvent(this, source, acknowledged);}.
   */
  protected Event copy(String source, boolean acknowledged) {
    return new Event(this, source, acknowledged);
  }

  /** The seed's {@code to_dict}: exactly its eight keys, in its order. */
  public final Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>(16);
    map.put("event_id", eventId);
    map.put("timestamp", EventTimestamps.format(timestamp));
    map.put("category", category.value());
    map.put("severity", severity.value());
    map.put("source", source);
    map.put("message", message);
    map.put("details", details);
    map.put("acknowledged", acknowledged);
    return map;
  }

  /**
   * The seed's {@code from_dict}: missing keys take the seed's defaults (a new UUID, now, {@code
   * system}, {@code info}, {@code "system"}, {@code ""}, {}, false). Category and severity are
   * parsed in any case. Offset-less timestamps are read in the JVM's default zone.
   *
   * @throws IllegalArgumentException naming the key when a value has the wrong type or is not
   *     allowed
   */
  public static Event fromMap(Map<String, ?> data) {
    return fromMap(data, ZoneId.systemDefault());
  }

  /** {@link #fromMap(Map)} reading offset-less timestamps in {@code zone}. */
  public static Event fromMap(Map<String, ?> data, ZoneId zone) {
    Builder builder = builder();
    String eventId = optionalString(data, "event_id");
    if (eventId != null) {
      builder.eventId(eventId);
    }
    String timestamp = optionalString(data, "timestamp");
    if (timestamp != null) {
      builder.timestamp(EventTimestamps.parse(timestamp, zone));
    }
    String category = optionalString(data, "category");
    if (category != null) {
      builder.category(EventCategory.parse(category));
    }
    String severity = optionalString(data, "severity");
    if (severity != null) {
      builder.severity(EventSeverity.parse(severity));
    }
    String source = optionalString(data, "source");
    if (source != null) {
      builder.source(source);
    }
    String message = optionalString(data, "message");
    if (message != null) {
      builder.message(message);
    }
    Object details = data.get("details");
    if (details != null) {
      if (!(details instanceof Map<?, ?> detailsMap)) {
        throw new IllegalArgumentException(
            "details must be an object, but was " + details.getClass().getSimpleName());
      }
      builder.details(JsonValues.copyObject(detailsMap, "details"));
    }
    Object acknowledged = data.get("acknowledged");
    if (acknowledged != null) {
      if (!(acknowledged instanceof Boolean flag)) {
        throw new IllegalArgumentException(
            "acknowledged must be true or false, but was '" + acknowledged + "'");
      }
      builder.acknowledged(flag);
    }
    return builder.build();
  }

  private static @Nullable String optionalString(Map<String, ?> data, String key) {
    Object value = data.get(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new IllegalArgumentException(
        key + " must be a string, but was " + value.getClass().getSimpleName() + " " + value);
  }

  @Override
  public final boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Event other
        && acknowledged == other.acknowledged
        && eventId.equals(other.eventId)
        && timestamp.equals(other.timestamp)
        && category == other.category
        && severity == other.severity
        && source.equals(other.source)
        && message.equals(other.message)
        && details.equals(other.details);
  }

  @Override
  public final int hashCode() {
    return Objects.hash(eventId, timestamp, category, severity, source, message, details);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "{"
        + eventId
        + " "
        + severity.value()
        + "/"
        + category.value()
        + " from "
        + source
        + ": "
        + message
        + (acknowledged ? " (acknowledged)" : "")
        + "}";
  }

  /**
   * The seed's keyword arguments shared by every event type: id, timestamp, severity, source,
   * extra details and the acknowledged flag. Unset values take the type's defaults.
   *
   * @param <B> the concrete builder, for chaining
   */
  public abstract static class Options<B extends Options<B>> {
    @Nullable String eventId;
    @Nullable Instant timestamp;
    @Nullable EventSeverity severity;
    String source = DEFAULT_SOURCE;
    Map<String, ?> details = Map.of();
    boolean acknowledged;

    protected Options() {}

    protected abstract B self();

    public B eventId(String eventId) {
      this.eventId = Objects.requireNonNull(eventId, "eventId");
      return self();
    }

    public B timestamp(Instant timestamp) {
      this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
      return self();
    }

    public B severity(EventSeverity severity) {
      this.severity = Objects.requireNonNull(severity, "severity");
      return self();
    }

    public B source(String source) {
      this.source = Objects.requireNonNull(source, "source");
      return self();
    }

    /**
     * Details: for a plain event, all of them; for the subtypes, extra details merged after the
     * type's own keys (a key given here replaces the type's, as in the seed's {@code **details}).
     */
    public B details(Map<String, ?> details) {
      this.details = Objects.requireNonNull(details, "details");
      return self();
    }

    public B acknowledged(boolean acknowledged) {
      this.acknowledged = acknowledged;
      return self();
    }

    /** The type's own details followed by {@link #details(Map)}. */
    protected final Map<String, ?> mergedDetails(Map<String, ?> own) {
      if (details.isEmpty()) {
        return own;
      }
      Map<String, Object> merged = new LinkedHashMap<>(own);
      merged.putAll(details);
      return merged;
    }
  }

  /** Builds a plain {@link Event}; category and message default to the seed's. */
  public static final class Builder extends Options<Builder> {
    private EventCategory category = EventCategory.SYSTEM;
    private String message = "";

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    public Builder category(EventCategory category) {
      this.category = Objects.requireNonNull(category, "category");
      return this;
    }

    public Builder message(String message) {
      this.message = Objects.requireNonNull(message, "message");
      return this;
    }

    public Event build() {
      return new Event(this, category, EventSeverity.INFO, message, details);
    }
  }
}
