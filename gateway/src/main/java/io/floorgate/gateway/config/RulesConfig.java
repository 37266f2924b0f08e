package io.floorgate.gateway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the threshold rules come from.
 *
 * @param file the rule file (YAML or JSON)
 * @param stateTopics topic filters carrying digital-twin state: the seed's {@code
 *     PARAMETER_THRESHOLDS} rules watch them, and a {@code system_status} change on them publishes
 *     a state event
 * @param watch reload the rule file when it changes on disk (else only on SIGHUP or the admin API)
 */
public record RulesConfig(Path file, List<String> stateTopics, boolean watch) {
  public RulesConfig {
    stateTopics = List.copyOf(stateTopics);
  }
}
