package io.floorgate.gateway;

import static io.floorgate.gateway.GatewayFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.gateway.checkpoint.Checkpointer;
import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The gateway end to end: real MQTT clients over real sockets, a real journal. */
class GatewayIT {
  private static final String LINE_TEMP = GatewayFixture.LINE_TEMP_RULES;

  @TempDir Path dir;
  private GatewayFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static boolean isThreshold(Scada.Received r) {
    return r.topic().endsWith("/threshold");
  }

  @Test
  void breach_arrivesOnceOnTheSeverityTopic_thenAClearPastTheDeadband() {
    fixture = GatewayFixture.start(dir, LINE_TEMP);
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient device = fixture.device("sensor-1");

    publish(device, "plant/line1/s1/temperature",
        "{\"value\": 26.5, \"ts\": \"2026-11-29T10:00:00Z\", \"seq\": 17}");
    publish(device, "plant/line1/s1/temperature", "{\"value\": 27.0, \"seq\": 18}");
    publish(device, "plant/line1/s1/temperature", "{\"value\": 24.8, \"seq\": 19}");
    publish(device, "plant/line1/s1/temperature", "{\"value\": 24.4, \"seq\": 20}");

    Scada.Received clear = scada.awaitMessage("alerts/info/threshold", "returned to normal");
    List<Scada.Received> breaches = scada.on("alerts/warning/threshold");
    assertThat(breaches).hasSize(1);
    Map<String, Object> event = breaches.get(0).json();
    assertThat(event.keySet())
        .containsExactly(
            "event_id", "timestamp", "category", "severity", "source", "message", "details",
            "acknowledged");
    assertThat(event)
        .containsEntry("category", "threshold")
        .containsEntry("severity", "warning")
        .containsEntry("source", "digital_twin")
        .containsEntry("message", "Threshold breach: Line temperature exceeded 25.0 with value 26.5")
        .containsEntry("acknowledged", false);
    assertThat(breaches.get(0).details())
        .containsEntry("parameter", "Line temperature")
        .containsEntry("threshold", 25.0)
        .containsEntry("actual_value", 26.5)
        .containsEntry("parameter_path", "value")
        .containsEntry("state_timestamp", "2026-11-29T10:00:00Z")
        .containsEntry("rule_id", "line-temp")
        .containsEntry("topic", "plant/line1/s1/temperature")
        .containsEntry("comparison", "greater_than")
        .containsEntry("seq", 17L);
    assertThat(clear.details())
        .containsEntry("actual_value", 24.4)
        .containsEntry("seq", 20L)
        .containsEntry("raised_event_id", event.get("event_id"));
    assertThat(fixture.gateway.events().getEvents(EventCategory.THRESHOLD, null, 0)).hasSize(2);
  }

  @Test
  void onDelay_suppressesAShortSpike_andRaisesOnTimeWhenTheBreachHolds() {
    fixture =
        GatewayFixture.start(
            dir,
            """
            rules:
              - id: oven
                topic: plant/oven/temperature
                comparison: greater_than
                value: 200
                on_delay: 400ms
            """);
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient device = fixture.device("oven");

    publish(device, "plant/oven/temperature", "250");
    publish(device, "plant/oven/temperature", "150");
    await()
        .during(Duration.ofMillis(800))
        .atMost(Duration.ofSeconds(2))
        .until(() -> scada.matching(GatewayIT::isThreshold).isEmpty());

    publish(device, "plant/oven/temperature", "260");
    Scada.Received raised = scada.await(GatewayIT::isThreshold);
    assertThat(raised.details()).containsEntry("actual_value", 260.0);
  }

  @Test
  void everySample_emitsAnEventPerBreachingSample() {
    fixture =
        GatewayFixture.start(
            dir,
            """
            rules:
              - id: pressure
                topic: plant/press/pressure
                comparison: greater_or_equal
                value: 5
                mode: every_sample
                severity: critical
            """);
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient device = fixture.device("press");

    for (String value : List.of("5", "6", "4", "7", "1")) {
      publish(device, "plant/press/pressure", "{\"value\": " + value + "}");
    }
    publish(device, "plant/press/pressure", "{\"value\": 9, \"seq\": 99}");

    scada.await(r -> r.payload().contains("\"seq\":99"));
    assertThat(scada.on("alerts/critical/threshold"))
        .extracting(r -> r.details().get("actual_value"))
        .containsExactly(5.0, 6.0, 7.0, 9.0);
  }

  @Test
  void mqtt31AndMqtt311Devices_bothWork() throws Exception {
    fixture = GatewayFixture.start(dir, LINE_TEMP);
    Scada scada = fixture.scada("scada", "alerts/#");
    org.eclipse.paho.client.mqttv3.MqttClient paho31 =
        new org.eclipse.paho.client.mqttv3.MqttClient(
            "tcp://127.0.0.1:" + fixture.port(), "plc-31", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
    paho31.connect(options);
    try {
      paho31.publish("plant/line1/old-plc/temperature", "30.5".getBytes(StandardCharsets.UTF_8), 1, false);
      publish(fixture.device("sensor-311"), "plant/line1/new-sensor/temperature", "31.5");

      scada.await(r -> r.payload().contains("old-plc"));
      scada.await(r -> r.payload().contains("new-sensor"));
    } finally {
      paho31.disconnect();
      paho31.close();
    }
  }

  @Test
  void aClientThatSendsSubscribeAndPublishRightBehindItsConnect_isServed() throws Exception {
    // MQTT 3.1.1 lets a client send packets without waiting for the CONNACK; embedded
    // controllers do. Moquette 0.17 alone would drop such a connection at its SUBSCRIBE.
    fixture = GatewayFixture.start(dir, LINE_TEMP);
    EmbeddedChannel codec = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);
    codec.writeOutbound(
        MqttMessageBuilders.connect()
            .clientId("pipelining-plc")
            .protocolVersion(MqttVersion.MQTT_3_1_1)
            .cleanSession(true)
            .keepAlive(30)
            .build(),
        MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_MOST_ONCE, "alerts/#").build(),
        MqttMessageBuilders.publish()
            .topicName("plant/line1/pipelined/temperature")
            .qos(MqttQoS.AT_LEAST_ONCE)
            .messageId(2)
            .payload(Unpooled.copiedBuffer("30.5", StandardCharsets.UTF_8))
            .build());
    ByteArrayOutputStream packets = new ByteArrayOutputStream();
    for (ByteBuf encoded; (encoded = codec.readOutbound()) != null; encoded.release()) {
      encoded.readBytes(packets, encoded.readableBytes());
    }
    List<MqttMessage> answers = new ArrayList<>();
    try (Socket socket = new Socket("127.0.0.1", fixture.port())) {
      socket.getOutputStream().write(packets.toByteArray()); // one write: CONNECT, SUBSCRIBE, PUBLISH
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                int n = in.read(buffer);
                if (n < 0) {
                  throw new AssertionError("the gateway closed the connection; got " + answers);
                }
                codec.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
                for (MqttMessage m; (m = codec.readInbound()) != null; ) {
                  answers.add(m);
                }
                return answers.stream().anyMatch(m -> m.fixedHeader().messageType() == MqttMessageType.PUBLISH);
              });
    } finally {
      codec.finishAndReleaseAll();
    }
    assertThat(answers)
        .extracting(m -> m.fixedHeader().messageType())
        .startsWith(MqttMessageType.CONNACK)
        .contains(MqttMessageType.SUBACK, MqttMessageType.PUBACK, MqttMessageType.PUBLISH);
    assertThat(((MqttConnAckMessage) answers.get(0)).variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    MqttPublishMessage alert =
        (MqttPublishMessage)
            answers.stream()
                .filter(m -> m.fixedHeader().messageType() == MqttMessageType.PUBLISH)
                .findFirst()
                .orElseThrow();
    assertThat(alert.variableHeader().topicName()).isEqualTo("alerts/warning/threshold");
    assertThat(alert.payload().toString(StandardCharsets.UTF_8)).contains("plant/line1/pipelined/temperature");
  }

  @Test
  void mqtt5Device_isRefusedAndTheLogSaysWhy() {
    fixture = GatewayFixture.start(dir, LINE_TEMP);
    Logger brokerLog = (Logger) LoggerFactory.getLogger("io.floorgate.gateway.broker.Broker");
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    brokerLog.addAppender(log);
    try {
      Mqtt5BlockingClient v5 =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("modern-device")
              .serverHost("127.0.0.1")
              .serverPort(fixture.port())
              .buildBlocking();

      assertThatThrownBy(v5::connect).isInstanceOf(RuntimeException.class);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  log.list.stream()
                      .anyMatch(
                          e ->
                              e.getFormattedMessage().contains("refused MQTT client 'modern-device'")
                                  && e.getFormattedMessage().contains("MQTT 3.1 and 3.1.1 only")));
    } finally {
      brokerLog.detachAppender(log);
    }
    publish(fixture.device("still-served"), "plant/l/s/temperature", "26");
  }

  @Test
  void retainedAlarmState_isSeenByALateSubscriber_andRemovedOnceNormalAndAcknowledged() {
    fixture = GatewayFixture.start(dir, LINE_TEMP);
    Scada alerts = fixture.scada("alerts", "alerts/#");
    Mqtt3BlockingClient device = fixture.device("sensor-1");
    publish(device, "plant/line1/s1/temperature", "26.5");
    String eventId = (String) alerts.await(GatewayIT::isThreshold).json().get("event_id");

    // Only a retained message reaches a subscriber that arrives after the fact. (Moquette 0.17
    // delivers it with the RETAIN flag cleared; see the README.)
    Scada late = fixture.scada("late-scada", "alarms/#");
    Scada.Received state = late.await(r -> r.payload().contains("active_unacknowledged"));
    assertThat(state.topic()).isEqualTo("alarms/line-temp/plant/line1/s1/temperature");
    assertThat(state.json())
        .containsEntry("rule_id", "line-temp")
        .containsEntry("topic", "plant/line1/s1/temperature")
        .containsEntry("state", "active_unacknowledged")
        .containsEntry("severity", "warning")
        .containsEntry("value", 26.5)
        .containsEntry("event_id", eventId)
        .containsEntry("acknowledged_by", null)
        .containsKey("since");

    publish(device, "plant/line1/s1/temperature", "20");
    late.await(r -> r.payload().contains("returned_unacknowledged"));
    publish(fixture.device("hmi"), "alerts/ack",
        "{\"event_id\": \"" + eventId + "\", \"user_id\": \"op-7\"}");
    late.await(r -> r.payload().isEmpty());

    Scada later = fixture.scada("later-scada", "alarms/#");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> later.received().isEmpty());
  }

  @Test
  void ackViaMqtt_marksTheEventAcknowledged_inGetEventsAndTheJournal_andAnnouncesWho() {
    fixture = GatewayFixture.start(dir, LINE_TEMP);
    Scada scada = fixture.scada("scada", "alerts/#");
    publish(fixture.device("sensor-1"), "plant/line1/s1/temperature", "26.5");
    String eventId = (String) scada.await(GatewayIT::isThreshold).json().get("event_id");

    publish(fixture.device("hmi"), "alerts/ack",
        "{\"event_id\": \"" + eventId + "\", \"user_id\": \"op-7\"}");

    Scada.Received action = scada.await(r -> r.topic().equals("alerts/info/user"));
    assertThat(action.json())
        .containsEntry("message", "User op-7 performed action: acknowledge_event")
        .containsEntry("source", "floorgate");
    assertThat(action.details()).containsEntry("user_id", "op-7");
    assertThat(fixture.gateway.events().getEvent(eventId)).get().extracting(Event::acknowledged).isEqualTo(true);
    List<JournalRecord> records = new ArrayList<>();
    try (JournalReader reader = fixture.gateway.journal().reader()) {
      for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        records.add(e.get().record());
      }
    }
    assertThat(records)
        .anyMatch(r -> r instanceof JournalRecord.AckRecord ack && ack.eventId().equals(eventId));
  }

  @Test
  void badAckCommands_getErrorEvents_notACrash() {
    fixture = GatewayFixture.start(dir, LINE_TEMP);
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient hmi = fixture.device("hmi");

    publish(hmi, "alerts/ack", "ack it please");
    publish(hmi, "alerts/ack", "{\"event_id\": 42}");
    publish(hmi, "alerts/ack", "{\"event_id\": \"no-such-event\", \"user_id\": \"op-7\"}");

    scada.awaitMessage("alerts/warning/error", "rejected as not_json");
    scada.awaitMessage("alerts/warning/error", "rejected as bad_command");
    scada.awaitMessage("alerts/warning/error", "rejected as unknown_event");
    publish(fixture.device("sensor-1"), "plant/line1/s1/temperature", "26.5");
    scada.await(GatewayIT::isThreshold);
  }

  @Test
  void garbagePayloads_produceNoThresholdEvents_andTheGatewayKeepsServing() {
    fixture = GatewayFixture.start(dir, LINE_TEMP, "max_payload_bytes: 1024", "");
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient device = fixture.device("noisy");
    String topic = "plant/line1/s1/temperature";

    publish(device, topic, "this is not json");
    publish(device, topic, "NaN");
    publish(device, topic, "{\"value\": NaN}");
    publish(device, topic, "1e999");
    publish(device, topic, "{\"value\": \"hot\"}");
    publish(device, topic, "{\"temperature\": 30}");
    publish(device, topic, "");
    publish(device, topic, "{\"value\": 30, \"pad\": \"" + "x".repeat(1500) + "\"}");
    publish(device, topic, "[".repeat(1000));
    // Larger than the broker accepts at all: the broker closes this client's connection.
    Mqtt3BlockingClient huge = fixture.device("huge");
    try {
      publish(huge, topic, "9".repeat(10_000));
    } catch (RuntimeException expected) {
      // the connection may already be closed
    }
    publish(fixture.device("after"), "plant/line2/s9/temperature", "{\"value\": 26.0, \"seq\": 1}");

    Scada.Received breach = scada.await(GatewayIT::isThreshold);
    assertThat(breach.details()).containsEntry("topic", "plant/line2/s9/temperature");
    assertThat(scada.matching(GatewayIT::isThreshold)).hasSize(1);
    var rejections = fixture.gateway.ingest().rejections();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(rejections.total(Rejection.NOT_JSON)).isGreaterThanOrEqualTo(3);
              assertThat(rejections.total(Rejection.TOO_COMPLEX)).isEqualTo(1);
              assertThat(rejections.total(Rejection.NOT_A_NUMBER)).isGreaterThanOrEqualTo(2);
              assertThat(rejections.total(Rejection.MISSING_VALUE)).isEqualTo(1);
              assertThat(rejections.total(Rejection.EMPTY)).isEqualTo(1);
              assertThat(rejections.total(Rejection.TOO_LARGE)).isEqualTo(1);
            });
    scada.awaitMessage("alerts/warning/error", "rejected as not_json");
  }

  @Test
  void twinState_seedThresholdsAndSystemStatusChanges_becomeEvents() {
    fixture =
        GatewayFixture.start(
            dir,
            """
            PARAMETER_THRESHOLDS:
              production_line.temperature:
                name: Production Line Temperature
                value: 25.0
                comparison: greater_than
                severity: WARNING
            """);
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient twin = fixture.device("twin");

    publish(twin, "twin/line1/state",
        "{\"system_status\": \"running\", \"timestamp\": \"2025-02-24T14:30:22.123456\","
            + " \"production_line\": {\"temperature\": 26.5}}");
    publish(twin, "twin/line1/state", "{\"system_status\": \"idle\"}");

    Scada.Received breach = scada.await(GatewayIT::isThreshold);
    assertThat(breach.json())
        .containsEntry("message",
            "Threshold breach: Production Line Temperature exceeded 25.0 with value 26.5");
    assertThat(breach.details())
        .containsEntry("parameter_path", "production_line.temperature")
        .containsEntry("state_timestamp", "2025-02-24T14:30:22.123456")
        .containsEntry("rule_id", "production_line.temperature")
        .containsEntry("topic", "twin/line1/state");
    scada.awaitMessage("alerts/info/system", "System state changed from unknown to running");
    scada.awaitMessage("alerts/info/system", "System state changed from running to idle");
    assertThat(fixture.gateway.ingest().rejections().total(Rejection.MISSING_VALUE)).isZero();
  }

  @Test
  void simulationAndOptimizationTopics_becomeTheSeedsEvents() {
    fixture = GatewayFixture.start(dir, LINE_TEMP);
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient twin = fixture.device("twin");

    publish(twin, "twin/line1/simulation",
        "{\"simulation_id\": \"sim-7\", \"parameters\": {\"speed\": 3},"
            + " \"results\": {\"yield\": 0.97}, \"improvement\": 4.256}");
    publish(twin, "twin/line1/optimization",
        "{\"optimization_type\": \"energy\", \"potential_improvement\": 12.345,"
            + " \"recommended_action\": \"Lower the setpoint\"}");

    Scada.Received simulation =
        scada.awaitMessage("alerts/info/process", "Simulation sim-7 completed with 4.26% improvement");
    assertThat(simulation.details())
        .containsEntry("parameters", Map.of("speed", 3L))
        .containsEntry("results_summary", Map.of("yield", 0.97));
    scada.awaitMessage(
        "alerts/info/optimization", "Optimization opportunity: energy with 12.35% improvement potential");
  }

  @Test
  void restart_keepsActiveAlarms_soTheyClearWhenTheValueReturns() {
    String eventId;
    try (GatewayFixture before = GatewayFixture.start(dir, LINE_TEMP)) {
      Scada scada = before.scada("scada", "alerts/#");
      publish(before.device("sensor-1"), "plant/line1/s1/temperature", "26.5");
      eventId = (String) scada.await(GatewayIT::isThreshold).json().get("event_id");
      publish(before.device("hmi"), "alerts/ack",
          "{\"event_id\": \"" + eventId + "\", \"user_id\": \"op-7\"}");
      scada.await(r -> r.topic().equals("alerts/info/user"));
    }

    // The clean stop left a checkpoint; the restart reads it and nothing of the journal.
    assertThat(dir.resolve("journal").resolve(Checkpointer.FILE)).isRegularFile();
    Logger recoveryLog = (Logger) LoggerFactory.getLogger(Checkpointer.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    recoveryLog.addAppender(log);
    try {
      fixture = GatewayFixture.start(dir, LINE_TEMP);
    } finally {
      recoveryLog.detachAppender(log);
    }
    assertThat(log.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("1 open alarm(s) from the checkpoint")
                    .contains("the 0 record(s) after it"));
    Scada alarms = fixture.scada("alarms", "alarms/#");
    Scada.Received state = alarms.await(r -> r.payload().contains("active_acknowledged"));
    assertThat(state.json())
        .containsEntry("event_id", eventId)
        .containsEntry("acknowledged_by", "op-7");

    Scada scada = fixture.scada("scada", "alerts/#");
    publish(fixture.device("sensor-1"), "plant/line1/s1/temperature", "24.0");
    Scada.Received clear = scada.awaitMessage("alerts/info/threshold", "returned to normal");
    assertThat(clear.details()).containsEntry("raised_event_id", eventId);
    alarms.await(r -> r.payload().isEmpty());
    assertThat(scada.on("alerts/warning/threshold")).isEmpty();
  }

  @Test
  void restart_keepsWhatDevicesRetained_andShowsEachAlarmStateOnce() {
    try (GatewayFixture before = GatewayFixture.start(dir, LINE_TEMP)) {
      Mqtt3BlockingClient press = before.device("press-7");
      press
          .publishWith()
          .topic("plant/line1/press-7/status")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retain(true)
          .payload("running".getBytes(StandardCharsets.UTF_8))
          .send();
      Scada alarms = before.scada("alarms", "alarms/#");
      publish(before.device("sensor-1"), "plant/line1/s1/temperature", "26.5");
      alarms.await(r -> r.payload().contains("active_unacknowledged"));
    }

    fixture = GatewayFixture.start(dir, LINE_TEMP);
    // The device's retained message is Moquette's to keep; the alarm state is the gateway's,
    // published again from the journal (held in memory only, see OwnedRetained).
    Scada status = fixture.scada("hmi", "plant/+/press-7/status");
    assertThat(status.await(r -> true).payload()).isEqualTo("running");
    Scada alarms = fixture.scada("late-scada", "alarms/#");
    alarms.await(r -> r.payload().contains("active_unacknowledged"));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> alarms.received().size() == 1);
  }

  @Test
  void rejectionsNotYetReported_areReportedWhenTheGatewayStops() {
    try (GatewayFixture before = GatewayFixture.start(dir, LINE_TEMP)) {
      Mqtt3BlockingClient device = before.device("sensor-1");
      var rejections = before.gateway.ingest().rejections();
      publish(device, "plant/line1/s1/temperature", "warm");
      // The first rejection is reported at once; the next ones wait for the interval (60 s).
      await().atMost(Duration.ofSeconds(5)).until(() -> rejectedInputReports(before).size() == 1);
      publish(device, "plant/line1/s1/temperature", "warmer");
      publish(device, "plant/line1/s1/temperature", "hot");
      await().atMost(Duration.ofSeconds(5)).until(() -> rejections.total(Rejection.NOT_JSON) == 3);
      assertThat(rejectedInputReports(before)).hasSize(1);
    }

    // The stop reported the two waiting ones; the restarted gateway's window has it from the journal.
    fixture = GatewayFixture.start(dir, LINE_TEMP);
    List<Event> reports = rejectedInputReports(fixture);
    assertThat(reports).hasSize(2);
    assertThat(reports.get(1).details())
        .containsEntry("reason", "not_json")
        .containsEntry("count", 2L)
        .containsEntry("total", 3L);
  }

  private static List<Event> rejectedInputReports(GatewayFixture gateway) {
    return gateway.gateway.events().getEvents(EventCategory.ERROR, null, 0).stream()
        .filter(e -> "RejectedInput".equals(e.details().get("error_type")))
        .sorted(java.util.Comparator.comparing(e -> (Long) e.details().get("total")))
        .toList();
  }

  @Test
  void persistenceDisabled_publishesAlertsDirectly() {
    fixture =
        GatewayFixture.start(dir, LINE_TEMP, "EVENT_NOTIFICATION:\n  persistence_enabled: false\n");
    Scada scada = fixture.scada("scada", "alerts/#");

    publish(fixture.device("sensor-1"), "plant/line1/s1/temperature", "26.5");

    scada.await(GatewayIT::isThreshold);
    assertThat(fixture.gateway.journal()).isNull();
  }
}
