package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import io.floorgate.gateway.broker.security.PasswordHash;
import io.floorgate.gateway.ingest.Rejection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS listener with a CA, server and client certificates generated at test time: server-only
 * TLS with PEM files or a PKCS#12 keystore, and client certificates (mTLS) whose CN becomes the
 * user name, accepted and rejected. The plain listener runs beside it.
 */
class TlsIT {
  @TempDir Path dir;
  private TestPki pki;
  private GatewayFixture fixture;
  private final List<Mqtt3BlockingClient> clients = new ArrayList<>();

  @BeforeEach
  void makePki() throws Exception {
    assumeThat(TestPki.available()).as("needs the openssl command to make test certificates").isTrue();
    Path pkiDir = Files.createDirectories(dir.resolve("pki"));
    pki = new TestPki(pkiDir);
    pki.ca("ca", "Floorgate Test CA");
    pki.leaf("server", "localhost", "ca", true);
    pki.leaf("press-7", "press-7", "ca", false);
    pki.leaf("nocn", "", "ca", false);
    pki.ca("rogue", "Rogue CA");
    pki.leaf("forged", "admin", "rogue", false);
    StringBuilder passwd = new StringBuilder();
    for (String user : List.of("admin", "scada", "press-8")) {
      passwd.append(user).append(':')
          .append(PasswordHash.Pbkdf2.create((user + "-pw").getBytes(StandardCharsets.UTF_8), 101,
              new SecureRandom()).encode())
          .append('\n');
    }
    Files.writeString(dir.resolve("passwd"), passwd);
  }

  @AfterEach
  void stop() {
    for (Mqtt3BlockingClient c : clients) {
      if (c.getState().isConnected()) {
        c.disconnect();
      }
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private void start(String tlsYaml) {
    fixture =
        GatewayFixture.start(
            dir,
            "rules: []\n",
            "host: 0.0.0.0\ntls:\n  enabled: true\n  host: 0.0.0.0\n  port: 0\n" + tlsYaml.indent(2),
            "security:\n  password_file: %s\n  acl_file: %s\n"
                .formatted(dir.resolve("passwd"), SecurityIT.shippedAcl()));
  }

  private String pem() {
    return "cert_file: %s\nkey_file: %s\n".formatted(pki.path("server.crt"), pki.path("server.key"));
  }

  private Mqtt3BlockingClient tlsClient(String id, @Nullable KeyManagerFactory identity) throws Exception {
    MqttClientSslConfigBuilder ssl =
        MqttClientSslConfig.builder().trustManagerFactory(TestPki.trust(pki.path("ca.crt")));
    if (identity != null) {
      ssl.keyManagerFactory(identity);
    }
    Mqtt3BlockingClient c =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(fixture.gateway.mqttsPort())
            .sslConfig(ssl.build())
            .buildBlocking();
    clients.add(c);
    return c;
  }

  private static void loginWithPassword(Mqtt3BlockingClient c, String user) {
    c.connectWith()
        .simpleAuth()
        .username(user)
        .password((user + "-pw").getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
  }

  private Scada admin(String filter) {
    return Scada.connect("explorer", fixture.port(), filter, "admin", "admin-pw");
  }

  private long total(Rejection reason) {
    return fixture.gateway.ingest().rejections().total(reason);
  }

  private static void publish(Mqtt3BlockingClient c, String topic, String payload) {
    c.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
  }

  @Test
  void tlsWithPemFiles_carriesPasswordLogins_besideThePlainListener() throws Exception {
    start(pem());
    Scada admin = admin("plant/#");
    Mqtt3BlockingClient press = tlsClient("press-8", null);

    loginWithPassword(press, "press-8");
    publish(press, "plant/press-8/t", "over tls");

    admin.await(r -> r.topic().equals("plant/press-8/t") && r.payload().equals("over tls"));
    assertThat(fixture.gateway.mqttsPort()).isPositive().isNotEqualTo(fixture.port());
    admin.close();
  }

  @Test
  void tlsWithAPkcs12Keystore_works() throws Exception {
    start("keystore: %s\nkeystore_password: %s\n".formatted(pki.path("server.p12"), TestPki.P12_PASSWORD));
    Mqtt3BlockingClient scada = tlsClient("scada", null);

    loginWithPassword(scada, "scada");

    assertThat(scada.getState().isConnected()).isTrue();
  }

  @Test
  void anonymousClient_onTheTlsListenerOffLoopback_isRefused() throws Exception {
    start(pem());
    Mqtt3BlockingClient anonymous = tlsClient("anon", null);

    assertThatThrownBy(anonymous::connect)
        .isInstanceOf(Mqtt3ConnAckException.class)
        .hasMessageContaining("NOT_AUTHORIZED");
  }

  @Test
  void clientCertificate_isTheLogin_itsCnTheUserName_underTheAcl() throws Exception {
    start(pem() + "ca_file: %s\nclient_auth: required\n".formatted(pki.path("ca.crt")));
    Scada admin = admin("plant/#");
    Mqtt3BlockingClient press = tlsClient("press-7-device", TestPki.identity(pki.path("press-7.p12")));

    press.connect(); // no user name, no password: the certificate says who it is
    publish(press, "plant/press-8/t", "not mine");
    publish(press, "plant/press-7/t", "mine");

    admin.await(r -> r.topic().equals("plant/press-7/t"));
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.PUBLISH_DENIED) == 1);
    assertThat(admin.on("plant/press-8/t")).isEmpty();
    admin.close();
  }

  @Test
  void certificateCn_overridesAnyUserNameTheClientSends() throws Exception {
    start(pem() + "ca_file: %s\nclient_auth: required\n".formatted(pki.path("ca.crt")));
    Scada admin = admin("plant/#");
    Mqtt3BlockingClient press = tlsClient("claims-admin", TestPki.identity(pki.path("press-7.p12")));

    press.connectWith().simpleAuth().username("admin").password("x".getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    publish(press, "plant/press-8/t", "as admin?");
    publish(press, "plant/press-7/t", "as press-7");

    admin.await(r -> r.topic().equals("plant/press-7/t"));
    assertThat(admin.on("plant/press-8/t")).isEmpty();
    admin.close();
  }

  @Test
  void requiredClientAuth_rejectsAClientWithoutCertificate_andOneFromAnotherCa() throws Exception {
    start(pem() + "ca_file: %s\nclient_auth: required\n".formatted(pki.path("ca.crt")));

    Mqtt3BlockingClient none = tlsClient("none", null);
    assertThatThrownBy(() -> loginWithPassword(none, "admin")).isInstanceOf(RuntimeException.class);
    Mqtt3BlockingClient forged = tlsClient("forged", TestPki.identity(pki.path("forged.p12")));
    assertThatThrownBy(forged::connect).isInstanceOf(RuntimeException.class);

    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.TLS_FAILED) == 2);
    assertThat(none.getState().isConnected()).isFalse();
    assertThat(forged.getState().isConnected()).isFalse();
  }

  @Test
  void optionalClientAuth_letsPasswordClientsIn_andRefusesCertificatesWithoutCn() throws Exception {
    start(pem() + "ca_file: %s\nclient_auth: optional\n".formatted(pki.path("ca.crt")));

    Mqtt3BlockingClient byPassword = tlsClient("pw", null);
    loginWithPassword(byPassword, "press-8");
    Mqtt3BlockingClient byCertificate = tlsClient("cert", TestPki.identity(pki.path("press-7.p12")));
    byCertificate.connect();
    Mqtt3BlockingClient noCn = tlsClient("nocn", TestPki.identity(pki.path("nocn.p12")));

    assertThat(byPassword.getState().isConnected()).isTrue();
    assertThat(byCertificate.getState().isConnected()).isTrue();
    assertThatThrownBy(noCn::connect)
        .isInstanceOf(Mqtt3ConnAckException.class)
        .hasMessageContaining("NOT_AUTHORIZED");
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.CERTIFICATE_WITHOUT_CN) == 1);
  }

  @Test
  void plainMqtt_onTheTlsPort_isClosed() throws Exception {
    start(pem());
    Mqtt3BlockingClient plain =
        MqttClient.builder().useMqttVersion3().identifier("plain")
            .serverHost("127.0.0.1").serverPort(fixture.gateway.mqttsPort()).buildBlocking();

    assertThatThrownBy(() -> loginWithPassword(plain, "admin")).isInstanceOf(RuntimeException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> total(Rejection.TLS_FAILED) == 1);
  }
}
