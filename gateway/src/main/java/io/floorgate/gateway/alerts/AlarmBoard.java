package io.floorgate.gateway.alerts;

import io.floorgate.events.EventJson;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.EventTimestamps;
import io.floorgate.gateway.broker.MessagePublisher;
import io.floorgate.gateway.config.TopicTemplate;
import io.floorgate.rules.Limit;
import io.floorgate.rules.Rule;
import io.floorgate.rules.eval.AlarmSnapshot;
import io.floorgate.rules.eval.AlarmState;
import io.floorgate.rules.topic.TopicFilter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current state of every alarm, retained on {@code alarms/{rule_id}} (DESIGN §4) so that a
 * SCADA that connects late sees what is active now. A rule whose topic filter has wildcards has
 * one alarm per matching telemetry topic, appended to the alarm's topic. Back to normal and
 * acknowledged, the retained message is removed (an empty retained payload). A rule out of
 * service shows that on {@code alarms/{rule_id}} itself.
 *
 * <p>Retained states always go out with QoS >= 1: Moquette treats a QoS 0 retained publish as
 * "remove the retained message".
 */
public final class AlarmBoard {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmBoard.class);
  private static final byte[] REMOVE = new byte[0];

  private final TopicTemplate template;
  private final String gatewayId;
  private final int qos;
  private final MessagePublisher broker;
  private final EventSeverity defaultSeverity;

  public AlarmBoard(
      TopicTemplate template,
      String gatewayId,
      int qos,
      MessagePublisher broker,
      EventSeverity defaultSeverity) {
    this.template = template;
    this.gatewayId = gatewayId;
    this.qos = Math.max(1, qos);
    this.broker = broker;
    this.defaultSeverity = defaultSeverity;
  }

  /** The retained topic of {@code alarm}. */
  public String topicFor(AlarmSnapshot alarm) {
    return hasWildcard(alarm.rule()) ? ruleTopic(alarm.rule()) + "/" + alarm.topic() : ruleTopic(alarm.rule());
  }

  /** The rule's own alarm topic (without a telemetry topic appended). */
  public String ruleTopic(Rule rule) {
    return template.render(Map.of("rule_id", rule.id(), "gateway_id", gatewayId));
  }

  /** A limit's severity: its own, else {@code default_alert_severity}. */
  public EventSeverity severityOf(Limit limit) {
    return limit.severity() == null
        ? defaultSeverity
        : EventSeverity.valueOf(limit.severity().name());
  }

  /** Publishes the alarm's state, retained; removes it when it is normal. */
  public void publish(AlarmSnapshot alarm) {
    String topic = topicFor(alarm);
    byte[] payload =
        alarm.state() == AlarmState.NORMAL ? REMOVE : EventJson.writeObject(toMap(alarm));
    send(topic, payload, alarm.state());
  }

  /** Shows {@code rule} as out of service on its own alarm topic. */
  public void publishOutOfService(Rule rule, long sinceMillis) {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    map.put("rule_id", rule.id());
    map.put("topic", null);
    map.put("state", AlarmState.OUT_OF_SERVICE.value());
    map.put("severity", severityOf(rule.limits().get(0)).value());
    map.put("value", null);
    map.put("since", EventTimestamps.format(Instant.ofEpochMilli(sinceMillis)));
    map.put("event_id", null);
    map.put("acknowledged_by", null);
    send(ruleTopic(rule), EventJson.writeObject(map), AlarmState.OUT_OF_SERVICE);
  }

  /** Removes what {@link #publishOutOfService} showed (the rule is back, or gone). */
  public void removeRuleState(Rule rule) {
    send(ruleTopic(rule), REMOVE, AlarmState.NORMAL);
  }

  private void send(String topic, byte[] payload, AlarmState state) {
    if (!broker.publish(topic, payload, qos, true)) {
      LOG.warn("alarm state {} on '{}' was not delivered to every subscriber", state, topic);
    }
  }

  /** The retained payload's fields. */
  public Map<String, @Nullable Object> toMap(AlarmSnapshot alarm) {
    Limit limit = alarm.limit() != null ? alarm.limit() : alarm.rule().limits().get(0);
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    map.put("rule_id", alarm.rule().id());
    map.put("topic", alarm.topic());
    map.put("state", alarm.state().value());
    map.put("severity", severityOf(limit).value());
    map.put("value", alarm.value());
    map.put("since", EventTimestamps.format(Instant.ofEpochMilli(alarm.sinceMillis())));
    map.put("event_id", alarm.eventId());
    map.put("acknowledged_by", alarm.acknowledgedBy());
    if (alarm.rule().tiered()) {
      map.put("level", alarm.limit() == null ? null : alarm.limit().level());
    }
    if (alarm.rule().latch()) {
      map.put("latched", alarm.latched());
    }
    if (alarm.shelf() != null) {
      map.put(
          "shelved_until",
          EventTimestamps.format(Instant.ofEpochMilli(alarm.shelf().untilMillis())));
      map.put("shelved_by", alarm.shelf().by());
      map.put("shelved_reason", alarm.shelf().reason());
    }
    return map;
  }

  private static boolean hasWildcard(Rule rule) {
    for (String filter : rule.topics()) {
      if (TopicFilter.hasWildcard(filter)) {
        return true;
      }
    }
    return false;
  }
}
