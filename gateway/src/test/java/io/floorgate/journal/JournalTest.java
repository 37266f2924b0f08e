package io.floorgate.journal;

import static io.floorgate.journal.JournalContents.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;

  private static JournalRecord.EventRecord event(String id) {
    return new JournalRecord.EventRecord(
        1_000_000L, id, "threshold", "warning", ("{\"event_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void append_thenRead_returnsEveryRecordInOrder() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      long first = journal.append(event("a"));
      journal.append(new JournalRecord.AckRecord(2_000_000L, "a"));
      long last = journal.append(new JournalRecord.ClearRecord(3_000_000L, Long.MAX_VALUE));

      assertThat(last).isGreaterThan(first);
      assertThat(journal.lastIndex()).isEqualTo(last);
      assertThat(records(journal))
          .containsExactly(
              event("a"),
              new JournalRecord.AckRecord(2_000_000L, "a"),
              new JournalRecord.ClearRecord(3_000_000L, Long.MAX_VALUE));
      assertThat(journal.countFrom(first)).isEqualTo(3);
    }
  }

  @Test
  void reopen_readsWhatWasWrittenBefore() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      journal.append(event("a"));
      journal.append(event("b"));
    }
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      journal.append(event("c"));
      assertThat(records(journal)).containsExactly(event("a"), event("b"), event("c"));
    }
  }

  @Test
  void cursor_resumesAfterReopenWhereItCommitted() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      for (String id : List.of("a", "b", "c")) {
        journal.append(event(id));
      }
      JournalCursor cursor = journal.cursor("alerts");
      List<String> seen = new ArrayList<>();
      assertThat(cursor.poll(e -> seen.add(id(e)))).isTrue();
      assertThat(cursor.poll(e -> false)).as("declined: stays").isFalse();
      assertThat(cursor.lag()).isEqualTo(2);
      assertThat(seen).containsExactly("a");
    }
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      JournalCursor cursor = journal.cursor("alerts");
      List<String> seen = new ArrayList<>();
      while (cursor.poll(e -> seen.add(id(e)))) {
        // drain
      }
      assertThat(seen).containsExactly("b", "c");
      assertThat(cursor.lag()).isZero();
      JournalCursor other = journal.cursor("bridge");
      assertThat(other.poll(e -> true)).isTrue();
      assertThat(other.lag()).isEqualTo(2);
    }
  }

  @Test
  void cursorRewind_readsAgainTheRecordsOfTheWindowBeforeItsPosition() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      long second = 1_000_000L;
      for (int i = 0; i < 6; i++) {
        journal.append(
            new JournalRecord.EventRecord(i * 10 * second, "e" + i, "threshold", "warning", new byte[] {'{', '}'}));
      }
      JournalCursor cursor = journal.cursor("alerts");
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        cursor.poll(e -> seen.add(id(e)));
      }
      assertThat(seen).containsExactly("e0", "e1", "e2", "e3", "e4");

      // e4 was read last at t=40 s; a 25 s window reaches back to e2 (t=20 s), not e1 (t=10 s).
      assertThat(cursor.rewind(java.time.Duration.ofSeconds(25))).isEqualTo(3);

      seen.clear();
      while (cursor.poll(e -> seen.add(id(e)))) {
        // drain
      }
      assertThat(seen).containsExactly("e2", "e3", "e4", "e5");
    }
  }

  @Test
  void cursorRewind_atTheEnd_readsAgainTheLastWindow() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      journal.append(event("a"));
      journal.append(event("b"));
      JournalCursor cursor = journal.cursor("alerts");
      while (cursor.poll(e -> true)) {
        // drain
      }

      assertThat(cursor.rewind(java.time.Duration.ofSeconds(60))).isEqualTo(2);
      List<String> seen = new ArrayList<>();
      while (cursor.poll(e -> seen.add(id(e)))) {
        // drain
      }
      assertThat(seen).containsExactly("a", "b");
    }
  }

  @Test
  void cursor_handlerThatThrows_seesTheSameRecordAgain() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      journal.append(event("a"));
      JournalCursor cursor = journal.cursor("alerts");

      assertThatThrownBy(
              () ->
                  cursor.poll(
                      e -> {
                        throw new IllegalStateException("broker down");
                      }))
          .hasMessage("broker down");

      List<String> seen = new ArrayList<>();
      assertThat(cursor.poll(e -> seen.add(id(e)))).isTrue();
      assertThat(seen).containsExactly("a");
    }
  }

  @Test
  void corruptRecord_isSkippedAndTheRestIsRead() throws IOException {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      journal.append(event("first"));
      journal.append(event("second-xxxxxxxxxxxxxxxx"));
      journal.append(event("third"));
    }
    Path file = cycleFile();
    byte[] bytes = Files.readAllBytes(file);
    int at = indexOf(bytes, "second-xxxxxxxxxxxxxxxx".getBytes(StandardCharsets.UTF_8));
    assertThat(at).isPositive();
    bytes[at + 3] ^= 0x5A; // flip bits inside the record body: the checksum must catch it
    Files.write(file, bytes);

    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      assertThat(records(journal)).containsExactly(event("first"), event("third"));
      journal.append(event("fourth"));
      assertThat(records(journal)).containsExactly(event("first"), event("third"), event("fourth"));
    }
  }

  @Test
  void retention_deletesExpiredDaysAndKeepsToday() throws IOException {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      journal.append(event("today"));
    }
    Path old = dir.resolve("20200101F.cq4");
    Files.write(old, new byte[] {1, 2, 3});
    Path recent = dir.resolve(java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2)
        .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'F'")) + ".cq4");
    Files.copy(cycleFile(), recent);

    try (Journal journal = Journal.open(JournalOptions.defaults(dir).withRetentionDays(30))) {
      assertThat(old).doesNotExist();
      assertThat(recent).exists();
      assertThat(journal.purgeExpired()).isEmpty();
    }
    Files.delete(recent);
    try (Journal journal = Journal.open(JournalOptions.defaults(dir).withRetentionDays(30))) {
      assertThat(records(journal)).containsExactly(event("today"));
    }
  }

  @Test
  void retentionZero_keepsEverything() throws IOException {
    Path old = dir.resolve("20200101F.cq4");
    Files.createDirectories(dir);
    Files.write(old, new byte[] {1});
    try (Journal journal = Journal.open(JournalOptions.defaults(dir).withRetentionDays(0))) {
      assertThat(journal.purgeExpired()).isEmpty();
    }
    assertThat(old).exists();
  }

  @Test
  void syncAlways_appendsAndSurvivesReopen() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir).withSync(SyncPolicy.ALWAYS))) {
      journal.append(event("a"));
      journal.awaitDurable();
      journal.append(event("b"));
      journal.awaitDurable();
    }
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      assertThat(records(journal)).containsExactly(event("a"), event("b"));
    }
  }

  @Test
  void closedJournal_refusesAppends() {
    Journal journal = Journal.open(JournalOptions.defaults(dir));
    journal.close();
    journal.close();

    assertThatThrownBy(() -> journal.append(event("late")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void unwritableDirectory_failsToOpenNamingIt() throws IOException {
    Path file = dir.resolve("not-a-dir");
    Files.write(file, new byte[0]);

    assertThatThrownBy(() -> Journal.open(JournalOptions.defaults(file.resolve("journal"))))
        .hasMessageContaining("cannot create journal directory")
        .hasMessageContaining("not-a-dir");
  }

  @Test
  void append_recordsOfTheLargestSize_readBackWhereverTheyFallInABlock() {
    List<JournalRecord> written = new ArrayList<>();
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      // Small records of varying length between the large ones start each large one at another
      // offset in its block; ten of them cross more than two blocks.
      for (int i = 0; i < 10; i++) {
        for (int j = 0; j <= i; j++) {
          written.add(event("e" + i + "-" + "x".repeat(j * 37)));
        }
        written.add(rulesOfEncodedLength(Journal.MAX_RECORD_BYTES, (byte) ('a' + i)));
      }
      written.forEach(journal::append);

      assertThat(records(journal)).containsExactlyElementsOf(written);
    }
  }

  @Test
  void append_aRecordLargerThanTheLimit_isRefusedByNameAndNothingIsAppended() {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      journal.append(event("before"));
      JournalRecord tooLarge = rulesOfEncodedLength(Journal.MAX_RECORD_BYTES + 1, (byte) 'r');

      assertThatThrownBy(() -> journal.append(tooLarge))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "journal "
                  + dir
                  + ": a record of 4194305 bytes ("
                  + tooLarge
                  + ") is larger than the 4194304 bytes the journal takes");
      journal.append(event("after"));
      assertThat(records(journal)).containsExactly(event("before"), event("after"));
    }
  }

  @Test
  void open_aJournalMappedInChronicleDefaultBlocks_readsItsLargeRecordsAndAppends()
      throws IOException {
    // Journals written before the block size was set used Chronicle's default, 64 MiB, whose
    // overlap let records of up to 16 MiB in: larger than the journal now takes, and still read.
    byte[] large = RecordCodec.encode(rulesOfEncodedLength(10 << 20, (byte) 'o'));
    try (SingleChronicleQueue old =
            SingleChronicleQueueBuilder.binary(dir.toFile()).rollCycle(RollCycles.FAST_DAILY).build();
        ExcerptAppender appender = old.createAppender()) {
      assertThat(old.blockSize()).isEqualTo(64L << 20);
      appender.writeBytes(Bytes.wrapForRead(RecordCodec.encode(event("old"))));
      appender.writeBytes(Bytes.wrapForRead(large));
    }

    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      journal.append(event("new"));

      assertThat(records(journal))
          .containsExactly(
              event("old"), rulesOfEncodedLength(10 << 20, (byte) 'o'), event("new"));
    }
  }

  /** A rules record whose encoding is exactly {@code length} bytes. */
  private static JournalRecord.RulesRecord rulesOfEncodedLength(int length, byte fill) {
    JournalRecord.RulesRecord empty =
        new JournalRecord.RulesRecord(4_000_000L, "file", "0".repeat(64), new byte[0]);
    byte[] text = new byte[length - RecordCodec.encode(empty).length];
    Arrays.fill(text, fill);
    return new JournalRecord.RulesRecord(4_000_000L, "file", "0".repeat(64), text);
  }

  @Test
  void syncPolicy_parsesAndRejectsUnknown() {
    assertThat(SyncPolicy.parse("ALWAYS")).isEqualTo(SyncPolicy.ALWAYS);
    assertThatThrownBy(() -> SyncPolicy.parse("fsync"))
        .hasMessage("sync must be one of [none, batch, always], but was 'fsync'");
  }

  private static String id(JournalEntry entry) {
    return ((JournalRecord.EventRecord) entry.record()).eventId();
  }

  private Path cycleFile() throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith("F.cq4")).findFirst().orElseThrow();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
