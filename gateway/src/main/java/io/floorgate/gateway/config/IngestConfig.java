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
 */
public record IngestConfig(
    int queueCapacity,
    List<String> simulationTopics,
    List<String> optimizationTopics,
    Duration errorReportInterval) {
  public IngestConfig {
    simulationTopics = List.copyOf(simulationTopics);
    optimizationTopics = List.copyOf(optimizationTopics);
  }
}
