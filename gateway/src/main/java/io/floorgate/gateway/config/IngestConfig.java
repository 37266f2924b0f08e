package io.floorgate.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * How telemetry and commands are taken in.
 *
 * @param queueCapacity messages buffered between the broker and evaluation; when full, new
 *     messages are dropped and counted (the broker is never blocked)
 * @param simulationTopics topic filters whose payloads are simulation results
 * @param optimizationTopics topic filters whose payloads are optimization opportunities
 * @param errorReportInterval at most one error event per rejection reason per interval
 * @param maxJsonDepth deepest nesting of objects and arrays read in a payload
 * @param maxJsonTokens most JSON tokens (field names, values, brackets) read in one payload
 */
public record IngestConfig(
    int queueCapacity,
    List<String> simulationTopics,
    List<String> optimizationTopics,
    Duration errorReportInterval,
    int maxJsonDepth,
    long maxJsonTokens) {
  /** Default of {@code ingest.max_json_depth}. */
  public static final int DEFAULT_MAX_JSON_DEPTH = 32;
  /** Default of {@code ingest.max_json_tokens}. */
  public static final long DEFAULT_MAX_JSON_TOKENS = 10_000;

  public IngestConfig {
    simulationTopics = List.copyOf(simulationTopics);
    optimizationTopics = List.copyOf(optimizationTopics);
  }
}
