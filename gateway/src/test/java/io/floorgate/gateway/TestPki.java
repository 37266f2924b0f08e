package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made at test time with the openssl command line (EC P-256 keys, PKCS#8 PEM,
 * two-day validity): a CA, certificates it signs, and PKCS#12 bundles. Nothing is checked in.
 */
final class TestPki {
  static final String P12_PASSWORD = "test-pass";
  private final Path dir;

  TestPki(Path dir) {
    this.dir = dir;
  }

  /** True when the openssl command is there (Debian ships it with the base system). */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** A self-signed CA: {@code name.crt}, {@code name.key}. */
  Path ca(String name, String cn) {
    openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", file(name + ".key"), "-out", file(name + ".crt"), "-days", "2",
        "-subj", "/CN=" + cn,
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return dir.resolve(name + ".crt");
  }

  /**
   * A certificate for {@code cn} signed by CA {@code ca}: {@code name.crt}, {@code name.key}
   * (PKCS#8) and {@code name.p12} (key and chain, password {@link #P12_PASSWORD}).
   *
   * @param server a server certificate for 127.0.0.1 and localhost, else a client certificate
   */
  Path leaf(String name, String cn, String ca, boolean server) {
    Path ext = dir.resolve(name + ".ext");
    try {
      Files.writeString(
          ext,
          server
              ? "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n"
                  + "extendedKeyUsage=serverAuth\n"
              : "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> subject = new ArrayList<>(List.of("-subj", cn.isEmpty() ? "/O=No CN Inc" : "/CN=" + cn));
    List<String> req = new ArrayList<>(List.of(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", file(name + ".key"), "-out", file(name + ".csr")));
    req.addAll(subject);
    openssl(req.toArray(String[]::new));
    openssl(
        "x509", "-req", "-in", file(name + ".csr"), "-CA", file(ca + ".crt"), "-CAkey",
        file(ca + ".key"), "-CAcreateserial", "-out", file(name + ".crt"), "-days", "2",
        "-extfile", ext.toString());
    openssl(
        "pkcs12", "-export", "-in", file(name + ".crt"), "-inkey", file(name + ".key"),
        "-certfile", file(ca + ".crt"), "-name", name, "-out", file(name + ".p12"),
        "-passout", "pass:" + P12_PASSWORD);
    return dir.resolve(name + ".crt");
  }

  Path path(String fileName) {
    return dir.resolve(fileName);
  }

  /** Trusts the CA in {@code caFile}. */
  static TrustManagerFactory trust(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf;
  }

  /** The key and certificate in {@code p12}. */
  static KeyManagerFactory identity(Path p12) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, P12_PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, P12_PASSWORD.toCharArray());
    return kmf;
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
      assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
