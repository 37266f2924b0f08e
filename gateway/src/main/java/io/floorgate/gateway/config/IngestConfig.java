package io.floorgate.gateway.config;

import io.floorgate.events.EventJson;
import java.time.Duration;
import java.util.List;

/**
 * How telemetry and commands are taken in.
 *
 * @param queueCapacity messages buffered between the broker and evaluation; when full, new
 *     messages are dropped and counted (the broker is never blocked)
 * @param queueBytes the most those messages may take in memory together (payload, topic, client
 *     id and about 120 bytes each), so a burst of large payloads cannot exhaust the heap; a
 *     message that would pass it is dropped and counted like one over {@code queueCapacity}
 * @param simulationTopics topic filters whose payloads are simulation results
 * @param optimizationTopics topic filters whose payloads are optimization opportunities
 * @param errorReportInterval at most one error event per rejection reason per interval
 * @param maxJsonDepth deepest nesting of objects and arrays read in a payload, at most {@link
 *     #MAX_JSON_DEPTH}
 * @param maxJsonTokens most JSON tokens (field names, values, brackets) read in one payload
 */
public record IngestConfig(
    int queueCapacity,
    long queueBytes,
    List<String> simulationTopics,
    List<String> optimizationTopics,
    Duration errorReportInterval,
    int maxJsonDepth,
    long maxJsonTokens) {
  /**
   * What a queued message costs besides its payload, topic and client id: the objects' headers
   * and fields, and the array's header (an estimate, rounded up).
   */
  public static final int MESSAGE_OVERHEAD_BYTES = 120;
  /**
   * Default of {@code ingest.queue_capacity}: about 9 s of 15,000 msg/s, what a gateway started
   * under that load needs while the JIT compiles (docs/benchmarks.md); {@code queue_bytes} bounds
   * the memory.
   */
  public static final int DEFAULT_QUEUE_CAPACITY = 131_072;
  /** Default of {@code ingest.queue_bytes}: a quarter of the unit's 96 MiB heap. */
  public static final long DEFAULT_QUEUE_BYTES = 24L * 1024 * 1024;
  /** Default of {@code ingest.max_json_depth}. */
  public static final int DEFAULT_MAX_JSON_DEPTH = 32;
  /**
   * The most {@code ingest.max_json_depth} may be. A simulation result's {@code parameters} and
   * {@code results} go into its event one level deeper than they were in the payload (under the
   * event's {@code details}), and every reader of the journal (the alerts' and the bridge's
   * {@code {source}}, the event window, the admin API, the CLI) reads an event at most {@link
   * EventJson#MAX_READ_DEPTH} deep: a deeper payload would be journaled as an event none of them
   * can read.
   */
  public static final int MAX_JSON_DEPTH = EventJson.MAX_READ_DEPTH - 1;
  /** Default of {@code ingest.max_json_tokens}. */
  public static final long DEFAULT_MAX_JSON_TOKENS = 10_000;

  public IngestConfig {
    simulationTopics = List.copyOf(simulationTopics);
    optimizationTopics = List.copyOf(optimizationTopics);
  }
}
