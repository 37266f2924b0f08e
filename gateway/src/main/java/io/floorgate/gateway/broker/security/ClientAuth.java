package io.floorgate.gateway.broker.security;

import java.util.Locale;

/** Whether the TLS listener asks clients for a certificate. */
public enum ClientAuth {
  /** No client certificates; clients log in with user name and password (or anonymously). */
  NONE,
  /** A client may present a certificate; if it does, its CN is the user name. */
  OPTIONAL,
  /** Every client must present a certificate signed by the configured CA; its CN is the user. */
  REQUIRED;

  /** Parses {@code none}, {@code optional} or {@code required}, in any case. */
  public static ClientAuth parse(String text) {
    for (ClientAuth value : values()) {
      if (value.name().equalsIgnoreCase(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "client_auth must be one of [none, optional, required], but was '" + text + "'");
  }

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
