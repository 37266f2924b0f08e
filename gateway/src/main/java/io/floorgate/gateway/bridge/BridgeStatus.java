package io.floorgate.gateway.bridge;

import io.floorgate.events.EventTimestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the bridge is doing, for {@code /health}, {@code GET /api/bridge}, metrics and {@code
 * floorgate bridge status}. A snapshot: every field was read at one moment, without locks.
 *
 * @param enabled whether a bridge is configured at all (the other fields are zero when not)
 * @param connected whether a connection to the upstream is established now
 * @param upstream {@code host:port}
 * @param protocol {@code "5"} or {@code "3.1.1"} while connected (or last connected), else null
 * @param backlog events that should go upstream and were not yet acknowledged by it
 * @param inFlight of those, sent and awaiting the upstream's acknowledgement
 * @param oldestUnsentAgeSeconds age of the oldest event not yet acknowledged upstream; null when
 *     none is waiting
 * @param forwarded events acknowledged by the upstream since start
 * @param connectedSince when the current connection was established, or null
 * @param reconnects connections established since start, the first one included
 * @param lastError the last failure (connection, refusal, TLS), or null if none since start
 * @param lastErrorAt when it happened, or null
 * @param retentionAtRisk whether journal retention is about to delete an event not yet forwarded
 * @param telemetryForwarded telemetry messages the upstream took since start
 * @param telemetryDropped telemetry messages dropped (upstream unreachable, too many in flight)
 * @param acksApplied acknowledgements from the upstream applied locally since start
 * @param acksRejected acknowledgements from the upstream that were malformed or named an unknown
 *     event
 */
public record BridgeStatus(
    boolean enabled,
    boolean connected,
    String upstream,
    @Nullable String protocol,
    long backlog,
    long inFlight,
    @Nullable Long oldestUnsentAgeSeconds,
    long forwarded,
    @Nullable Instant connectedSince,
    long reconnects,
    @Nullable String lastError,
    @Nullable Instant lastErrorAt,
    boolean retentionAtRisk,
    long telemetryForwarded,
    long telemetryDropped,
    long acksApplied,
    long acksRejected) {

  /** The status of a gateway without a bridge. */
  public static final BridgeStatus DISABLED =
      new BridgeStatus(
          false, false, "", null, 0, 0, null, 0, null, 0, null, null, false, 0, 0, 0, 0);

  /** As JSON for the admin API and {@code /health}: snake_case keys, ISO-8601 times. */
  public Map<String, @Nullable Object> toMap() {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    map.put("enabled", enabled);
    if (!enabled) {
      return map;
    }
    map.put("connected", connected);
    map.put("upstream", upstream);
    map.put("protocol", protocol);
    map.put("backlog", backlog);
    map.put("in_flight", inFlight);
    map.put("oldest_unsent_age_seconds", oldestUnsentAgeSeconds);
    map.put("forwarded", forwarded);
    map.put("connected_since", connectedSince == null ? null : EventTimestamps.format(connectedSince));
    map.put("reconnects", reconnects);
    map.put("last_error", lastError);
    map.put("last_error_at", lastErrorAt == null ? null : EventTimestamps.format(lastErrorAt));
    map.put("retention_at_risk", retentionAtRisk);
    map.put("telemetry_forwarded", telemetryForwarded);
    map.put("telemetry_dropped", telemetryDropped);
    map.put("acks_applied", acksApplied);
    map.put("acks_rejected", acksRejected);
    return map;
  }
}
