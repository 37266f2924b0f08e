package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.gateway.broker.security.PasswordHash;
import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.journal.JournalEntry;
import io.floorgate.journal.JournalReader;
import io.floorgate.journal.JournalRecord;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the live gateway over real sockets to 127.0.0.1: at least 100,000 random and mutated
 * MQTT packets (seeded, so the packets are the same each run), bounded in count and in time.
 * Afterwards a normal device and SCADA are still served, every event journaled before the fuzz is
 * intact, and heap and direct memory are back near where they were.
 *
 * <p>{@code -Dfuzz.packets=N} and {@code -Dfuzz.seed=S} change the run; the figures go to
 * {@code target/fuzz-report.txt} and to docs/security.md.
 */
class BrokerFuzzIT {
  private static final long PACKETS = Long.getLong("fuzz.packets", 100_000);
  private static final long SEED = Long.getLong("fuzz.seed", 20_261_130);
  private static final int THREADS = 4;
  private static final Duration TIME_LIMIT = Duration.ofSeconds(110);
  private static final String RULES =
      """
      rules:
        - id: temp
          topic: plant/+/temperature
          comparison: greater_than
          value: 25.0
          severity: warning
      """;

  @TempDir Path dir;

  private record Tally(long packets, long sessions, long resetByGateway, Map<MqttFuzzer.Kind, Long> kinds) {}

  @Test
  void hundredThousandBadPackets_crashNothing_loseNoEvent_andLeaveTheGatewayServing() throws Exception {
    Path passwd = dir.resolve("passwd");
    StringBuilder users = new StringBuilder();
    for (String user : List.of("scada", "press-1", "press-2")) {
      users.append(user).append(':').append(PasswordHash.Pbkdf2.create(
          (user + "-pw").getBytes(StandardCharsets.UTF_8), 101, new SecureRandom()).encode()).append('\n');
    }
    Files.writeString(passwd, users);
    try (GatewayFixture fixture =
        GatewayFixture.start(
            dir,
            RULES,
            "max_payload_bytes: 4096\nmax_connections: 200\nconnect_timeout: 2s",
            "security:\n  password_file: %s\n  acl_file: %s\n  allow_anonymous: true\n"
                .formatted(passwd, SecurityIT.shippedAcl()))) {
      // Before: alarms raised and acknowledged, all journaled.
      Scada scada = Scada.connect("ignition", fixture.port(), "alerts/#", "scada", "scada-pw");
      Mqtt3BlockingClient device = login(fixture, "press-2");
      for (int i = 0; i < 10; i++) {
        publish(device, "plant/press-2/temperature", "30");
        publish(device, "plant/press-2/temperature", "20");
      }
      await().atMost(Duration.ofSeconds(10))
          .until(() -> scada.on("alerts/warning/threshold").size() == 10);
      List<String> journalBefore = journal(fixture);
      assertThat(journalBefore).hasSizeGreaterThanOrEqualTo(20);
      long heapBefore = usedHeapAfterGc();
      long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();

      long begin = System.nanoTime();
      Tally tally = fuzz(fixture.port());
      long fuzzMillis = (System.nanoTime() - begin) / 1_000_000;
      long heapPeak = peakHeap;

      // The front door drops what the fuzz left behind.
      await().atMost(Duration.ofSeconds(30)).until(() -> fixture.gateway.broker().openConnections() <= 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> fixture.gateway.ingest().backlog() == 0);

      // After: a normal device and SCADA are served (the old SCADA session too). press-2 was
      // left below the limit before the fuzz, which never used it.
      Mqtt3BlockingClient fresh = login(fixture, "press-2");
      publish(fresh, "plant/press-2/temperature", "{\"value\": 31.5, \"seq\": 1}");
      Scada.Received alert = scada.await(
          r -> r.topic().equals("alerts/warning/threshold") && r.payload().contains("plant/press-2/temperature")
              && r.payload().contains("31.5"));
      Scada late = Scada.connect("ignition-2", fixture.port(), "alarms/#", "scada", "scada-pw");
      late.await(r -> r.topic().startsWith("alarms/temp"));
      Mqtt3BlockingClient ack = login(fixture, "scada");
      String eventId = (String) alert.json().get("event_id");
      publish(ack, "alerts/ack", "{\"event_id\": \"" + eventId + "\", \"user_id\": \"op-1\"}");
      scada.awaitMessage("alerts/info/user", "op-1");

      // Every event journaled before the fuzz is still there, unchanged, in order.
      List<String> journalAfter = journal(fixture);
      assertThat(journalAfter.subList(0, journalBefore.size())).isEqualTo(journalBefore);

      long heapAfter = usedHeapAfterGc();
      long directAfter = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
      assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(64L << 20);
      assertThat(directAfter - directBefore).as("direct memory growth").isLessThan(32L << 20);
      assertThat(tally.packets()).isGreaterThanOrEqualTo(PACKETS);

      var rejections = fixture.gateway.ingest().rejections();
      Map<String, Long> refused = new LinkedHashMap<>();
      for (Rejection r : Rejection.values()) {
        if (rejections.total(r) > 0) {
          refused.put(r.value(), rejections.total(r));
        }
      }
      String report =
          "seed=" + SEED + " packets=" + tally.packets() + " sessions=" + tally.sessions()
              + " reset_by_gateway=" + tally.resetByGateway() + " duration_ms=" + fuzzMillis
              + "\nkinds=" + tally.kinds()
              + "\nrefused=" + refused
              + "\nheap_after_gc_mb before=" + (heapBefore >> 20) + " after=" + (heapAfter >> 20)
              + " peak_sampled=" + (heapPeak >> 20)
              + "\ndirect_pooled_mb before=" + (directBefore >> 20) + " after=" + (directAfter >> 20)
              + "\njournal_records before=" + journalBefore.size() + " after=" + journalAfter.size()
              + "\n";
      Files.writeString(Path.of("target", "fuzz-report.txt"), report);
      System.out.println("fuzz report:\n" + report);
      late.close();
      scada.close();
    }
  }

  private volatile long peakHeap;

  private Tally fuzz(int port) throws Exception {
    AtomicLong packets = new AtomicLong();
    AtomicLong sessions = new AtomicLong();
    AtomicLong closed = new AtomicLong();
    long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> new Thread(r, "fuzz"));
    List<Future<Map<MqttFuzzer.Kind, Long>>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      results.add(pool.submit(() -> {
        // Each thread has its own seed and quota, so the packets sent are the same every run.
        MqttFuzzer fuzzer = new MqttFuzzer(SEED + thread);
        long quota = (PACKETS + THREADS - 1) / THREADS;
        long mine = 0;
        int n = 0;
        while (mine < quota && System.nanoTime() < deadline) {
          n++;
          sessions.incrementAndGet();
          String clientId = "fuzz-" + thread + "-" + n;
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            int mode = fuzzer.random().nextInt(10);
            if (mode == 0) {
              // A broken CONNECT: the front door's parser must refuse it. Its client ID has its own
              // prefix: a flipped bit can leave a CONNECT valid with another digit in the ID, and
              // "fuzz-…" would then take over a good session, which is not what this test is about
              // (seed 20261130 turned fuzz-3-197 into fuzz-1-197, thread 1's ID of the moment).
              out.write(fuzzer.brokenConnect("broken-" + thread + "-" + n));
              mine++;
            } else {
              boolean device = mode < 6;
              out.write(MqttFuzzer.connect(clientId, device ? "press-1" : null, "press-1-pw"));
              mine++;
              byte[] connack = in.readNBytes(4);
              assertThat(connack).as("CONNACK accepted").containsExactly(0x20, 0x02, 0x00, 0x00);
              String prefix = device ? "plant/press-1" : "plant/anonymous";
              // Packets the broker must take and keep the connection for, then one that may end it.
              int burst = 5 + fuzzer.random().nextInt(20);
              for (int i = 0; i < burst; i++) {
                out.write(fuzzer.next(prefix, false));
                mine++;
                drain(in);
              }
              out.write(fuzzer.next(prefix, true));
              mine++;
            }
            // Half-close and read to the end: everything sent was read by the gateway before it
            // saw the end of the stream (or it closed the connection itself, earlier).
            out.flush();
            socket.shutdownOutput();
            while (in.read() >= 0) {
              in.skip(in.available());
            }
            if (sessions.get() % 256 == 0) {
              sampleHeap();
            }
          } catch (IOException e) {
            closed.incrementAndGet(); // reset by the gateway after garbage
          }
        }
        packets.addAndGet(mine);
        return fuzzer.counts();
      }));
    }
    Map<MqttFuzzer.Kind, Long> kinds = new EnumMap<>(MqttFuzzer.Kind.class);
    for (Future<Map<MqttFuzzer.Kind, Long>> f : results) {
      f.get().forEach((k, v) -> kinds.merge(k, v, Long::sum));
    }
    pool.shutdown();
    return new Tally(packets.get(), sessions.get(), closed.get(), kinds);
  }

  private static void drain(InputStream in) throws IOException {
    int available = in.available();
    if (available > 0) {
      in.skipNBytes(available);
    }
  }

  private void sampleHeap() {
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    if (used > peakHeap) {
      peakHeap = used;
    }
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static List<String> journal(GatewayFixture fixture) {
    List<String> records = new ArrayList<>();
    try (JournalReader reader = fixture.gateway.journal().reader()) {
      for (Optional<JournalEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        // The index, and every byte of the record: the event's JSON in full.
        records.add(e.get().index() + " " + (e.get().record() instanceof JournalRecord.EventRecord ev
            ? ev.timestampMicros() + " " + ev.eventId() + " " + new String(ev.json(), StandardCharsets.UTF_8)
            : e.get().record().toString()));
      }
    }
    return records;
  }

  private static Mqtt3BlockingClient login(GatewayFixture fixture, String user) {
    Mqtt3BlockingClient c =
        com.hivemq.client.mqtt.MqttClient.builder()
            .useMqttVersion3()
            .identifier(user + "-" + System.nanoTime())
            .serverHost("127.0.0.1")
            .serverPort(fixture.port())
            .buildBlocking();
    c.connectWith().simpleAuth().username(user).password((user + "-pw").getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    return c;
  }

  private static void publish(Mqtt3BlockingClient c, String topic, String payload) {
    c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
  }
}
