package io.floorgate.gateway;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the C heap's free memory back to the operating system now and then, as the JVM's {@code
 * jcmd PID System.trim_native_heap} does (glibc's {@code malloc_trim}).
 *
 * <p>Why: the JIT compiles in scratch memory it mallocs and frees; glibc keeps what was freed, so
 * the process's resident memory stays at its highest point, most of it reached while the JIT
 * warms up under load. Trimming lowers that peak and keeps it from creeping (docs/benchmarks.md,
 * Memory). The JVM's own periodic trim ({@code -XX:TrimNativeHeapInterval}) does the same, but
 * Java 17 updates before 17.0.9 refuse to start with that option, while this command came to Java
 * 17 in an early update (JDK-8268893) and is simply skipped, with one log line, where it is
 * missing or the C library is not glibc.
 *
 * <p>When: every {@code interval} the JIT has been quiet, once it has compiled since the last
 * trim; while it keeps compiling, at most every {@link #BUSY_TRIM}; with nothing compiled, every
 * {@link #IDLE_TRIM}. Trimming while the JIT compiles gives its arenas back only for the next
 * compilation to fault them in again (docs/benchmarks.md, page faults).
 *
 * <p>Runs on one daemon thread of its own, {@code floorgate-trim}.
 */
public final class NativeHeapTrimmer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NativeHeapTrimmer.class);
  private static final String OPERATION = "systemTrimNativeHeap";

  /** While the JIT keeps compiling, trims at most this often. */
  static final Duration BUSY_TRIM = Duration.ofSeconds(10);
  /** With nothing compiled since the last trim, trims this often (other freed memory). */
  static final Duration IDLE_TRIM = Duration.ofSeconds(30);

  private final ScheduledExecutorService timer;
  private final Supplier<String> trim;
  private final LongSupplier compiledMillis;
  private final Schedule schedule = new Schedule(System.nanoTime());
  private final AtomicLong trims = new AtomicLong();
  private volatile boolean failed;
  private long lastCompiledMillis;

  NativeHeapTrimmer(Duration interval, Supplier<String> trim, LongSupplier compiledMillis) {
    this.trim = trim;
    this.compiledMillis = compiledMillis;
    this.lastCompiledMillis = compiledMillis.getAsLong();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "floorgate-trim");
              t.setDaemon(true);
              return t;
            });
    long millis = interval.toMillis();
    timer.scheduleWithFixedDelay(this::trimOnce, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts trimming every {@code interval} if this JVM can; otherwise logs why not, once, and
   * returns empty. The first trim runs here, so an unusable command is found at start.
   */
  public static Optional<NativeHeapTrimmer> start(Duration interval) {
    Optional<Supplier<String>> command = jvmCommand();
    if (command.isEmpty()) {
      LOG.info("native heap trimming off: this JVM has no System.trim_native_heap command");
      return Optional.empty();
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    LongSupplier compiled =
        jit != null && jit.isCompilationTimeMonitoringSupported()
            ? jit::getTotalCompilationTime
            : () -> 0; // unknown: trimmed as if the JIT were quiet
    return start(interval, command.get(), compiled);
  }

  static Optional<NativeHeapTrimmer> start(
      Duration interval, Supplier<String> command, LongSupplier compiledMillis) {
    String first;
    try {
      first = command.get();
    } catch (RuntimeException e) {
      LOG.info("native heap trimming off: System.trim_native_heap failed: {}", e.toString());
      return Optional.empty();
    }
    if (unavailable(first)) {
      LOG.info("native heap trimming off: {}", first.strip());
      return Optional.empty();
    }
    LOG.info(
        "returning the C heap's free memory to the OS when the JIT is quiet (checked every {} ms;"
            + " System.trim_native_heap; {})",
        interval.toMillis(),
        first.strip());
    return Optional.of(new NativeHeapTrimmer(interval, command, compiledMillis));
  }

  /** The command through the JVM's diagnostic-command MBean, if it has it. */
  static Optional<Supplier<String>> jvmCommand() {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
      boolean present =
          server.isRegistered(name)
              && Arrays.stream(server.getMBeanInfo(name).getOperations())
                  .anyMatch(op -> op.getName().equals(OPERATION));
      if (!present) {
        return Optional.empty();
      }
      Object[] noArguments = {new String[0]};
      String[] signature = {String[].class.getName()};
      return Optional.of(
          () -> {
            try {
              return String.valueOf(server.invoke(name, OPERATION, noArguments, signature));
            } catch (JMException e) {
              throw new IllegalStateException(e.toString(), e);
            }
          });
    } catch (JMException | RuntimeException e) {
      return Optional.empty();
    }
  }

  // On anything but glibc the command answers, but does nothing.
  private static boolean unavailable(String output) {
    return output.toLowerCase(Locale.ROOT).contains("not available");
  }

  private void trimOnce() {
    if (failed) {
      return;
    }
    long compiled = compiledMillis.getAsLong();
    boolean compiling = compiled != lastCompiledMillis;
    lastCompiledMillis = compiled;
    if (!schedule.trimNow(compiling, System.nanoTime())) {
      return;
    }
    try {
      String output = trim.get();
      trims.incrementAndGet();
      LOG.trace("native heap trimmed: {}", output.strip());
    } catch (RuntimeException e) {
      failed = true;
      LOG.warn("native heap trimming stopped: System.trim_native_heap failed: {}", e.toString());
    }
  }

  /**
   * When to trim, checked every interval: once the JIT has compiled since the last trim and then
   * been quiet for an interval; while it keeps compiling, every {@link #BUSY_TRIM}; otherwise
   * every {@link #IDLE_TRIM}. Not thread-safe: the timer's thread alone asks.
   */
  static final class Schedule {
    private long lastTrimNanos;
    private boolean compiledSinceTrim;

    Schedule(long nowNanos) {
      this.lastTrimNanos = nowNanos;
    }

    /** Whether to trim now; {@code compiling}: the JIT compiled since the last check. */
    boolean trimNow(boolean compiling, long nowNanos) {
      long since = nowNanos - lastTrimNanos;
      boolean trim;
      if (compiling) {
        compiledSinceTrim = true;
        trim = since >= BUSY_TRIM.toNanos();
      } else {
        trim = compiledSinceTrim || since >= IDLE_TRIM.toNanos();
      }
      if (trim) {
        lastTrimNanos = nowNanos;
        compiledSinceTrim = compiling;
      }
      return trim;
    }
  }

  /** Trims done since start, the first one not counted. */
  long trims() {
    return trims.get();
  }

  /** Stops trimming (waits up to 1 s for a trim under way). Idempotent. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
