package io.floorgate.gateway.ingest;

import java.util.Locale;

/** Why ingest could not use a message; each reason is counted and reported separately. */
public enum Rejection {
  /** The payload was empty. */
  EMPTY,
  /** The payload was larger than {@code broker.max_payload_bytes}. */
  TOO_LARGE,
  /** The payload was neither a number nor valid JSON (or nested too deep). */
  NOT_JSON,
  /** The value at the rule's path was not a finite number. */
  NOT_A_NUMBER,
  /** The payload had no value at the rule's path. */
  MISSING_VALUE,
  /** A command (ack, simulation, optimization) lacked or mistyped a field. */
  BAD_COMMAND,
  /** An acknowledgement named an event that is not in the window. */
  UNKNOWN_EVENT,
  /** The queue between broker and ingest was full; the message was dropped. */
  QUEUE_FULL,
  /** Handling the message failed inside the gateway (see the log). */
  INTERNAL_ERROR;

  /** The lower-case name used in events and metrics. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return value();
  }
}
