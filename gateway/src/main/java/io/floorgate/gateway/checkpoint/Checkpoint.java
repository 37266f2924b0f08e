package io.floorgate.gateway.checkpoint;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floorgate.events.WindowReplay;
import io.floorgate.gateway.ingest.AlarmHistory;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.rules.eval.AlarmState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a replay of the journal up to and including one record left: the event window and the
 * open alarms. Kept in the journal's directory as {@code checkpoint.json}.
 *
 * @param index the journal index of the last record the replay read
 * @param record that record, as {@link Checkpointer#describe} names it: a start-up uses the
 *     checkpoint only if the journal still holds this record at {@code index}
 * @param maxEvents the {@code max_events} the window was replayed with
 * @param rulesSha256 the SHA-256 of the last rule file the journal recorded ({@code ""} for none)
 * @param rulesIndex the journal index of that record (-1 for none)
 * @param window the window's events, oldest first
 * @param alarms the alarms that were not normal
 */
public record Checkpoint(
    long index,
    String record,
    int maxEvents,
    String rulesSha256,
    long rulesIndex,
    List<WindowReplay.Entry> window,
    List<AlarmHistory.Entry> alarms) {

  /** The version of the file's layout; a file of another version is not read. */
  static final int FORMAT = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> NOT_FINITE = Set.of("NaN", "Infinity", "-Infinity");

  public Checkpoint {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(rulesSha256, "rulesSha256");
    window = List.copyOf(window);
    alarms = List.copyOf(alarms);
  }

  /**
   * Checks that the checkpoint belongs to {@code journal} as it is now and to {@code maxEvents}.
   *
   * @return true when retention has deleted the day of its record: the journal holds only later
   *     records, and the checkpoint is still what the deleted days left (only records that a
   *     crash left after the checkpoint on that day are lost with it, as they would be to a
   *     replay of the whole journal)
   * @throws IllegalArgumentException saying why it does not belong
   */
  boolean check(Journal journal, int maxEvents) {
    if (maxEvents != this.maxEvents) {
      throw new IllegalArgumentException(
          "it was written for max_events " + this.maxEvents + ", now " + maxEvents);
    }
    if (expired(journal)) {
      return true;
    }
    try (JournalReader reader = journal.reader()) {
      Optional<JournalEntry> there =
          reader.moveTo(index) ? reader.next() : Optional.empty();
      if (there.isEmpty() || there.get().index() != index) {
        throw new IllegalArgumentException(
            "the journal no longer holds its record at index " + Long.toHexString(index));
      }
      String found = Checkpointer.describe(there.get().record());
      if (!found.equals(record)) {
        throw new IllegalArgumentException(
            "the journal holds '"
                + found
                + "' at index "
                + Long.toHexString(index)
                + ", not '"
                + record
                + "'");
      }
    }
    return false;
  }

  /**
   * Whether retention deleted the checkpoint's day: that day is past retention, and every record
   * the journal holds is later. A day deleted by hand within retention is not taken for this.
   */
  private boolean expired(Journal journal) {
    boolean pastRetention =
        journal
            .retentionDeadline(index)
            .filter(deadline -> !deadline.isAfter(journal.options().clock().instant()))
            .isPresent();
    if (!pastRetention) {
      return false;
    }
    try (JournalReader reader = journal.reader()) {
      Optional<JournalEntry> first = reader.next();
      return first.isPresent() && first.get().index() > index;
    }
  }

  /**
   * Writes the checkpoint to {@code file}: a temporary file beside it, forced to disk, then
   * renamed over it, so the file is always a whole checkpoint, this one or the one before.
   */
  void write(Path file) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (FileChannel channel =
            FileChannel.open(
                temp,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream out = Channels.newOutputStream(channel)) {
      try (JsonGenerator json =
          MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        writeTo(json);
      }
      channel.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void writeTo(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeNumberField("format", FORMAT);
    json.writeNumberField("index", index);
    json.writeStringField("record", record);
    json.writeNumberField("max_events", maxEvents);
    json.writeStringField("rules_sha256", rulesSha256);
    json.writeNumberField("rules_index", rulesIndex);
    json.writeArrayFieldStart("window");
    for (WindowReplay.Entry e : window) {
      // One small array per event, not an object: the window is most of the file.
      json.writeStartArray();
      json.writeString(e.eventId());
      json.writeNumber(e.timestampMicros());
      json.writeNumber(e.index());
      json.writeBoolean(e.acknowledged());
      json.writeEndArray();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("alarms");
    for (AlarmHistory.Entry a : alarms) {
      json.writeStartObject();
      json.writeStringField("rule_id", a.ruleId());
      json.writeStringField("topic", a.topic());
      json.writeStringField("state", a.state().name().toLowerCase(Locale.ROOT));
      json.writeStringField("level", a.level());
      json.writeBooleanField("latched", a.latched());
      json.writeFieldName("value");
      if (Double.isFinite(a.value())) {
        json.writeNumber(a.value());
      } else {
        json.writeString(Double.toString(a.value())); // JSON has no NaN or Infinity
      }
      json.writeNumberField("since_ms", a.sinceMillis());
      json.writeStringField("event_id", a.eventId());
      if (a.acknowledgedBy() != null) {
        json.writeStringField("acknowledged_by", a.acknowledgedBy());
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException when it is not a checkpoint of this format; the message
   *     names the field and what was wrong with it
   */
  static Checkpoint read(Path file) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes its internals; where it broke is what an admin needs.
      var at = e.getLocation();
      throw new IllegalArgumentException(
          at == null
              ? "not valid JSON"
              : "not valid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr(),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    long format = integer(root, "format");
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "format must be " + FORMAT + ", but was " + format);
    }
    long index = integer(root, "index");
    String record = text(root, "record");
    long maxEvents = integer(root, "max_events");
    if (maxEvents < 1 || maxEvents > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "max_events must be between 1 and " + Integer.MAX_VALUE + ", but was " + maxEvents);
    }
    String rulesSha256 = text(root, "rules_sha256");
    long rulesIndex = integer(root, "rules_index");
    List<WindowReplay.Entry> window = new ArrayList<>();
    JsonNode events = array(root, "window");
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      String where = "window[" + i + "]";
      if (!e.isArray()
          || e.size() != 4
          || !e.get(0).isTextual()
          || !e.get(1).canConvertToLong()
          || !e.get(2).canConvertToLong()
          || !e.get(3).isBoolean()) {
        throw new IllegalArgumentException(
            where + " must be [event_id, timestamp_us, index, acknowledged], but was " + e);
      }
      window.add(
          new WindowReplay.Entry(
              e.get(0).asText(), e.get(1).asLong(), e.get(2).asLong(), e.get(3).asBoolean()));
    }
    List<AlarmHistory.Entry> alarms = new ArrayList<>();
    JsonNode open = array(root, "alarms");
    for (int i = 0; i < open.size(); i++) {
      JsonNode a = open.get(i);
      String where = "alarms[" + i + "]";
      if (!a.isObject()) {
        throw new IllegalArgumentException(where + " must be an object, but was " + a);
      }
      try {
        JsonNode by = a.get("acknowledged_by");
        if (by != null && !by.isTextual()) {
          throw new IllegalArgumentException("acknowledged_by must be a string, but was " + by);
        }
        alarms.add(
            new AlarmHistory.Entry(
                text(a, "rule_id"),
                text(a, "topic"),
                state(text(a, "state")),
                text(a, "level"),
                bool(a, "latched"),
                number(a, "value"),
                integer(a, "since_ms"),
                text(a, "event_id"),
                by == null ? null : by.asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return new Checkpoint(index, record, (int) maxEvents, rulesSha256, rulesIndex, window, alarms);
  }

  private static JsonNode field(JsonNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is missing");
    }
    return value;
  }

  private static long integer(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(name + " must be an integer, but was " + value);
    }
    return value.asLong();
  }

  private static double number(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (value.isTextual() && NOT_FINITE.contains(value.asText())) {
      return Double.parseDouble(value.asText());
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException(name + " must be a number, but was " + value);
    }
    return value.asDouble();
  }

  private static boolean bool(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isBoolean()) {
      throw new IllegalArgumentException(name + " must be true or false, but was " + value);
    }
    return value.asBoolean();
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(name + " must be a string, but was " + value);
    }
    return value.asText();
  }

  private static JsonNode array(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isArray()) {
      throw new IllegalArgumentException(name + " must be an array, but was " + value);
    }
    return value;
  }

  private static AlarmState state(@Nullable String name) {
    for (AlarmState state : AlarmState.values()) {
      if (state.name().toLowerCase(Locale.ROOT).equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("state must be an alarm state, but was '" + name + "'");
  }
}
