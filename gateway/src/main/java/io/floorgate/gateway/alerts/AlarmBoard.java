package io.floorgate.gateway.alerts;

import io.floorgate.events.EventJson;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.EventTimestamps;
import io.floorgate.gateway.broker.MessagePublisher;
import io.floorgate.gateway.config.TopicTemplate;
import io.floorgate.rules.Rule;
import io.floorgate.rules.eval.AlarmSnapshot;
import io.floorgate.rules.eval.AlarmState;
import io.floorgate.rules.topic.TopicFilter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current state of every alarm, retained on {@code alarms/{rule_id}} (DESIGN §4) so that a
 * SCADA that connects late sees what is active now. A rule whose topic filter has wildcards has
 * one alarm per matching telemetry topic, appended to the alarm's topic. Back to normal and
 * acknowledged, the retained message is removed (an empty retained payload).
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
    String base = template.render(Map.of("rule_id", alarm.rule().id(), "gateway_id", gatewayId));
    return hasWildcard(alarm.rule()) ? base + "/" + alarm.topic() : base;
  }

  /** The alarm's severity: the rule's, else {@code default_alert_severity}. */
  public EventSeverity severityOf(Rule rule) {
    return rule.severity() == null ? defaultSeverity : EventSeverity.valueOf(rule.severity().name());
  }

  /** Publishes the alarm's state, retained; removes it when it is normal. */
  public void publish(AlarmSnapshot alarm) {
    String topic = topicFor(alarm);
    byte[] payload = alarm.state() == AlarmState.NORMAL ? REMOVE : EventJson.writeObject(toMap(alarm));
    if (!broker.publish(topic, payload, qos, true)) {
      LOG.warn("alarm state {} on '{}' was not delivered to every subscriber", alarm.state(), topic);
    }
  }

  /** The retained payload's fields. */
  public Map<String, Object> toMap(AlarmSnapshot alarm) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("rule_id", alarm.rule().id());
    map.put("topic", alarm.topic());
    map.put("state", alarm.state().value());
    map.put("severity", severityOf(alarm.rule()).value());
    map.put("value", alarm.value());
    map.put("since", EventTimestamps.format(Instant.ofEpochMilli(alarm.sinceMillis())));
    map.put("event_id", alarm.eventId());
    map.put("acknowledged_by", alarm.acknowledgedBy());
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
