package io.floorgate.gateway.config;

import io.floorgate.journal.SyncPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The event journal.
 *
 * @param dir where the journal's files live
 * @param retentionDays whole days kept besides today's; 0 keeps everything
 * @param sync what survives power loss
 * @param syncInterval how often {@code batch} forces the journal to disk
 */
public record JournalConfig(Path dir, int retentionDays, SyncPolicy sync, Duration syncInterval) {}
