package io.floorgate.gateway.cli;

import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.gateway.config.GatewayConfig;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.SyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Which journal a command reads: {@code --journal DIR}, or the one a config file names. */
final class JournalLocation {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Gateway configuration whose journal.dir to read.")
  Path config;

  @Option(
      names = {"-j", "--journal"},
      paramLabel = "DIR",
      description = "Journal directory (default: the configuration's, else data/journal).")
  Path journal;

  GatewayConfig gatewayConfig() {
    return config == null ? ConfigLoader.defaults() : ConfigLoader.load(config).orThrow();
  }

  Path dir() {
    return journal != null ? journal : gatewayConfig().journal().dir();
  }

  /**
   * Opens the journal for reading beside a running gateway: no retention, no background sync,
   * and never creates a journal where there was none.
   */
  Journal open() {
    Path dir = dir();
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no journal at " + dir.toAbsolutePath());
    }
    return Journal.open(
        new JournalOptions(dir, SyncPolicy.NONE, Duration.ofSeconds(1), 0, Clock.systemUTC()));
  }
}
