package io.floorgate.gateway.bridge;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import io.floorgate.gateway.config.BridgeConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Turns the {@code bridge.tls} files into the HiveMQ client's TLS configuration: PEM certificates
 * to trust (else the JVM's roots) and, for brokers that want a client certificate, a PEM chain
 * with its unencrypted PKCS#8 key. The host name is verified against the certificate.
 */
final class TlsMaterial {
  private static final Pattern PRIVATE_KEY =
      Pattern.compile(
          "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private TlsMaterial() {}

  /**
   * @throws IllegalArgumentException naming the key and the file that cannot be used, and why
   */
  static MqttClientSslConfig load(BridgeConfig.Tls tls) {
    MqttClientSslConfigBuilder ssl = MqttClientSslConfig.builder();
    if (tls.caFile().isPresent()) {
      Path file = tls.caFile().get();
      List<Certificate> certificates = certificates("bridge.tls.ca_file", file);
      try {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        for (int i = 0; i < certificates.size(); i++) {
          trusted.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        TrustManagerFactory trust =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        ssl.trustManagerFactory(trust);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalArgumentException(
            "bridge.tls.ca_file " + file + " cannot be used: " + e.getMessage(), e);
      }
    }
    if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
      Path certFile = tls.certFile().get();
      Path keyFile = tls.keyFile().get();
      List<Certificate> chain = certificates("bridge.tls.cert_file", certFile);
      PrivateKey key = privateKey(keyFile);
      try {
        char[] none = new char[0];
        KeyStore own = KeyStore.getInstance(KeyStore.getDefaultType());
        own.load(null, null);
        own.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
        KeyManagerFactory keys =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own, none);
        ssl.keyManagerFactory(keys);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalArgumentException(
            "bridge.tls.cert_file "
                + certFile
                + " and key_file "
                + keyFile
                + " cannot be used together: "
                + e.getMessage(),
            e);
      }
    }
    return ssl.build();
  }

  private static List<Certificate> certificates(String key, Path file) {
    byte[] bytes = read(key, file);
    try {
      Collection<? extends Certificate> read =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes));
      if (read.isEmpty()) {
        throw new IllegalArgumentException(key + " " + file + " holds no PEM certificate");
      }
      return new ArrayList<>(read);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          key + " " + file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    String text = new String(read("bridge.tls.key_file", file), StandardCharsets.US_ASCII);
    Matcher m = PRIVATE_KEY.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "bridge.tls.key_file "
              + file
              + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert it with"
              + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
    }
    PKCS8EncodedKeySpec spec =
        new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        "bridge.tls.key_file " + file + " holds a key that is neither RSA, EC nor EdDSA");
  }

  private static byte[] read(String key, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          key + " " + file + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
  }
}
