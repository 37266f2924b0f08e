package io.floorgate.gateway.broker;

import org.jspecify.annotations.Nullable;

/**
 * Receives every refusal. Called on the broker's network and session threads: must count and
 * return, never block and never do I/O.
 */
@FunctionalInterface
public interface RefusalSink {
  /**
   * @param topic the topic involved, or null
   * @param clientId the client's id (or its address when it never sent one)
   * @param detail what was refused and why, for the report (never a password)
   */
  void refused(Refusal reason, @Nullable String topic, String clientId, String detail);

  /** Counts nothing (tests, tools). */
  RefusalSink NONE = (reason, topic, clientId, detail) -> {};
}
