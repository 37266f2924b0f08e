package io.floorgate.gateway;

import io.floorgate.events.Event;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.ThresholdEvent;
import io.floorgate.gateway.bridge.Bridge;
import io.floorgate.gateway.config.BridgeConfig;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
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
 * The bridge against a local Mosquitto (started by the harness on 127.0.0.1), one operation =
 * 100,000 threshold events ({@code ThresholdEvent}, ~450 bytes of JSON) forwarded and
 * acknowledged (QoS 1 PUBACK) upstream:
 *
 * <ul>
 *   <li>{@code drainBacklog}: the events are in the journal and not acknowledged upstream (what an
 *       outage, or a gateway restarted during one, leaves); the bridge starts, connects and drains
 *       them. Time from start to the last acknowledgement.
 *   <li>{@code forwardLive}: the bridge is connected; the events are published one after the other
 *       through {@code EventManager.publish} (journal {@code sync: batch}) and forwarded as they
 *       come. Time from the first publish to the last acknowledgement.
 * </ul>
 *
 * <p>Run with {@code mvn -B -pl gateway -am -Pbench verify -Djmh.args="BridgeForwarding"}. Needs
 * {@code /usr/sbin/mosquitto}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
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
public class BridgeForwardingBenchmark {
  private static final int EVENTS = 100_000;
  private static final Bridge.Acknowledger NO_ACKS =
      (id, user) -> CompletableFuture.completedFuture(false);

  /** The upstream Mosquitto, for the whole trial. */
  @State(Scope.Benchmark)
  public static class Upstream {
    /** {@code bridge.in_flight}. */
    @Param({"100", "1000"})
    public int inFlight;

    /** Mosquitto's {@code set_tcp_nodelay} (its default: false). */
    @Param({"false", "true"})
    public boolean tcpNoDelay;

    Path root;
    Mosquitto mosquitto;
    BridgeConfig config;

    @Setup(Level.Trial)
    public void start() throws IOException {
      root = Files.createTempDirectory("bridge-bench");
      mosquitto = Mosquitto.start(root.resolve("mosquitto"), tcpNoDelay);
      config =
          ConfigLoader.parse(
                  """
                  gateway_id: bench
                  bridge:
                    enabled: true
                    host: 127.0.0.1
                    port: %d
                    in_flight: %d
                  """
                      .formatted(mosquitto.port(), inFlight),
                  "bench.yaml",
                  Optional.empty())
              .orThrow()
              .bridge();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
      mosquitto.close();
      delete(root);
    }
  }

  /** A fresh journal (and so a fresh cursor) per operation. */
  abstract static class Journaled {
    Path dir;
    Journal journal;
    EventManager events;
    Bridge bridge;

    void open(Upstream upstream) throws IOException {
      dir = Files.createTempDirectory(upstream.root, "journal");
      journal = Journal.open(JournalOptions.defaults(dir));
      events = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
    }

    void startBridge(Upstream upstream) {
      bridge = Bridge.start(upstream.config, "bench", journal, events, NO_ACKS, Clock.systemUTC());
    }

    void publishAll() {
      for (int i = 0; i < EVENTS; i++) {
        events.publish(breach(i));
      }
    }

    long awaitForwarded() {
      await(() -> bridge.status().forwarded() >= EVENTS, "all events acknowledged upstream");
      return bridge.status().forwarded();
    }

    @TearDown(Level.Invocation)
    public void close() throws IOException {
      if (bridge != null) {
        bridge.close();
        bridge = null;
      }
      events.close();
      journal.close();
      delete(dir);
    }
  }

  /** 100,000 events journaled, none acknowledged upstream; no bridge running yet. */
  @State(Scope.Thread)
  public static class Backlog extends Journaled {
    @Setup(Level.Invocation)
    public void fill(Upstream upstream) throws IOException {
      open(upstream);
      publishAll();
    }
  }

  /** An empty journal and a bridge connected to the upstream. */
  @State(Scope.Thread)
  public static class Connected extends Journaled {
    @Setup(Level.Invocation)
    public void connect(Upstream upstream) throws IOException {
      open(upstream);
      startBridge(upstream);
      await(() -> bridge.status().connected(), "the bridge connected");
    }
  }

  @Benchmark
  public long drainBacklog(Upstream upstream, Backlog backlog) {
    backlog.startBridge(upstream);
    return backlog.awaitForwarded();
  }

  @Benchmark
  public long forwardLive(Connected connected) {
    connected.publishAll();
    return connected.awaitForwarded();
  }

  /**
   * Polls every millisecond until {@code condition} holds; fails after two minutes rather than
   * hanging the run (a broken bridge must not look like a slow one).
   */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("timed out after 2 min waiting for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private static Event breach(int seq) {
    return ThresholdEvent.builder("Line temperature", 25.0, 26.5)
        .severity(EventSeverity.WARNING)
        .source("digital_twin")
        .details(
            Map.of(
                "parameter_path", "value",
                "state_timestamp", "unknown",
                "rule_id", "line-temp-high",
                "topic", "plant/line1/sensor7/temperature",
                "comparison", "greater_than",
                "seq", seq))
        .build();
  }

  static void delete(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
