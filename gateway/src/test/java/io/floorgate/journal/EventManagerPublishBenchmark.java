package io.floorgate.journal;

import io.floorgate.events.Event;
import io.floorgate.events.EventJson;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.ThresholdEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code EventManager.publish} with the journal on and off, against a raw Chronicle append of the
 * same record bytes: what the event system costs on top of the journal's own storage.
 *
 * <p>Run with {@code mvn -B -pl gateway -am -Pbench verify -Djmh.args="EventManagerPublish"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx1g",
      "-Dchronicle.analytics.disable=true",
      "-Dchronicle.announcer.disable=true",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED"
    })
public class EventManagerPublishBenchmark {
  private static final int POOL = 4096;

  /** The journal's sync policy: none is what the raw append does; batch is the default. */
  @Param({"none", "batch"})
  public String sync;

  private Path dir;
  private Journal journal;
  private EventManager journaled;
  private EventManager inMemory;
  private SingleChronicleQueue rawQueue;
  private ExcerptAppender rawAppender;
  private Event[] events;
  private byte[][] records;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("floorgate-bench");
    journal =
        Journal.open(
            JournalOptions.defaults(dir.resolve("journal")).withSync(SyncPolicy.parse(sync)));
    journaled = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
    inMemory = EventManager.inMemory(EventNotificationConfig.DEFAULTS);
    rawQueue =
        SingleChronicleQueueBuilder.binary(dir.resolve("raw").toFile())
            .rollCycle(RollCycles.FAST_DAILY)
            .build();
    rawAppender = rawQueue.createAppender();
    events = new Event[POOL];
    records = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      events[i] = thresholdEvent(i);
      records[i] = RecordCodec.encode(recordOf(events[i]));
    }
  }

  /** The record the journal writes for {@code event}, as {@code EventManager} builds it. */
  private static JournalRecord recordOf(Event event) {
    return new JournalRecord.EventRecord(
        event.timestamp().getEpochSecond() * 1_000_000 + event.timestamp().getNano() / 1000,
        event.eventId(),
        event.category().value(),
        event.severity().value(),
        EventJson.toBytes(event));
  }

  private static Event thresholdEvent(long seq) {
    return ThresholdEvent.builder("Line temperature", 25.0, 26.5)
        .severity(EventSeverity.WARNING)
        .source("digital_twin")
        .details(
            Map.of(
                "parameter_path", "value",
                "state_timestamp", "2026-11-29T10:00:00Z",
                "rule_id", "line-temp-high",
                "topic", "plant/line1/sensor7/temperature",
                "comparison", "greater_than",
                "seq", seq))
        .build();
  }

  /** Publishing a ready event with the journal: JSON, record, append, window, dispatch. */
  @Benchmark
  public boolean publishJournaled() {
    return journaled.publish(events[next++ & (POOL - 1)]);
  }

  /** As the gateway does it: build the event (UUID, timestamp, details), then publish. */
  @Benchmark
  public boolean buildAndPublishJournaled() {
    return journaled.publish(thresholdEvent(next++));
  }

  /** Only the JSON that publish writes for a ready event: how much of publish it is. */
  @Benchmark
  public byte[] eventJsonOnly() {
    return EventJson.toBytes(events[next++ & (POOL - 1)]);
  }

  /** Publishing a ready event without the journal: window and dispatch only. */
  @Benchmark
  public boolean publishInMemory() {
    return inMemory.publish(events[next++ & (POOL - 1)]);
  }

  /** Chronicle alone: appending the same record bytes the journal writes for those events. */
  @Benchmark
  public long rawChronicleAppend() {
    try (DocumentContext dc = rawAppender.writingDocument()) {
      dc.wire().bytes().write(records[next++ & (POOL - 1)]);
    }
    return rawAppender.lastIndexAppended();
  }

  /**
   * Chronicle plus the same serialisation: the event's JSON and record envelope built, then
   * appended, without the manager (filters, window, dispatch, locks).
   */
  @Benchmark
  public long serializeAndAppend() {
    Event event = events[next++ & (POOL - 1)];
    byte[] record = RecordCodec.encode(recordOf(event));
    try (DocumentContext dc = rawAppender.writingDocument()) {
      dc.wire().bytes().write(record);
    }
    return rawAppender.lastIndexAppended();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    journal.close();
    rawAppender.close();
    rawQueue.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
