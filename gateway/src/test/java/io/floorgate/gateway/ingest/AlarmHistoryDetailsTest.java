package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floorgate.events.EventJson;
import io.floorgate.events.ThresholdEvent;
import io.floorgate.events.UserActionEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alarm fields of a journaled event, read as a stream, mean what the event's JSON says. */
class AlarmHistoryDetailsTest {
  private static AlarmHistory.Details read(String json) throws IOException {
    return AlarmHistory.Details.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRaisedAlarmEvent_asTheGatewayWritesIt() throws IOException {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rule_id", "line1-temp");
    details.put("topic", "plant/line1/s1/temperature");
    details.put("level", "high");
    details.put("alarm_state", "active_unacknowledged");
    details.put("latched", true);
    byte[] json =
        EventJson.toBytes(
            ThresholdEvent.builder("temperature", 25.0, 26.5).details(details).build());

    AlarmHistory.Details d = AlarmHistory.Details.read(json);

    assertThat(d.ruleId).isEqualTo("line1-temp");
    assertThat(d.topic).isEqualTo("plant/line1/s1/temperature");
    assertThat(d.level).isEqualTo("high");
    assertThat(d.alarmState).isEqualTo("active_unacknowledged");
    assertThat(d.latched).isTrue();
    assertThat(d.actualValue).isEqualTo(26.5);
    assertThat(d.raisedEventId).isFalse();
  }

  @Test
  void anAcknowledgement_namesItsUserAndEvent() throws IOException {
    byte[] json =
        EventJson.toBytes(
            new UserActionEvent(
                "op-7", "acknowledge_event", Map.of("event_id", "e-1", "via", "mqtt")));

    AlarmHistory.Details d = AlarmHistory.Details.read(json);

    assertThat(d.action).isEqualTo("acknowledge_event");
    assertThat(d.userId).isEqualTo("op-7");
    assertThat(d.acknowledgedEventId).isEqualTo("e-1");
  }

  @Test
  void valuesOfAnotherType_countAsMissing() throws IOException {
    AlarmHistory.Details d =
        read(
            """
            {"event_id": "x", "details": {"rule_id": 7, "topic": ["a"], "alarm_state": null,
             "level": {"v": "high"}, "latched": "true", "actual_value": "26.5",
             "action_details": "e-1"}}
            """);

    assertThat(d.ruleId).isNull();
    assertThat(d.topic).isNull();
    assertThat(d.alarmState).isNull();
    assertThat(d.level).isNull();
    assertThat(d.latched).isFalse();
    assertThat(d.actualValue).isNull();
    assertThat(d.acknowledgedEventId).isNull();
  }

  @Test
  void raisedEventId_countsWhenPresentAndNotNull() throws IOException {
    assertThat(read("{\"details\": {\"raised_event_id\": \"e-1\"}}").raisedEventId).isTrue();
    assertThat(read("{\"details\": {\"raised_event_id\": {}}}").raisedEventId).isTrue();
    assertThat(read("{\"details\": {\"raised_event_id\": null}}").raisedEventId).isFalse();
    assertThat(read("{\"details\": {}}").raisedEventId).isFalse();
  }

  @Test
  void aRepeatedKey_keepsItsLastValue_andNestedDetailsAreNotTheEvents() throws IOException {
    AlarmHistory.Details d =
        read(
            """
            {"details": {"nested": {"details": {"rule_id": "inner"}}, "rule_id": "first",
              "rule_id": "last", "actual_value": 1, "actual_value": "none"},
             "message": {"details": {"topic": "not this"}}}
            """);

    assertThat(d.ruleId).isEqualTo("last");
    assertThat(d.actualValue).isNull();
    assertThat(d.topic).isNull();
    assertThat(read("{\"details\": {\"rule_id\": \"r\"}, \"details\": 5}")).isNull();
  }

  @Test
  void anEventWithoutDetailsObject_hasNone_andBrokenJsonIsAnError() throws IOException {
    assertThat(read("{\"event_id\": \"x\"}")).isNull();
    assertThat(read("{\"details\": [1, 2]}")).isNull();
    assertThatThrownBy(() -> read("[1]")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read("{\"details\": {\"rule_id\": \"r\"}"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read("{\"details\": {}} {}")).isInstanceOf(IOException.class);
  }
}
