package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.gateway.broker.InboundMessage;
import io.floorgate.gateway.config.IngestConfig;
import io.floorgate.rules.RuleSet;
import io.floorgate.rules.eval.AlarmSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ingest queue is bounded by messages and by bytes, and apart from them by commands; a message
 * that does not fit is dropped, counted.
 */
class IngestQueueTest {
  private static final String TOPIC = "plant/line1/s1/temperature";
  private static final String CLIENT = "plc-1";

  private final Ingests.InMemory gateway = new Ingests.InMemory();

  @AfterEach
  void close() {
    gateway.close();
  }

  private Ingest ingest(int capacity, long bytes) {
    return ingest(capacity, bytes, RuleSet.empty());
  }

  private Ingest ingest(int capacity, long bytes, RuleSet rules) {
    return gateway.closing(
        Ingests.ingest(
            Ingests.config(capacity, bytes, List.of(), IngestConfig.DEFAULT_MAX_JSON_DEPTH),
            rules,
            gateway.events));
  }

  @Test
  void closing_evaluatesEveryMessageQueuedBeforeIt_includingThoseTakenInOneGo() {
    Ingest queue = ingest(1_000, IngestConfig.DEFAULT_QUEUE_BYTES, Ingests.temperatureAbove25());
    int count = 10 * Ingest.TAKE_AT_ONCE + 7; // the last take is a partial one
    for (int i = 0; i < count; i++) {
      byte[] payload = ("{\"value\": " + i % 30 + "}").getBytes(StandardCharsets.UTF_8);
      assertThat(queue.offer(new InboundMessage(TOPIC, payload, 0, false, CLIENT, null, 0)))
          .isTrue();
    }

    queue.start();
    queue.close(); // before the thread has taken anything, most likely: it must drain all

    assertThat(queue.evaluations()).isEqualTo(count);
    assertThat(queue.backlog()).isZero();
    assertThat(queue.queuedBytes()).isZero();
  }

  private static InboundMessage message(int payloadBytes) {
    return new InboundMessage(TOPIC, new byte[payloadBytes], 0, false, CLIENT, null, 0);
  }

  @Test
  void largePayloads_areDroppedOnceTheQueuedBytesWouldPassTheBound_evenWithRoomForMoreMessages() {
    long each = Ingest.footprint(message(3_000)); // 3,000 + topic + client id + overhead
    Ingest queue = ingest(100, 3 * each + 200); // not started: nothing drains

    assertThat(queue.offer(message(3_000))).isTrue();
    assertThat(queue.offer(message(3_000))).isTrue();
    assertThat(queue.offer(message(3_000))).isTrue();
    assertThat(queue.offer(message(3_000))).as("a fourth would pass the byte bound").isFalse();
    assertThat(queue.offer(message(10))).as("a small one still fits").isTrue();

    assertThat(queue.overruns()).isEqualTo(1);
    assertThat(queue.rejections().total(Rejection.QUEUE_FULL)).isEqualTo(1);
    assertThat(queue.queuedBytes()).isEqualTo(3 * each + Ingest.footprint(message(10)));
    assertThat(queue.backlog()).isEqualTo(4);
  }

  @Test
  void theMessageBound_stillHolds_forSmallPayloads() {
    Ingest queue = ingest(2, IngestConfig.DEFAULT_QUEUE_BYTES);

    assertThat(queue.offer(message(10))).isTrue();
    assertThat(queue.offer(message(10))).isTrue();
    assertThat(queue.offer(message(10))).isFalse();

    assertThat(queue.overruns()).isEqualTo(1);
    assertThat(queue.queuedBytes()).isEqualTo(2 * Ingest.footprint(message(10)));
  }

  @Test
  void commands_areQueuedAtOnce_whileTelemetryFillsTheQueue() {
    Ingest queue = ingest(2, IngestConfig.DEFAULT_QUEUE_BYTES); // not started: nothing drains
    assertThat(queue.offer(message(10))).isTrue();
    assertThat(queue.offer(message(10))).isTrue();
    assertThat(queue.offer(message(10))).as("the messages' part is full").isFalse();

    // Each would wait 5 s for room and then fail with "ingest is overloaded" were commands and
    // messages bounded together.
    Ingest.Pending<Ingest.RuleChange> change = queue.replaceRules(Ingests.temperatureAbove25());
    Ingest.Pending<Ingest.AckOutcome> ack = queue.acknowledge("e-1", "op-7", "admin");
    assertThat(change).isNotCompletedExceptionally();
    assertThat(ack).isNotCompletedExceptionally();
    // This one would wait for as long as nothing drains: off the test's thread.
    CompletableFuture<Ingest.Pending<Ingest.AckOutcome>> upstreamAck =
        CompletableFuture.supplyAsync(() -> queue.acknowledgeHeld("e-2", "op-7", "bridge"));
    assertThat(upstreamAck).succeedsWithin(Duration.ofSeconds(4));
    assertThat(queue.offer(message(10))).as("nor do commands make room for messages").isFalse();
    assertThat(queue.backlog()).isEqualTo(5);
    assertThat(queue.queuedMessages()).isEqualTo(2);
    queue.start();

    assertThat(change).succeedsWithin(Duration.ofSeconds(10));
    assertThat(ack)
        .succeedsWithin(Duration.ofSeconds(10))
        .isEqualTo(Ingest.AckOutcome.UNKNOWN_EVENT);
    assertThat(upstreamAck.join())
        .succeedsWithin(Duration.ofSeconds(10))
        .isEqualTo(Ingest.AckOutcome.UNKNOWN_EVENT);
    assertThat(queue.rules().size()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.backlog() == 0);
    assertThat(queue.offer(message(10))).as("the messages' room is theirs again").isTrue();
  }

  @Test
  @Timeout(60) // were commands bounded with the messages again, filling their room would hang
  void anUpstreamAcknowledgement_waitsForTheCommandsRoom_pastTheFiveSecondsOtherCommandsWait()
      throws Exception {
    Ingest queue = ingest(2, IngestConfig.DEFAULT_QUEUE_BYTES); // not started: nothing drains
    assertThat(queue.offer(message(10))).isTrue();
    assertThat(queue.offer(message(10))).isTrue();
    List<Ingest.Pending<List<AlarmSnapshot>>> queries = new ArrayList<>();
    for (int i = 0; i < Ingest.COMMAND_ROOM; i++) {
      queries.add(queue.alarms()); // the commands' room, full
    }

    ExecutorService senders = Executors.newFixedThreadPool(2); // both wait at once
    CompletableFuture<Ingest.Pending<List<AlarmSnapshot>>> oneMore =
        CompletableFuture.supplyAsync(queue::alarms, senders);
    CompletableFuture<Ingest.Pending<Ingest.AckOutcome>> submitting =
        CompletableFuture.supplyAsync(
            () -> queue.acknowledgeHeld("e-1", "op-7", "bridge"), senders);
    senders.shutdown();
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(8))
        .until(() -> !submitting.isDone());
    assertThat(oneMore.get(5, TimeUnit.SECONDS))
        .as("any other command gives up after 5 s")
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("ingest is overloaded");
    queue.start();

    assertThat(submitting.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS))
        .as("taken up and answered once there was room")
        .isEqualTo(Ingest.AckOutcome.UNKNOWN_EVENT);
    assertThat(queries).allSatisfy(q -> assertThat(q).succeedsWithin(Duration.ofSeconds(10)));
  }

  @Test
  void drainingTheQueue_givesItsBytesBack() {
    Ingest queue = ingest(100, 2 * Ingest.footprint(message(1_000)));
    assertThat(queue.offer(message(1_000))).isTrue();
    assertThat(queue.offer(message(1_000))).isTrue();
    assertThat(queue.offer(message(1_000))).isFalse();

    queue.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> queue.backlog() == 0);
    assertThat(queue.queuedBytes()).isZero();
    assertThat(queue.offer(message(1_000))).isTrue();
  }
}
