package io.floorgate.gateway.ingest;

import java.util.Locale;

/** Why ingest could not use a message; each reason is counted and reported separately. */
public enum Rejection {
  /** The payload was empty. */
  EMPTY,
  /** The payload was larger than {@code broker.max_payload_bytes}. */
  TOO_LARGE,
  /** The payload was neither a number nor valid JSON. */
  NOT_JSON,
  /** The JSON was nested deeper or had more tokens than {@code ingest.max_json_*} allow. */
  TOO_COMPLEX,
  /** The value at the rule's path was not a finite number. */
  NOT_A_NUMBER,
  /** The payload had no value at the rule's path. */
  MISSING_VALUE,
  /** A command (ack, simulation, optimization) lacked or mistyped a field. */
  BAD_COMMAND,
  /**
   * An acknowledgement named an event that is not in the window and raised no alarm that awaits
   * acknowledgement.
   */
  UNKNOWN_EVENT,
  /** The queue between broker and ingest was full; the message was dropped. */
  QUEUE_FULL,
  /** Handling the message failed inside the gateway (see the log). */
  INTERNAL_ERROR,

  // Refused by the broker's front door or access policy (see broker.Refusal), counted there.

  /** A login with a wrong password. */
  WRONG_PASSWORD,
  /** A login with a user name the password file does not have. */
  UNKNOWN_USER,
  /** A user name sent where nothing can verify it (no password file), or without password. */
  UNVERIFIABLE_USER,
  /** A client without user name (or certificate) on a listener that requires one. */
  ANONYMOUS_REFUSED,
  /** A TLS handshake that failed, e.g. a client certificate from an unknown CA. */
  TLS_FAILED,
  /** A client certificate without a CN to use as user name. */
  CERTIFICATE_WITHOUT_CN,
  /** A client id longer than {@code broker.max_client_id_length}. */
  CLIENT_ID_TOO_LONG,
  /** A topic or filter longer than {@code broker.max_topic_length}. */
  TOPIC_TOO_LONG,
  /** A publish the ACL does not allow (dropped). */
  PUBLISH_DENIED,
  /** A subscription the ACL does not allow (SUBACK failure). */
  SUBSCRIBE_DENIED,
  /** A will message on a topic the ACL does not let that client write (CONNECT refused). */
  WILL_DENIED,
  /** A publish beyond {@code broker.max_messages_per_second} (dropped). */
  RATE_LIMITED,
  /** A connection beyond {@code broker.max_connections} (closed at once). */
  TOO_MANY_CONNECTIONS,
  /** A connection that sent no CONNECT within {@code broker.connect_timeout}. */
  CONNECT_TIMEOUT,
  /** A packet that is not MQTT, is malformed or breaks the protocol (connection closed). */
  MALFORMED_PACKET,
  /** A CONNECT for a protocol other than MQTT 3.1/3.1.1 (MQTT 5). */
  UNSUPPORTED_PROTOCOL,
  /** Logins arrived faster than they could be checked (CONNACK server unavailable). */
  LOGIN_OVERLOAD,
  /**
   * A connection that took nothing of what was sent to it for {@code
   * broker.slow_consumer_timeout} (closed).
   */
  SLOW_CONSUMER;

  /** What was rejected, for report texts: "message(s)", "login(s)" or "connection(s)". */
  public String unit() {
    return switch (this) {
      case WRONG_PASSWORD, UNKNOWN_USER, UNVERIFIABLE_USER, ANONYMOUS_REFUSED,
          CERTIFICATE_WITHOUT_CN, LOGIN_OVERLOAD -> "login(s)";
      case TLS_FAILED, CLIENT_ID_TOO_LONG, WILL_DENIED, TOO_MANY_CONNECTIONS, CONNECT_TIMEOUT,
          MALFORMED_PACKET, UNSUPPORTED_PROTOCOL, SLOW_CONSUMER -> "connection(s)";
      case SUBSCRIBE_DENIED -> "subscription(s)";
      default -> "message(s)";
    };
  }

  /** The lower-case name used in events and metrics. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return value();
  }
}
