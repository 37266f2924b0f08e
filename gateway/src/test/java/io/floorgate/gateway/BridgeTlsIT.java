package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.gateway.bridge.BridgeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge over TLS to Mosquitto, with certificates made by {@link TestPki} for this run: the
 * upstream's certificate checked against {@code bridge.tls.ca_file}, and a client certificate
 * for an upstream that demands one.
 */
class BridgeTlsIT {
  @TempDir Path dir;
  private TestPki pki;
  private Mosquitto upstream;
  private GatewayFixture fixture;
  private PlantConsumer plant;

  @BeforeAll
  static void toolsAreInstalled() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Mosquitto.installed() && TestPki.available(),
        "skipped: these tests need Debian's mosquitto and openssl (.ci/run installs them)");
  }

  @BeforeEach
  void makeCertificates() throws Exception {
    Path pkiDir = Files.createDirectories(dir.resolve("pki"));
    pki = new TestPki(pkiDir);
    pki.ca("plant-ca", "Plant CA");
    pki.leaf("upstream", "upstream", "plant-ca", true);
    pki.leaf("cell-7", "floorgate-cell-7", "plant-ca", false);
    pki.ca("other-ca", "Some Other CA");
  }

  @AfterEach
  void stop() {
    if (plant != null) {
      plant.close();
    }
    if (fixture != null) {
      fixture.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private Mosquitto startUpstream(boolean requireCertificate) {
    return Mosquitto.startWithTls(
        dir.resolve("mosquitto"),
        new Mosquitto.Tls(
            pki.path("plant-ca.crt"),
            pki.path("upstream.crt"),
            pki.path("upstream.key"),
            requireCertificate));
  }

  private GatewayFixture startGateway(String tlsYaml) throws Exception {
    Path gatewayDir = Files.createDirectories(dir.resolve("gateway"));
    String yaml =
        """
        bridge:
          enabled: true
          host: 127.0.0.1
          port: %d
          connect_timeout: 2s
          reconnect_min_delay: 200ms
          reconnect_max_delay: 1s
          tls:
            enabled: true
        """
                .formatted(upstream.tlsPort())
            + tlsYaml.indent(4);
    return GatewayFixture.start(gatewayDir, BridgeIT.RULES, yaml);
  }

  private BridgeStatus status() {
    return fixture.gateway.bridgeStatus();
  }

  @Test
  void upstreamDemandingAClientCertificate_getsTheConfiguredOne_andEventsFlow() throws Exception {
    upstream = startUpstream(true);
    plant = PlantConsumer.connect("mes", upstream.port(), "floorgate/#", null, null);
    fixture =
        startGateway(
            """
            ca_file: %s
            cert_file: %s
            key_file: %s
            """
                .formatted(
                    pki.path("plant-ca.crt"), pki.path("cell-7.crt"), pki.path("cell-7.key")));
    await().atMost(Duration.ofSeconds(20)).until(() -> status().connected());
    Scada scada = fixture.scada("scada", "alerts/#");

    GatewayFixture.publish(fixture.device("sensor"), "plant/l1/s1/temperature", "27");

    Scada.Received local = scada.await(r -> r.topic().equals("alerts/warning/threshold"));
    PlantConsumer.Received up = plant.await(r -> r.topic().contains("/alerts/"));
    assertThat(up.text()).isEqualTo(local.payload());
    assertThat(status().protocol()).isEqualTo("5");
    assertThat(status().lastError()).isNull();
  }

  @Test
  void upstreamCertificateFromAnotherCa_isRefused_namingTls_andTheGatewayStaysUp()
      throws Exception {
    upstream = startUpstream(false);
    fixture = startGateway("ca_file: %s\n".formatted(pki.path("other-ca.crt")));

    await()
        .atMost(Duration.ofSeconds(20))
        .failFast("connected to an upstream it must not trust", () -> status().connected())
        .untilAsserted(
            () ->
                assertThat(status().lastError())
                    .startsWith("TLS with 127.0.0.1:" + upstream.tlsPort() + " failed: "));
    assertThat(status().connected()).isFalse();
    assertThat(status().protocol())
        .as("no fallback to MQTT 3.1.1 for a TLS failure")
        .isNull();
    Scada scada = fixture.scada("scada", "alerts/#");
    GatewayFixture.publish(fixture.device("sensor"), "plant/l1/s1/temperature", "27");
    scada.await(r -> r.topic().equals("alerts/warning/threshold"));
    await().atMost(Duration.ofSeconds(5)).until(() -> status().backlog() == 1);
  }

  @Test
  void upstreamDemandingAClientCertificate_withoutOne_staysDisconnected_withTheReason()
      throws Exception {
    upstream = startUpstream(true);
    fixture = startGateway("ca_file: %s\n".formatted(pki.path("plant-ca.crt")));

    // Several attempts, each refused during or right after the handshake.
    await()
        .atMost(Duration.ofSeconds(20))
        .failFast("connected without a client certificate", () -> status().connected())
        .until(() -> status().lastError() != null && status().reconnects() == 0);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !status().connected());
    assertThat(status().lastError()).isNotBlank();
  }
}
