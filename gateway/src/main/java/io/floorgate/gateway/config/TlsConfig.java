package io.floorgate.gateway.config;

import io.floorgate.gateway.broker.security.ClientAuth;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The TLS listener (beside the plain one). Either {@code certFile} and {@code keyFile} (PEM) or
 * {@code keystore} (PKCS#12) is set; {@link ConfigLoader} has checked that they load.
 *
 * @param host the address it binds
 * @param port its port; 0 binds any free port
 * @param certFile PEM certificate chain, server certificate first
 * @param keyFile PEM PKCS#8 private key
 * @param keystore PKCS#12 keystore instead of the PEM files
 * @param keystorePassword the keystore's password (never printed)
 * @param caFile PEM CA certificates that client certificates must chain to
 * @param clientAuth whether clients present certificates; their CN is then the user name
 */
public record TlsConfig(
    String host,
    int port,
    Optional<Path> certFile,
    Optional<Path> keyFile,
    Optional<Path> keystore,
    String keystorePassword,
    Optional<Path> caFile,
    ClientAuth clientAuth) {

  @Override
  public String toString() {
    return "TlsConfig[host="
        + host
        + ", port="
        + port
        + ", certFile="
        + certFile
        + ", keyFile="
        + keyFile
        + ", keystore="
        + keystore
        + ", keystorePassword=***, caFile="
        + caFile
        + ", clientAuth="
        + clientAuth.value()
        + "]";
  }
}
