package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.floorgate.events.Event;
import io.floorgate.gateway.broker.security.PasswordHash;
import io.floorgate.gateway.ingest.Rejection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Authentication and authorization end to end: a gateway listening on 0.0.0.0 (clients connect to
 * 127.0.0.1 only) with a password file and the shipped role ACL (config/examples/acl), and real
 * MQTT 3.1.1 clients (HiveMQ, Paho).
 */
class SecurityIT {
  private static final String RULES =
      """
      rules:
        - id: temp
          topic: plant/+/temperature
          comparison: greater_than
          value: 25.0
          severity: warning
      """;

  @TempDir Path dir;
  private GatewayFixture fixture;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void stop() {
    for (AutoCloseable c : opened) {
      try {
        c.close();
      } catch (Exception ignored) {
        // already gone
      }
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Writes the password file (admin, scada, press-7, press-8) and starts the gateway. */
  private GatewayFixture start(String brokerYaml, String securityYaml) throws IOException {
    Path passwd = dir.resolve("passwd");
    StringBuilder text = new StringBuilder("# test users\n");
    for (String user : List.of("admin", "scada", "press-7", "press-8")) {
      text.append(user)
          .append(':')
          .append(
              PasswordHash.Pbkdf2.create(
                      (user + "-pw").getBytes(StandardCharsets.UTF_8), 101, new SecureRandom())
                  .encode())
          .append('\n');
    }
    Files.writeString(passwd, text);
    fixture =
        GatewayFixture.start(
            dir,
            RULES,
            "host: 0.0.0.0\n" + brokerYaml,
            """
            security:
              password_file: %s
              acl_file: %s
            """
                    .formatted(passwd, shippedAcl())
                + securityYaml.indent(2));
    return fixture;
  }

  private GatewayFixture start() throws IOException {
    return start("", "");
  }

  static Path shippedAcl() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("config/examples/acl"))) {
        return d.resolve("config/examples/acl");
      }
    }
    throw new AssertionError("config/examples/acl not found");
  }

  private Mqtt3BlockingClient client(String id) {
    return MqttClient.builder()
        .useMqttVersion3()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(fixture.port())
        .buildBlocking();
  }

  /** Connects as {@code user} (password {@code user-pw} unless given); null = anonymous. */
  private Mqtt3BlockingClient login(String id, @Nullable String user, @Nullable String password) {
    Mqtt3BlockingClient c = client(id);
    if (user == null) {
      c.connect();
    } else {
      c.connectWith()
          .simpleAuth()
          .username(user)
          .password((password == null ? user + "-pw" : password).getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth()
          .send();
    }
    opened.add(() -> {
      if (c.getState().isConnected()) {
        c.disconnect();
      }
    });
    return c;
  }

  private Mqtt3BlockingClient login(String user) {
    return login(user + "-client", user, null);
  }

  private Mqtt3ConnAckReturnCode refused(String id, @Nullable String user, @Nullable String password) {
    Throwable thrown = null;
    try {
      login(id, user, password);
    } catch (Mqtt3ConnAckException e) {
      thrown = e;
    }
    assertThat(thrown).as("the CONNECT must be refused").isInstanceOf(Mqtt3ConnAckException.class);
    return ((Mqtt3ConnAckException) thrown).getMqttMessage().getReturnCode();
  }

  private Scada scada(String id, String user, String filter) {
    Scada s = Scada.connect(id, fixture.port(), filter, user, user + "-pw");
    opened.add(s);
    return s;
  }

  private static void publish(Mqtt3BlockingClient c, String topic, String payload, MqttQos qos) {
    c.publishWith().topic(topic).qos(qos).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
  }

  /** The SUBACK return codes (HiveMQ throws when every code is a failure; that is an answer). */
  private static List<Mqtt3SubAckReturnCode> subscribe(Mqtt3BlockingClient c, String filter) {
    try {
      return c.subscribeWith().topicFilter(filter).send().getReturnCodes();
    } catch (Mqtt3SubAckException refused) {
      return refused.getMqttMessage().getReturnCodes();
    }
  }

  private long total(Rejection reason) {
    return fixture.gateway.ingest().rejections().total(reason);
  }

  private static ListAppender<ILoggingEvent> captureBrokerLog() {
    Logger log = (Logger) LoggerFactory.getLogger("io.floorgate.gateway.broker.Broker");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    return appender;
  }

  private static void release(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger("io.floorgate.gateway.broker.Broker")).detachAppender(appender);
  }

  // --- authentication -----------------------------------------------------------------------

  @Test
  void deviceWithItsPassword_publishesUnderItsPrefix_andScadaSeesTheAlarm() throws IOException {
    start();
    Scada scada = scada("ignition", "scada", "alerts/#");
    Mqtt3BlockingClient press = login("press-7");

    publish(press, "plant/press-7/temperature", "26.5", MqttQos.AT_LEAST_ONCE);

    Scada.Received alert = scada.await(r -> r.topic().equals("alerts/warning/threshold"));
    assertThat(alert.details()).containsEntry("topic", "plant/press-7/temperature");
  }

  @Test
  void wrongPassword_isRefusedAsBadCredentials_loggedOnceOnOneLineWithoutThePassword()
      throws IOException {
    start();
    ListAppender<ILoggingEvent> log = captureBrokerLog();
    try {
      assertThat(refused("intruder", "press-7", "s3cr3t-guess"))
          .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);

      await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.WRONG_PASSWORD) == 1);
      List<String> lines =
          log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("login refused")).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0))
          .contains("client 'intruder'", "user 'press-7'", "wrong password", "127.0.0.1")
          .doesNotContain("s3cr3t-guess")
          .doesNotContain("\n");
    } finally {
      release(log);
    }
    assertThat(fixture.gateway.broker().refusedLogins()).isEqualTo(1);
  }

  @Test
  void unknownUser_isRefusedWithTheSameCodeAsAWrongPassword() throws IOException {
    start();

    assertThat(refused("x", "mallory", "whatever")).isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.UNKNOWN_USER) == 1);
  }

  @Test
  void anonymousClient_onANonLoopbackListener_isRefusedAsNotAuthorized() throws IOException {
    start();

    assertThat(refused("anon", null, null)).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED);
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.ANONYMOUS_REFUSED) == 1);
  }

  @Test
  void userNameWithoutPassword_isRefused() throws IOException {
    start();
    Mqtt3BlockingClient c = client("half");

    assertThatThrownBy(() -> c.connectWith().simpleAuth().username("press-7").applySimpleAuth().send())
        .isInstanceOf(Mqtt3ConnAckException.class)
        .hasMessageContaining("BAD_USER_NAME_OR_PASSWORD");
  }

  @Test
  void allowAnonymousTrue_letsAnonymousClientsIn_underTheAnonymousAclLines_andWarnsAtStart()
      throws IOException {
    ListAppender<ILoggingEvent> log = captureBrokerLog();
    try {
      start("", "allow_anonymous: true\n");
      assertThat(log.list)
          .anySatisfy(
              e -> {
                assertThat(e.getLevel().toString()).isEqualTo("WARN");
                assertThat(e.getFormattedMessage())
                    .contains("security.allow_anonymous is true", "0.0.0.0");
              });
    } finally {
      release(log);
    }
    Mqtt3BlockingClient anonymous = login("anon", null, null);
    // The shipped ACL grants anonymous clients nothing.
    assertThat(subscribe(anonymous, "alerts/#")).containsExactly(Mqtt3SubAckReturnCode.FAILURE);
  }

  @Test
  void userNameOnTheLoopbackQuickStart_isRefused_becauseNothingCanVerifyIt() {
    fixture = GatewayFixture.start(dir, RULES);

    assertThat(refused("claims-admin", "admin", "anything"))
        .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.UNVERIFIABLE_USER) == 1);
    // Anonymous clients are fine there.
    fixture.device("anon");
  }

  @Test
  void passwordFileWrittenByMosquittoPasswd_logsItsUsersIn() throws Exception {
    Path tool = Path.of("/usr/bin/mosquitto_passwd");
    assumeThat(Files.isExecutable(tool))
        .as("needs Debian's mosquitto package (.ci/run installs it)")
        .isTrue();
    Path passwd = dir.resolve("mosquitto.passwd");
    run(tool.toString(), "-c", "-b", passwd.toString(), "press-7", "from-mosquitto");
    run(tool.toString(), "-H", "sha512", "-b", passwd.toString(), "scada", "old-style");
    fixture =
        GatewayFixture.start(
            dir,
            RULES,
            "host: 0.0.0.0",
            "security:\n  password_file: %s\n  acl_file: %s\n".formatted(passwd, shippedAcl()));

    Mqtt3BlockingClient press = login("p7", "press-7", "from-mosquitto");
    Mqtt3BlockingClient scada = login("s", "scada", "old-style");
    assertThat(press.getState().isConnected()).isTrue();
    assertThat(scada.getState().isConnected()).isTrue();
    assertThat(refused("p7b", "press-7", "wrong")).isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
  }

  @Test
  void pahoClients_logInWithMqtt311AndMqtt31() throws Exception {
    start();
    for (int version : new int[] {MqttConnectOptions.MQTT_VERSION_3_1_1, MqttConnectOptions.MQTT_VERSION_3_1}) {
      org.eclipse.paho.client.mqttv3.MqttClient paho =
          new org.eclipse.paho.client.mqttv3.MqttClient(
              "tcp://127.0.0.1:" + fixture.port(), "paho-" + version, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(version);
      options.setUserName("press-8");
      options.setPassword("press-8-pw".toCharArray());
      paho.connect(options);
      paho.publish("plant/press-8/temperature", "20".getBytes(StandardCharsets.UTF_8), 1, false);
      paho.disconnect();
      paho.close();

      options.setPassword("nope".toCharArray());
      org.eclipse.paho.client.mqttv3.MqttClient bad =
          new org.eclipse.paho.client.mqttv3.MqttClient(
              "tcp://127.0.0.1:" + fixture.port(), "paho-bad-" + version, new MemoryPersistence());
      assertThatThrownBy(() -> bad.connect(options))
          .isInstanceOf(MqttException.class)
          .satisfies(e -> assertThat(((MqttException) e).getReasonCode())
              .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
      bad.close();
    }
  }

  // --- authorization ------------------------------------------------------------------------

  @Test
  void devicePublishingOutsideItsPrefix_isDropped_counted_andEvaluatesNothing() throws IOException {
    start();
    Scada admin = scada("explorer", "admin", "#");
    Scada scada = scada("ignition", "scada", "alerts/#");
    Mqtt3BlockingClient press = login("press-7");

    publish(press, "plant/press-8/temperature", "99", MqttQos.AT_MOST_ONCE);
    publish(press, "alerts/critical/threshold", "{\"fake\": true}", MqttQos.AT_MOST_ONCE);
    publish(press, "plant/press-7/status", "ok", MqttQos.AT_LEAST_ONCE);

    admin.await(r -> r.topic().equals("plant/press-7/status"));
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.PUBLISH_DENIED) == 2);
    assertThat(admin.on("plant/press-8/temperature")).isEmpty();
    assertThat(admin.matching(r -> r.payload().contains("fake"))).isEmpty();
    assertThat(scada.matching(r -> r.topic().endsWith("/threshold"))).isEmpty();
    assertThat(press.getState().isConnected()).isTrue();
  }

  @Test
  void deviceSubscribingToEverything_isRefusedWithSubackFailure() throws IOException {
    start();
    Mqtt3BlockingClient press = login("press-7");

    assertThat(subscribe(press, "#")).containsExactly(Mqtt3SubAckReturnCode.FAILURE);
    assertThat(subscribe(press, "alerts/#")).containsExactly(Mqtt3SubAckReturnCode.FAILURE);
    assertThat(press.getState().isConnected()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.SUBSCRIBE_DENIED) == 2);
  }

  @Test
  void scada_acknowledgesAnAlarm_butMayNotPublishTelemetry() throws IOException {
    start();
    Scada scada = scada("ignition", "scada", "alerts/#");
    Mqtt3BlockingClient scadaWriter = login("ignition-cmd", "scada", null);
    Mqtt3BlockingClient press = login("press-7");
    publish(press, "plant/press-7/temperature", "30", MqttQos.AT_LEAST_ONCE);
    Scada.Received alert = scada.await(r -> r.topic().equals("alerts/warning/threshold"));
    String eventId = (String) alert.json().get("event_id");

    publish(scadaWriter, "alerts/ack", "{\"event_id\": \"" + eventId + "\", \"user_id\": \"op-7\"}",
        MqttQos.AT_LEAST_ONCE);
    publish(scadaWriter, "plant/press-7/temperature", "99", MqttQos.AT_MOST_ONCE);

    scada.awaitMessage("alerts/info/user", "op-7");
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.PUBLISH_DENIED) == 1);
    assertThat(fixture.gateway.events().getEvents(null, null, 0).stream()
            .filter(e -> e.eventId().equals(eventId)).map(Event::acknowledged))
        .containsExactly(true);
  }

  @Test
  void willMessageOnAForbiddenTopic_isRefusedAtConnect() throws IOException {
    start();
    Mqtt3BlockingClient c = client("sneaky");

    assertThatThrownBy(
            () ->
                c.connectWith()
                    .simpleAuth().username("press-7").password("press-7-pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .willPublish().topic("alerts/critical/threshold").payload("{}".getBytes(StandardCharsets.UTF_8)).applyWillPublish()
                    .send())
        .isInstanceOf(Mqtt3ConnAckException.class)
        .hasMessageContaining("NOT_AUTHORIZED");
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.WILL_DENIED) == 1);
    // A will under its own prefix is fine.
    Mqtt3BlockingClient ok = client("honest");
    ok.connectWith()
        .simpleAuth().username("press-7").password("press-7-pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
        .willPublish().topic("plant/press-7/status").payload("gone".getBytes(StandardCharsets.UTF_8)).applyWillPublish()
        .send();
    ok.disconnect();
  }

  // --- limits -------------------------------------------------------------------------------

  @Test
  void overlongClientId_isRefusedAsIdentifierRejected() throws IOException {
    start("max_client_id_length: 23\n", "");

    assertThat(refused("x".repeat(24), "press-7", "press-7-pw"))
        .isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED);
    assertThat(login("y".repeat(23), "press-7", null).getState().isConnected()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.CLIENT_ID_TOO_LONG) == 1);
  }

  @Test
  void overlongTopics_areDroppedOrRefused_andCounted() throws IOException {
    start("max_topic_length: 40\n", "");
    Mqtt3BlockingClient admin = login("admin");

    publish(admin, "plant/" + "x".repeat(40), "1", MqttQos.AT_MOST_ONCE);
    assertThat(subscribe(admin, "a/" + "y".repeat(40))).containsExactly(Mqtt3SubAckReturnCode.FAILURE);
    assertThat(subscribe(admin, "a/" + "y".repeat(30))).doesNotContain(Mqtt3SubAckReturnCode.FAILURE);
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.TOPIC_TOO_LONG) == 2);
  }

  @Test
  void connectionsBeyondTheLimit_areClosedAtOnce_andTheSlotIsFreedAgain() throws Exception {
    start("max_connections: 2\n", "");
    Mqtt3BlockingClient first = login("admin");
    Mqtt3BlockingClient second = login("scada");

    Mqtt3BlockingClient third = client("third");
    assertThatThrownBy(() -> third.connectWith().simpleAuth().username("press-7")
            .password("press-7-pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
        .isInstanceOf(RuntimeException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.TOO_MANY_CONNECTIONS) >= 1);

    second.disconnect();
    await().atMost(Duration.ofSeconds(5)).until(() -> fixture.gateway.broker().openConnections() == 1);
    assertThat(login("press-7").getState().isConnected()).isTrue();
    assertThat(first.getState().isConnected()).isTrue();
  }

  @Test
  void silentConnection_isClosedAfterTheConnectTimeout() throws Exception {
    start("connect_timeout: 300ms\n", "");
    try (Socket socket = new Socket("127.0.0.1", fixture.port())) {
      socket.getOutputStream().write(0x10); // the first byte of a CONNECT, then nothing
      socket.setSoTimeout(5_000);
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.CONNECT_TIMEOUT) == 1);
  }

  @Test
  void secondConnect_onAnAdmittedConnection_cannotLogInAsAnotherUser() throws Exception {
    start();
    try (Socket socket = new Socket("127.0.0.1", fixture.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(connectPacket("raw-press", "press-7", "press-7-pw"));
      assertThat(socket.getInputStream().readNBytes(4))
          .as("CONNACK, accepted")
          .containsExactly(0x20, 0x02, 0x00, 0x00);

      // After its first CONNECT a client's bytes go to Moquette unread; Moquette 0.17 takes a
      // second CONNECT as a new login (with another client id, as a new session on this same
      // connection). It must not make press-7 an admin.
      socket.getOutputStream().write(connectPacket("raw-admin", "admin", "not-the-password"));
      byte[] rest = socket.getInputStream().readAllBytes();
      assertThat(rest)
          .as("at most a refusing CONNACK, then the connection is closed")
          .hasSizeLessThanOrEqualTo(4);
      if (rest.length == 4) {
        assertThat(rest[3]).as("CONNACK return code").isNotEqualTo((byte) 0);
      }
    }
    assertThat(login("press-7").getState().isConnected()).as("the gateway serves on").isTrue();
  }

  /** An MQTT 3.1.1 CONNECT with user name and password, encoded by Netty's codec. */
  private static byte[] connectPacket(String clientId, String user, String password) {
    EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    try {
      encoder.writeOutbound(
          MqttMessageBuilders.connect()
              .clientId(clientId)
              .protocolVersion(MqttVersion.MQTT_3_1_1)
              .cleanSession(true)
              .keepAlive(30)
              .username(user)
              .password(password.getBytes(StandardCharsets.UTF_8))
              .build());
      ByteBuf encoded = encoder.readOutbound();
      byte[] bytes = ByteBufUtil.getBytes(encoded);
      encoded.release();
      return bytes;
    } finally {
      encoder.finishAndReleaseAll();
    }
  }

  @Test
  void publishesBeyondTheRateLimit_areDropped_andCounted() throws IOException {
    start("max_messages_per_second: 5\n", "");
    Scada admin = scada("explorer", "admin", "plant/#");
    Mqtt3BlockingClient press = login("press-7");

    for (int i = 0; i < 40; i++) {
      publish(press, "plant/press-7/count", Integer.toString(i), MqttQos.AT_MOST_ONCE);
    }
    publish(press, "plant/press-7/count", "flush", MqttQos.AT_MOST_ONCE);

    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.RATE_LIMITED) >= 20);
    assertThat(admin.on("plant/press-7/count").size()).isBetween(1, 20);
    assertThat(press.getState().isConnected()).isTrue();
  }

  @Test
  void refusals_areReportedAsRateLimitedErrorEvents_toScada() throws IOException {
    start();
    Scada scada = scada("ignition", "scada", "alerts/#");

    for (int i = 0; i < 3; i++) {
      refused("guess-" + i, "admin", "guess-" + i);
    }

    Scada.Received report = scada.awaitMessage("alerts/warning/error", "rejected as wrong_password");
    assertThat(report.payload()).contains("login(s) rejected as wrong_password").doesNotContain("guess-1\"");
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.WRONG_PASSWORD) == 3);
    assertThat(scada.matching(r -> r.payload().contains("rejected as wrong_password")))
        .as("at most one report per reason per interval (60 s)")
        .hasSize(1);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
  }
}
