package io.floorgate.gateway.reload;

import io.floorgate.gateway.ingest.Ingests;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Rule reloaders for tests, started on a rule file as the gateway starts one. */
public final class RuleReloaders {
  /** One rule, {@code t}: any {@code plant/+/+/temperature} above 25, as in {@link Ingests}. */
  public static final String T_RULE =
      "rules:\n  - {id: t, topic: plant/+/+/temperature, comparison: greater_than, value: 25}\n";
  /** {@link #T_RULE} and {@code p}: any {@code plant/+/+/pressure} above 5. */
  public static final String T_AND_P_RULES =
      T_RULE + "  - {id: p, topic: plant/+/+/pressure, comparison: greater_than, value: 5}\n";

  private RuleReloaders() {}

  /**
   * A reloader of {@code file} (already written) over {@code gateway}'s ingest, events and journal,
   * not watching the file, started with the file's rules; it waits {@code applyTimeout} for the
   * ingest thread to take a change up.
   */
  public static RuleReloader started(
      Path file, Ingests.JournaledIngest gateway, Duration applyTimeout) {
    return started(file, gateway, applyTimeout, Clock.systemUTC());
  }

  /** As {@link #started(Path, Ingests.JournaledIngest, Duration)}, reading the time from clock. */
  public static RuleReloader started(
      Path file, Ingests.JournaledIngest gateway, Duration applyTimeout, Clock clock) {
    RuleReloader reloader =
        new RuleReloader(
            file,
            List.of(),
            gateway.ingest,
            gateway.events,
            gateway.journal,
            Duration.ofMillis(50),
            RuleTreeCache.NONE,
            clock,
            applyTimeout);
    String text = RuleReloader.readText(file);
    RuleReloader.Loaded loaded =
        RuleReloader.confirm(
            file,
            text,
            RuleReloader.sha256(text),
            List.of(),
            RuleReloader.parse(file, text, List.of(), RuleTreeCache.NONE));
    reloader.start(loaded, false, "");
    return reloader;
  }
}
