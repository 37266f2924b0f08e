package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.gateway.ingest.Ingests;
import io.floorgate.journal.RefusingDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the gateway gives the bridge for the acknowledgements it receives from the upstream. */
class UpstreamAcksTest {
  @TempDir Path dir;

  private final RefusingDisk disk = new RefusingDisk();

  @Test
  void anAcknowledgementFromTheUpstream_whileTheJournalRefuses_isHeldThenApplied()
      throws Exception {
    try (Ingests.JournaledIngest gateway =
        Ingests.JournaledIngest.on(disk, dir)) {
      String raise = gateway.raise().eventId();

      disk.refuseWrites(true);
      CompletableFuture<Boolean> known =
          Gateway.upstreamAcks(gateway.ingest).acknowledge(raise, "op-7");
      await().atMost(Duration.ofSeconds(10)).until(gateway.ingest::journalBlocked);
      assertThat(known).isNotDone();
      disk.refuseWrites(false);

      assertThat(known.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      disk.refuseWrites(false);
    }
  }
}
