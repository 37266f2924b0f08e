package io.floorgate.gateway.broker.security;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;

/**
 * Builds the TLS listener's context from PEM files (certificate chain and PKCS#8 key) or a PKCS#12
 * keystore, and reads the user name (CN) out of a client certificate. TLS 1.2 and 1.3 only.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * The server context.
   *
   * @param certFile PEM certificate chain (server certificate first), with {@code keyFile}
   * @param keyFile PEM private key, PKCS#8 ({@code BEGIN PRIVATE KEY})
   * @param keystore PKCS#12 file holding key and chain, instead of the two PEM files
   * @param keystorePassword the keystore's password (may be empty)
   * @param caFile PEM certificates of the CAs whose client certificates are accepted
   * @param clientAuth whether client certificates are asked for
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static SslContext server(
      Optional<Path> certFile,
      Optional<Path> keyFile,
      Optional<Path> keystore,
      String keystorePassword,
      Optional<Path> caFile,
      ClientAuth clientAuth) {
    SslContextBuilder builder;
    if (keystore.isPresent()) {
      Path file = keystore.get();
      try (InputStream in = Files.newInputStream(file)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, keystorePassword.toCharArray());
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, keystorePassword.toCharArray());
        builder = SslContextBuilder.forServer(kmf);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "cannot read the PKCS#12 keystore " + file + ": " + message(e), e);
      }
    } else {
      Path cert = certFile.orElseThrow(() -> new IllegalArgumentException("cert_file is required"));
      Path key = keyFile.orElseThrow(() -> new IllegalArgumentException("key_file is required"));
      requireReadable(cert, "certificate");
      requireReadable(key, "private key");
      try {
        builder = SslContextBuilder.forServer(cert.toFile(), key.toFile());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "cannot use the certificate "
                + cert
                + " with the key "
                + key
                + " (the key must be PEM PKCS#8, 'BEGIN PRIVATE KEY'; convert with openssl pkcs8"
                + " -topk8 -nocrypt): "
                + message(e),
            e);
      }
    }
    if (caFile.isPresent()) {
      requireReadable(caFile.get(), "CA certificate");
      builder.trustManager(caFile.get().toFile());
    }
    builder.clientAuth(
        switch (clientAuth) {
          case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
          case OPTIONAL -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
          case REQUIRED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
        });
    builder.sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2");
    try {
      return builder.build();
    } catch (IOException | IllegalArgumentException e) {
      String what =
          keystore.map(p -> "the keystore " + p).orElse("the certificate " + certFile.orElse(null));
      throw new IllegalArgumentException(
          "cannot build the TLS context from "
              + what
              + caFile.map(p -> " and the CA file " + p).orElse("")
              + ": "
              + message(e),
          e);
    }
  }

  /** The certificate's subject CN, if it has one. */
  public static Optional<String> commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(String.valueOf(rdn.getValue()));
        }
      }
      return Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }

  private static void requireReadable(Path file, String what) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          "cannot read the " + what + " file " + file + ": " + (Files.exists(file) ? "not readable" : "no such file"));
    }
  }

  private static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
