package io.floorgate.gateway.ingest;

import io.floorgate.events.EventManager;
import io.floorgate.events.EventSeverity;
import io.floorgate.gateway.alerts.AlarmBoard;
import io.floorgate.gateway.config.IngestConfig;
import io.floorgate.gateway.config.TopicTemplate;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Ingests for tests, without a broker: the alarm states they publish go nowhere. */
final class Ingests {
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

  /** A new ingest, not started, with {@link #temperatureAbove25} and the defaults (1,000 queued). */
  static Ingest temperatureAlarms(EventManager events) {
    return ingest(
        config(1_000, IngestConfig.DEFAULT_QUEUE_BYTES, List.of(), IngestConfig.DEFAULT_MAX_JSON_DEPTH),
        temperatureAbove25(),
        events);
  }

  /** A new ingest, not started, acknowledging on {@code alerts/ack}. */
  static Ingest ingest(IngestConfig config, RuleSet rules, EventManager events) {
    AlarmBoard board =
        new AlarmBoard(
            TopicTemplate.parse("alarms/{rule_id}", Set.of("rule_id", "gateway_id")),
            "gw",
            1,
            (topic, payload, qos, retain) -> true,
            EventSeverity.WARNING);
    return new Ingest(
        config, List.of(), "alerts/ack", 65_536, rules, events, board, Clock.systemUTC());
  }
}
