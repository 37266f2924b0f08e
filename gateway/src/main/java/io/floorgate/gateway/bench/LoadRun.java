package io.floorgate.gateway.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.reactivex.schedulers.Schedulers;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One benchmark run against one MQTT broker: the devices publish the {@link TelemetryPlan} at the
 * spec's rate, one subscriber on {@code alerts/#} hands every alert to the {@link AlertLedger},
 * and the target's CPU time and memory are read from {@code /proc} when its PID is known. Given
 * a Floorgate's {@code /metrics} address it also reads the gateway's own part of the alerts'
 * latency ({@link GatewayDelay}) before and after measuring.
 *
 * <p>Threads (short names: Linux shows 15 characters in {@code /proc}): {@code bench-load} paces
 * and publishes; the MQTT clients' I/O runs on {@code bench-mqtt-N} (two, one per core of the box
 * it was made for), the clients' own callbacks on {@code bench-callbacks}, and alerts are matched
 * on {@code bench-alerts} in arrival order; {@code bench-metrics} reads the metrics as the window
 * opens, off the load thread's schedule. The caller's thread waits.
 */
public final class LoadRun {
  private static final String ALERTS = "alerts/#";
  /**
   * How long before the measured window the gateway's delay is first read: read on the load
   * thread it would hold up the schedule, so it is read on another, early enough to be done when
   * the first measured breach is sent.
   */
  private static final Duration METRICS_LEAD = Duration.ofMillis(200);

  private final LoadSpec spec;
  private final String host;
  private final int port;
  private final @Nullable ProcStats target;
  private final @Nullable URI metrics;
  /** The reading taken before the clients connected: the window's start when there is no warm-up. */
  private final @Nullable GatewayDelay beforeLoad;
  private volatile @Nullable CompletableFuture<GatewayDelay> delayAtStart;
  private final ProcStats self = new ProcStats(ProcessHandle.current().pid());
  private final TelemetryPlan plan;
  private final AlertLedger ledger;
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private volatile @Nullable Throwable firstFailure;

  private LoadRun(
      LoadSpec spec,
      String host,
      int port,
      @Nullable ProcStats target,
      @Nullable URI metrics,
      @Nullable GatewayDelay beforeLoad) {
    this.spec = spec;
    this.host = host;
    this.port = port;
    this.target = target;
    this.metrics = metrics;
    this.beforeLoad = beforeLoad;
    this.plan = new TelemetryPlan(spec);
    this.ledger = new AlertLedger(plan);
  }

  /**
   * Runs {@code spec} against the broker at {@code host:port}.
   *
   * @param targetPid the broker's process, for its CPU time and memory; empty when unknown (then
   *     they are not reported)
   * @throws IllegalStateException when a client cannot connect
   */
  public static LoadResult run(LoadSpec spec, String host, int port, @Nullable Long targetPid) {
    return run(spec, host, port, targetPid, null);
  }

  /**
   * The same, reading the gateway's own part of the alerts' latency from {@code metrics}, its
   * {@code /metrics} address (none when null).
   *
   * @throws IllegalStateException also when {@code metrics} cannot be read before the load
   */
  public static LoadResult run(
      LoadSpec spec, String host, int port, @Nullable Long targetPid, @Nullable URI metrics) {
    ProcStats target = null;
    if (targetPid != null) {
      target = new ProcStats(targetPid);
      if (!target.available()) {
        throw new IllegalArgumentException(
            "pid must be a running process on this machine, but /proc has no " + targetPid);
      }
    }
    // Read now, so that an address that cannot be read fails the run before any load.
    GatewayDelay beforeLoad = metrics == null ? null : GatewayDelay.scrape(metrics);
    return new LoadRun(spec, host, port, target, metrics, beforeLoad).execute();
  }

  private LoadResult execute() {
    AtomicInteger mqttThreads = new AtomicInteger();
    ExecutorService netty =
        Executors.newCachedThreadPool(
            r -> daemon(r, "bench-mqtt-" + mqttThreads.incrementAndGet()));
    ExecutorService alertThread =
        Executors.newSingleThreadExecutor(r -> daemon(r, "bench-alerts"));
    ExecutorService metricsThread =
        Executors.newSingleThreadExecutor(r -> daemon(r, "bench-metrics"));
    MqttClientExecutorConfig executors =
        MqttClientExecutorConfig.builder()
            .nettyExecutor(netty)
            .nettyThreads(2)
            // Publish results complete on the I/O thread that got them: no hop to another thread
            // per message (the load generator shares the box with the target).
            .applicationScheduler(Schedulers.trampoline())
            .build();
    List<Mqtt3AsyncClient> connected = new ArrayList<>();
    try {
      Mqtt3AsyncClient scada = client("floorgate-bench-scada", executors);
      connect(scada, connected);
      await(
          scada
              .subscribeWith()
              .topicFilter(ALERTS)
              .qos(MqttQos.AT_LEAST_ONCE)
              .callback(p -> ledger.onAlert(p.getTopic().toString(), p.getPayloadAsBytes(),
                  System.nanoTime()))
              .executor(alertThread)
              .send(),
          "subscribe to " + ALERTS);
      Mqtt3AsyncClient[] devices = new Mqtt3AsyncClient[spec.devices()];
      for (int d = 0; d < devices.length; d++) {
        devices[d] = client("floorgate-bench-line" + (d + 1), executors);
        connect(devices[d], connected);
      }
      return load(devices, metricsThread);
    } finally {
      for (Mqtt3AsyncClient client : connected) {
        try {
          client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // already gone; the run's numbers are taken
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      alertThread.shutdown();
      metricsThread.shutdown();
      netty.shutdown();
    }
  }

  private Mqtt3AsyncClient client(String id, MqttClientExecutorConfig executors) {
    return MqttClient.builder()
        .useMqttVersion3()
        .identifier(id)
        .serverHost(host)
        .serverPort(port)
        .executorConfig(executors)
        .buildAsync();
  }

  private void connect(Mqtt3AsyncClient client, List<Mqtt3AsyncClient> connected) {
    await(client.connectWith().cleanSession(true).keepAlive(60).send(),
        "connect " + client.getConfig().getClientIdentifier().map(Object::toString).orElse("?"));
    connected.add(client);
  }

  private void await(CompletableFuture<?> future, String what) {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot " + what + " at " + host + ":" + port + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot " + what + " at " + host + ":" + port
          + ": no answer within 10 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  /** What the load thread measured. */
  private static final class Window {
    long startNanos;
    long endNanos;
    double targetCpuStart = Double.NaN;
    double targetCpuEnd = Double.NaN;
    double targetSysStart = Double.NaN;
    double targetSysEnd = Double.NaN;
    Map<String, Double> targetThreadsStart = Map.of();
    Map<String, Double> targetThreadsEnd = Map.of();
    Map<String, Double> selfThreadsStart = Map.of();
    Map<String, Double> selfThreadsEnd = Map.of();
    double selfCpuStart;
    double selfCpuEnd;
    long maxRssKib;
    long maxLagNanos;
    @Nullable MachineCpu machineStart;
    @Nullable MachineCpu machineEnd;

    MachineCpu.Share machine() {
      MachineCpu start = machineStart;
      MachineCpu end = machineEnd;
      return start == null || end == null ? MachineCpu.Share.UNKNOWN : start.until(end);
    }
  }

  private LoadResult load(Mqtt3AsyncClient[] devices, ExecutorService metricsThread) {
    MqttTopic[] topics = new MqttTopic[plan.topicCount()];
    for (int i = 0; i < topics.length; i++) {
      topics[i] = MqttTopic.of(plan.topicName(i));
    }
    MqttQos qos = spec.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
    long warmupMessages = messagesIn(spec.warmup());
    long total = warmupMessages + messagesIn(spec.duration());
    Window window = new Window();
    BiConsumer<Mqtt3Publish, Throwable> done =
        (publish, error) -> {
          if (error == null) {
            completed.incrementAndGet();
          } else {
            if (failed.getAndIncrement() == 0) {
              firstFailure = error;
            }
          }
        };
    Thread loader =
        new Thread(
            () -> pace(devices, topics, qos, warmupMessages, total, window, done, metricsThread),
            "bench-load");
    loader.start();
    try {
      loader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      loader.interrupt();
      throw new IllegalStateException("interrupted during the load", e);
    }
    long drainDeadline = System.nanoTime() + spec.drainTimeout().toNanos();
    while (System.nanoTime() < drainDeadline
        && (completed.get() + failed.get() < published.get()
            || (spec.expectAlerts() && !ledger.complete()))) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    long drainedAfter = System.nanoTime() - window.endNanos;
    GatewayDelay delay = null;
    String delayError = null;
    CompletableFuture<GatewayDelay> atStart = delayAtStart;
    if (atStart != null) {
      try {
        delay = GatewayDelay.scrape(Objects.requireNonNull(metrics)).since(atStart.join());
      } catch (IllegalStateException | IllegalArgumentException e) {
        delayError = e.getMessage();
      } catch (CompletionException e) {
        delayError = e.getCause().getMessage();
      }
    }
    long peakRss = target == null ? -1 : target.peakRssKib();
    long measured = total - warmupMessages;
    double seconds = (window.endNanos - window.startNanos) / 1e9;
    Throwable failure = firstFailure;
    MachineCpu.Share machine = window.machine();
    return new LoadResult(
        spec,
        published.get(),
        completed.get(),
        failed.get(),
        failure == null ? null : failure.toString(),
        measured,
        seconds,
        measured / seconds,
        window.maxLagNanos / 1e6,
        drainedAfter / 1e6,
        ledger.summarize(),
        ledger.alerts(),
        window.targetCpuEnd - window.targetCpuStart,
        window.targetSysEnd - window.targetSysStart,
        difference(window.targetThreadsStart, window.targetThreadsEnd),
        window.selfCpuEnd - window.selfCpuStart,
        difference(window.selfThreadsStart, window.selfThreadsEnd),
        peakRss,
        window.maxRssKib,
        machine.busy(),
        machine.steal(),
        delay,
        delayError);
  }

  private long messagesIn(Duration duration) {
    return Math.round(duration.toNanos() / 1e9 * spec.rate());
  }

  /** The load thread: publishes message k at start + k / rate, and takes the window's readings. */
  private void pace(
      Mqtt3AsyncClient[] devices,
      MqttTopic[] topics,
      MqttQos qos,
      long warmupMessages,
      long total,
      Window window,
      BiConsumer<Mqtt3Publish, Throwable> done,
      ExecutorService metricsThread) {
    TelemetryPlan.Sample sample = new TelemetryPlan.Sample();
    double nanosPerMessage = 1e9 / spec.rate();
    long readMetricsAt =
        Math.max(0, warmupMessages - Math.round(METRICS_LEAD.toNanos() / nanosPerMessage));
    URI metricsUri = metrics;
    if (beforeLoad != null && readMetricsAt == 0) {
      delayAtStart = CompletableFuture.completedFuture(beforeLoad); // nothing has been sent since
    }
    long start = System.nanoTime();
    long nextRssSample = start;
    long k = 0;
    if (warmupMessages == 0) {
      beginWindow(window);
    }
    while (k < total) {
      long now = System.nanoTime();
      long due = Math.min(total, (long) ((now - start) / nanosPerMessage) + 1);
      if (k >= due) {
        long wait = start + (long) (k * nanosPerMessage) - now;
        LockSupport.parkNanos(Math.max(10_000, wait));
        continue;
      }
      long lag = now - (start + (long) (k * nanosPerMessage));
      if (k >= warmupMessages && lag > window.maxLagNanos) {
        window.maxLagNanos = lag;
      }
      while (k < due) {
        if (k == readMetricsAt && metricsUri != null && delayAtStart == null) {
          delayAtStart =
              CompletableFuture.supplyAsync(() -> GatewayDelay.scrape(metricsUri), metricsThread);
        }
        plan.next(sample);
        if (sample.afterBreach()) {
          ledger.clearSent(sample.topic());
        }
        if (sample.breach()) {
          ledger.breachSent(sample.topic(), sample.seq(), System.nanoTime(), k >= warmupMessages);
        }
        Mqtt3Publish publish =
            Mqtt3Publish.builder()
                .topic(topics[sample.topic()])
                .qos(qos)
                .payload(TelemetryPlan.payload(sample, System.currentTimeMillis()))
                .build();
        published.incrementAndGet();
        devices[plan.deviceOf(k)].publish(publish).whenComplete(done);
        k++;
        if (k == warmupMessages) {
          beginWindow(window);
        }
      }
      if (target != null && now >= nextRssSample && k > warmupMessages) {
        window.maxRssKib = Math.max(window.maxRssKib, target.rssKib());
        nextRssSample = now + TimeUnit.SECONDS.toNanos(1);
      }
    }
    window.endNanos = System.nanoTime();
    window.machineEnd = MachineCpu.now().orElse(null);
    window.selfCpuEnd = self.cpuSeconds();
    window.selfThreadsEnd = self.cpuSecondsByThread();
    if (target != null) {
      window.targetCpuEnd = target.cpuSeconds();
      window.targetSysEnd = target.systemCpuSeconds();
      window.targetThreadsEnd = target.cpuSecondsByThread();
      window.maxRssKib = Math.max(window.maxRssKib, target.rssKib());
    }
  }

  /** CPU seconds per thread name spent between the two readings, most first; 0.01 s or more. */
  private static Map<String, Double> difference(Map<String, Double> start, Map<String, Double> end) {
    Map<String, Double> spent = new LinkedHashMap<>();
    end.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - start.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() >= 0.01)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> spent.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
    return spent;
  }

  private void beginWindow(Window window) {
    window.startNanos = System.nanoTime();
    window.machineStart = MachineCpu.now().orElse(null);
    window.selfCpuStart = self.cpuSeconds();
    window.selfThreadsStart = self.cpuSecondsByThread();
    if (target != null) {
      window.targetCpuStart = target.cpuSeconds();
      window.targetSysStart = target.systemCpuSeconds();
      window.targetThreadsStart = target.cpuSecondsByThread();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }
}
