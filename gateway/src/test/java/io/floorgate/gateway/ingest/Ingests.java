package io.floorgate.gateway.ingest;

import static org.awaitility.Awaitility.await;

import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import io.floorgate.gateway.alerts.AlarmBoard;
import io.floorgate.gateway.broker.InboundMessage;
import io.floorgate.gateway.broker.MessagePublisher;
import io.floorgate.gateway.config.IngestConfig;
import io.floorgate.gateway.config.TopicTemplate;
import io.floorgate.rules.RuleFile;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.RefusingDisk;
import io.floorgate.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Ingests for tests, without a broker: the alarm states they publish go nowhere. Public for the
 * tests of what wires an ingest up (the composition root's).
 */
public final class Ingests {
  private Ingests() {}

  /** One alarm rule, {@code t}: any {@code plant/+/+/temperature} above 25. */
  static RuleSet temperatureAbove25() {
    return RuleFile.parse(
            "rules:\n  - {id: t, topic: plant/+/+/temperature, comparison: greater_than,"
                + " value: 25}\n",
            "rules.yaml",
            List.of())
        .rules()
        .orElseThrow();
  }

  /** The defaults of {@code ingest}, with this queue and these simulation topics. */
  static IngestConfig config(
      int capacity, long bytes, List<String> simulationTopics, int maxJsonDepth) {
    return new IngestConfig(
        capacity,
        bytes,
        simulationTopics,
        List.of(),
        Duration.ofSeconds(60),
        maxJsonDepth,
        IngestConfig.DEFAULT_MAX_JSON_TOKENS);
  }

  /** The defaults of {@code ingest}, with a queue of 1,000 messages and no simulation topics. */
  static IngestConfig defaults() {
    return config(
        1_000, IngestConfig.DEFAULT_QUEUE_BYTES, List.of(), IngestConfig.DEFAULT_MAX_JSON_DEPTH);
  }

  /**
   * A new ingest, not started, with {@link #temperatureAbove25}, twin state on {@link
   * JournaledIngest#STATE_TOPIC} and the {@link #defaults}.
   */
  static Ingest temperatureAlarms(EventManager events) {
    return ingest(
        defaults(), List.of(JournaledIngest.STATE_TOPIC), temperatureAbove25(), events);
  }

  /** A new ingest, not started, acknowledging on {@code alerts/ack}. */
  static Ingest ingest(IngestConfig config, RuleSet rules, EventManager events) {
    return ingest(config, List.of(), rules, events);
  }

  /** A new ingest, not started, acknowledging on {@code alerts/ack}, with twin state topics. */
  static Ingest ingest(
      IngestConfig config, List<String> stateTopics, RuleSet rules, EventManager events) {
    return ingest(config, stateTopics, rules, events, (topic, payload, qos, retain) -> true);
  }

  /** The same, publishing its alarm states with {@code alarmStates}. */
  static Ingest ingest(
      IngestConfig config,
      List<String> stateTopics,
      RuleSet rules,
      EventManager events,
      MessagePublisher alarmStates) {
    AlarmBoard board =
        new AlarmBoard(
            TopicTemplate.parse("alarms/{rule_id}", Set.of("rule_id", "gateway_id")),
            "gw",
            1,
            alarmStates,
            EventSeverity.WARNING);
    return new Ingest(
        config, stateTopics, "alerts/ack", 65_536, rules, events, board, Clock.systemUTC());
  }

  /**
   * An in-memory event manager, collecting every event it publishes, and the ingest a test builds
   * over it; closing closes both, the ingest first.
   */
  static final class InMemory implements AutoCloseable {
    final EventManager events = EventManager.inMemory(EventNotificationConfig.DEFAULTS);
    final List<Event> published = new CopyOnWriteArrayList<>();
    private @Nullable Ingest ingest;

    InMemory() {
      events.subscribe(published::add);
    }

    /** Returns {@code ingest}, to be closed with this. */
    Ingest closing(Ingest ingest) {
      this.ingest = ingest;
      return ingest;
    }

    @Override
    public void close() {
      if (ingest != null) {
        ingest.close();
      }
      events.close();
    }
  }

  /**
   * A started ingest with {@link #temperatureAbove25} over an event manager on {@code journal},
   * collecting every event it publishes; closing it closes all three.
   */
  public static final class JournaledIngest implements AutoCloseable {
    public static final String TOPIC = "plant/line1/s1/temperature";
    /** Where the line's twin state arrives ({@code {"system_status": ...}}). */
    static final String STATE_TOPIC = "plant/line1/state";

    public final Journal journal;
    public final EventManager events;
    public final Ingest ingest;
    /** Every event published, in order. */
    public final List<Event> published = new CopyOnWriteArrayList<>();

    /** One over a journal in {@code dir} on {@code disk}, with the default notification config. */
    public static JournaledIngest on(RefusingDisk disk, Path dir) {
      return new JournaledIngest(
          disk.open(JournalOptions.defaults(dir)), EventNotificationConfig.DEFAULTS);
    }

    public JournaledIngest(Journal journal, EventNotificationConfig config) {
      this.journal = journal;
      this.events = EventManager.open(config, journal);
      events.subscribe(published::add);
      this.ingest = temperatureAlarms(events);
      ingest.start();
    }

    /** Offers {@code json} on {@code topic}, as client {@code plc-1} would publish it. */
    public void send(String topic, String json) {
      byte[] payload = json.getBytes(StandardCharsets.UTF_8);
      ingest.offer(new InboundMessage(topic, payload, 0, false, "plc-1", null, 0));
    }

    /** Sends a breach on {@link #TOPIC}; returns the event that raised its alarm, once published. */
    public Event raise() {
      send(TOPIC, "{\"value\": 30}");
      return await()
          .atMost(Duration.ofSeconds(10))
          .until(this::thresholdEvents, events -> !events.isEmpty())
          .get(0);
    }

    /** The threshold events published so far, in order. */
    List<Event> thresholdEvents() {
      return published.stream().filter(e -> e.category() == EventCategory.THRESHOLD).toList();
    }

    @Override
    public void close() {
      ingest.close();
      events.close();
      journal.close();
    }
  }
}
