package io.floorgate.journal;

import java.util.Locale;

/**
 * What the journal does to survive power loss ({@code journal.sync}). Every policy survives a
 * crash or {@code kill -9} of the gateway: records are written into memory-mapped files that the
 * kernel keeps. They differ in when records reach the disk itself.
 */
public enum SyncPolicy {
  /**
   * Never forces: the kernel writes pages back on its own schedule (about 30 s on Linux). A power
   * cut can lose that much.
   */
  NONE,
  /**
   * Forces the journal to disk every {@code journal.sync_interval} (default 1 s) from a background
   * thread. A power cut loses at most about that interval. The default.
   */
  BATCH,
  /**
   * {@code publish} returns only after its record was forced to disk. Concurrent publishers share
   * one fsync (group commit), but each publisher waits for a disk flush: expect milliseconds per
   * event on real disks.
   */
  ALWAYS;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code none}, {@code batch} or {@code always} in any case.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static SyncPolicy parse(String text) {
    for (SyncPolicy policy : values()) {
      if (policy.value().equalsIgnoreCase(text.trim())) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "sync must be one of [none, batch, always], but was '" + text + "'");
  }

  @Override
  public String toString() {
    return value();
  }
}
