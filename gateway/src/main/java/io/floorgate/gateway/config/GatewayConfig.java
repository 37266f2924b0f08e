package io.floorgate.gateway.config;

import io.floorgate.events.EventNotificationConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything the gateway needs to start, validated. Built by {@link ConfigLoader}; {@link
 * ConfigLoader#defaults()} gives the embedded defaults.
 *
 * @param source the file it was read from, if any
 * @param gatewayId names this gateway in topics and events
 * @param broker the embedded MQTT broker and its listeners
 * @param security users, ACL and who may connect anonymously
 * @param rules where the rules come from
 * @param ingest how telemetry is taken in
 * @param journal the event journal
 * @param alerts topics out and the ack topic
 * @param alertTopic {@code alerts.topic}, parsed
 * @param alarmTopic {@code alerts.alarm_topic}, parsed
 * @param eventNotification the seed's {@code EVENT_NOTIFICATION} block
 * @param admin the admin HTTP API
 * @param log how the gateway logs
 */
public record GatewayConfig(
    Optional<Path> source,
    String gatewayId,
    BrokerConfig broker,
    SecurityConfig security,
    RulesConfig rules,
    IngestConfig ingest,
    JournalConfig journal,
    AlertsConfig alerts,
    TopicTemplate alertTopic,
    TopicTemplate alarmTopic,
    EventNotificationConfig eventNotification,
    AdminConfig admin,
    LogConfig log) {

  /** Where the configuration came from, for logs: the file or "embedded defaults". */
  public String describeSource() {
    return source.map(Path::toString).orElse("embedded defaults");
  }
}
