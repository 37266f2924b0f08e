package io.floorgate.journal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a journal.
 *
 * @param dir the directory that holds the queue files (created if missing)
 * @param sync what survives power loss
 * @param syncInterval how often {@link SyncPolicy#BATCH} forces, > 0
 * @param retentionDays whole days of cycle files kept besides today's; 0 keeps everything
 * @param clock time for retention (tests move it)
 */
public record JournalOptions(
    Path dir, SyncPolicy sync, Duration syncInterval, int retentionDays, Clock clock) {

  public JournalOptions {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(clock, "clock");
    if (syncInterval.isNegative() || syncInterval.isZero()) {
      throw new IllegalArgumentException("sync_interval must be > 0, but was " + syncInterval);
    }
    if (retentionDays < 0) {
      throw new IllegalArgumentException("retention_days must be >= 0, but was " + retentionDays);
    }
  }

  /** Batch sync every second, 30 days' retention. */
  public static JournalOptions defaults(Path dir) {
    return new JournalOptions(dir, SyncPolicy.BATCH, Duration.ofSeconds(1), 30, Clock.systemUTC());
  }

  public JournalOptions withSync(SyncPolicy sync) {
    return new JournalOptions(dir, sync, syncInterval, retentionDays, clock);
  }

  public JournalOptions withRetentionDays(int retentionDays) {
    return new JournalOptions(dir, sync, syncInterval, retentionDays, clock);
  }

  public JournalOptions withClock(Clock clock) {
    return new JournalOptions(dir, sync, syncInterval, retentionDays, clock);
  }
}
