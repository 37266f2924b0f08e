package io.floorgate.gateway.broker;

/**
 * Why the broker refused a connection, a login, a publish or a subscription. Each is counted and
 * handed to the {@link RefusalSink}; the names match {@code ingest.Rejection}'s.
 */
public enum Refusal {
  WRONG_PASSWORD,
  UNKNOWN_USER,
  UNVERIFIABLE_USER,
  ANONYMOUS_REFUSED,
  TLS_FAILED,
  CERTIFICATE_WITHOUT_CN,
  CLIENT_ID_TOO_LONG,
  TOPIC_TOO_LONG,
  PUBLISH_DENIED,
  SUBSCRIBE_DENIED,
  WILL_DENIED,
  RATE_LIMITED,
  TOO_MANY_CONNECTIONS,
  CONNECT_TIMEOUT,
  MALFORMED_PACKET,
  UNSUPPORTED_PROTOCOL,
  LOGIN_OVERLOAD,
  SLOW_CONSUMER
}
