package io.floorgate.gateway.config;

import io.floorgate.gateway.broker.security.Acl;
import io.floorgate.gateway.broker.security.PasswordFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Who may connect and what they may do; read and checked by {@link ConfigLoader}.
 *
 * @param passwordFile users and their password hashes ({@code mosquitto_passwd} format), if set
 * @param acl access rules ({@code acl_file} format), if set; without one every client may publish
 *     and subscribe anywhere
 * @param allowAnonymous {@code security.allow_anonymous} as written; absent = anonymous clients
 *     only on loopback listeners
 * @param plainAnonymous whether the plain listener lets clients in without a user name
 * @param tlsAnonymous whether the TLS listener lets clients in without a user name or certificate
 */
public record SecurityConfig(
    Optional<PasswordFile> passwordFile,
    Optional<Acl> acl,
    Optional<Boolean> allowAnonymous,
    boolean plainAnonymous,
    boolean tlsAnonymous) {

  /** The quick-start default: no users, no ACL, anonymous on loopback. */
  public static final SecurityConfig LOOPBACK_DEFAULTS =
      new SecurityConfig(Optional.empty(), Optional.empty(), Optional.empty(), true, false);

  /**
   * True when {@code host} is a loopback address (127.0.0.0/8, ::1, or a name resolving to one).
   *
   * @throws UnknownHostException when the name does not resolve
   */
  public static boolean isLoopback(String host) throws UnknownHostException {
    return InetAddress.getByName(host).isLoopbackAddress();
  }
}
