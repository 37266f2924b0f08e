package io.floorgate.gateway.bench;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The broker under test in a child JVM of its own, so that its CPU time and memory are its own:
 * Floorgate ({@code floorgate run}) with a generated configuration and rule file, or bare
 * Moquette as Floorgate configures it ({@code floorgate bench broker}). Both run with the memory
 * settings of the systemd unit unless told otherwise, from the same jar (or class path) as this
 * process.
 *
 * <p>Owns one thread, {@code bench-target-output}, that reads the child's output.
 */
public final class BenchTarget implements AutoCloseable {
  /**
   * The systemd unit's memory settings ({@code systemd/floorgate.service}, ExecStart); {@code
   * BenchTargetTest} checks that they stay the same.
   */
  public static final List<String> UNIT_JVM_ARGS =
      List.of(
          "-Xms48m",
          "-Xmx96m",
          "-XX:+UseSerialGC",
          "-XX:MaxDirectMemorySize=64m",
          "-XX:+ExitOnOutOfMemoryError");

  /** {@link #UNIT_JVM_ARGS} with the class archive the unit also starts with ({@link ClassArchive}). */
  public static List<String> unitJvmArgs(Path classArchive) {
    List<String> args = new ArrayList<>(UNIT_JVM_ARGS);
    args.add(ClassArchive.option(classArchive));
    return List.copyOf(args);
  }

  /** The systemd unit's environment for the JVM (its Environment= lines), given to every target. */
  public static final Map<String, String> UNIT_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  private static final Pattern LISTENING = Pattern.compile("MQTT listener on [^\\s:]+:(\\d+)");
  private static final Pattern STARTED = Pattern.compile("started in (\\d+) ms");
  private static final Pattern ADMIN = Pattern.compile("admin API on (http://\\S+/)");
  private static final int TAIL_LINES = 200;

  /** What runs in the child. */
  public enum Kind {
    /** The gateway: {@code floorgate run --config FILE}. */
    FLOORGATE,
    /** Moquette alone, configured as Floorgate configures it, no interceptor. */
    MOQUETTE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;
  private final Process process;
  private final long spawnedNanos;
  private final Thread reader;
  private final Deque<String> tail = new ArrayDeque<>();
  private final AtomicLong warnings = new AtomicLong();
  private volatile int port;
  private volatile long reportedStartupMillis = -1;
  private volatile @Nullable URI admin;
  private double startupMillis = Double.NaN;

  private BenchTarget(Kind kind, Process process, long spawnedNanos) {
    this.kind = kind;
    this.process = process;
    this.spawnedNanos = spawnedNanos;
    this.reader = new Thread(this::readOutput, "bench-target-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a target in {@code workDir} (created if missing) and waits until it accepts MQTT
   * connections: start-up is measured from spawning the JVM to the first CONNACK.
   *
   * @param rules for Floorgate, the number of generated rules (see {@link RuleFiles})
   * @param jvmArgs the child's JVM options (memory settings, a flight recording...)
   * @throws IllegalStateException when it exits or does not accept connections within 60 s
   */
  public static BenchTarget start(
      Kind kind, int rules, LoadSpec spec, Path workDir, List<String> jvmArgs) {
    List<String> args = new ArrayList<>();
    try {
      Files.createDirectories(workDir);
      if (kind == Kind.FLOORGATE) {
        Path rulesFile = workDir.resolve("rules.yaml");
        Files.writeString(rulesFile, RuleFiles.yaml(spec, rules), StandardCharsets.UTF_8);
        Path config = workDir.resolve("gateway.yaml");
        Files.writeString(config, config(workDir, rulesFile), StandardCharsets.UTF_8);
        args.addAll(List.of("run", "--config", config.toString()));
      } else {
        args.addAll(List.of("bench", "broker", "--data-dir", workDir.resolve("broker").toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + workDir + ": " + e, e);
    }
    List<String> command = command(jvmArgs, args);
    long spawned = System.nanoTime();
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
      builder.environment().putAll(UNIT_ENVIRONMENT);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command) + ": " + e, e);
    }
    BenchTarget target = new BenchTarget(kind, process, spawned);
    try {
      target.awaitAcceptingConnections();
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
    return target;
  }

  /** The configuration Floorgate runs with: the defaults, but port 0 and all files in workDir. */
  static String config(Path workDir, Path rulesFile) {
    return """
        # Generated by floorgate bench: the embedded defaults, with ports and files of its own.
        gateway_id: bench
        broker:
          port: 0
          data_dir: %s
        rules:
          file: %s
        journal:
          dir: %s
        admin:
          port: 0
        """
        .formatted(workDir.resolve("broker"), rulesFile, workDir.resolve("journal"));
  }

  /**
   * {@code java ARGS -jar floorgate.jar ...} as the systemd unit runs it, when this process runs
   * from the jar; otherwise (tests, an IDE) the class path and this JVM's module flags.
   */
  private static List<String> command(List<String> jvmArgs, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmArgs);
    String classPath = System.getProperty("java.class.path");
    Optional<Path> jar = runningJar();
    if (jar.isPresent()) {
      command.add("-jar");
      command.add(jar.get().toString());
    } else {
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
          command.add(arg);
        }
      }
      command.add("-cp");
      command.add(classPath);
      command.add("io.floorgate.gateway.Main");
    }
    command.addAll(args);
    return command;
  }

  /** The jar this process runs from ({@code java -jar floorgate.jar}); empty for a class path. */
  public static Optional<Path> runningJar() {
    String classPath = System.getProperty("java.class.path");
    if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
      return Optional.of(Path.of(classPath).toAbsolutePath());
    }
    return Optional.empty();
  }

  /** The {@code java} launcher of the JVM this process runs on. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void readOutput() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
        if (line.contains(" WARN ") || line.contains(" ERROR ")) {
          warnings.incrementAndGet();
        }
        if (port == 0) {
          Matcher listening = LISTENING.matcher(line);
          if (listening.find()) {
            port = Integer.parseInt(listening.group(1));
          }
        }
        Matcher adminLine = ADMIN.matcher(line);
        if (admin == null && adminLine.find()) {
          admin = URI.create(adminLine.group(1));
        }
        Matcher started = STARTED.matcher(line);
        if (started.find()) {
          reportedStartupMillis = Long.parseLong(started.group(1));
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private void awaitAcceptingConnections() {
    long deadline = spawnedNanos + TimeUnit.SECONDS.toNanos(60);
    while (port == 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            kind.label() + " exited with " + process.exitValue() + " before listening: " + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(kind.label() + " did not listen within 60 s: " + tail());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    probe();
    startupMillis = (System.nanoTime() - spawnedNanos) / 1e6;
    if (kind == Kind.FLOORGATE) {
      // Its admin API (and so its metrics) is up once it says it started, just after this.
      while (reportedStartupMillis < 0 && process.isAlive() && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
      }
    }
  }

  /**
   * One MQTT 3.1.1 CONNECT over a plain socket, answered by an accepting CONNACK; no client
   * library, so that its class loading does not count as the target's start-up.
   */
  private void probe() {
    byte[] id = "floorgate-bench-probe".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream connect = new ByteArrayOutputStream();
    connect.write(0x10);
    connect.write(10 + 2 + id.length);
    connect.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 10, 0, (byte) id.length});
    connect.writeBytes(id);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(connect.toByteArray());
      byte[] connack = socket.getInputStream().readNBytes(4);
      if (connack.length != 4 || connack[0] != 0x20 || connack[3] != 0) {
        throw new IllegalStateException(
            kind.label() + " did not accept an MQTT 3.1.1 connection: " + Arrays.toString(connack));
      }
      socket.getOutputStream().write(new byte[] {(byte) 0xE0, 0});
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot connect to " + kind.label() + " on port " + port + ": " + e, e);
    }
  }

  public Kind kind() {
    return kind;
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  /**
   * Floorgate's {@code /metrics} address, from the line its admin API logs as it starts; empty for
   * bare Moquette.
   */
  public Optional<URI> metrics() {
    URI base = admin;
    return base == null ? Optional.empty() : Optional.of(base.resolve("metrics"));
  }

  /** From spawning the JVM to the first CONNACK, in milliseconds. */
  public double startupMillis() {
    return startupMillis;
  }

  /** What Floorgate itself logged as its start-up time ("started in N ms"); -1 if nothing. */
  public long reportedStartupMillis() {
    return reportedStartupMillis;
  }

  /** WARN and ERROR lines the child logged so far. */
  public long warnings() {
    return warnings.get();
  }

  /** The child's last lines of output. */
  public List<String> tail() {
    synchronized (tail) {
      return List.copyOf(tail);
    }
  }

  /**
   * The child's live heap in bytes: {@code jcmd PID GC.class_histogram}, which collects garbage
   * first. Empty when this Java has no {@code jcmd} (a JRE) or it failed.
   */
  public OptionalLong liveHeapBytes() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return OptionalLong.empty();
    }
    try {
      Process histogram =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String out = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!histogram.waitFor(60, TimeUnit.SECONDS) || histogram.exitValue() != 0) {
        return OptionalLong.empty();
      }
      for (String line : out.split("\n")) {
        String trimmed = line.trim();
        if (trimmed.startsWith("Total")) {
          String[] parts = trimmed.split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[2]));
        }
      }
    } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OptionalLong.empty();
  }

  /**
   * Stops the child with SIGTERM (its clean shutdown), or SIGKILL after 30 s; returns its exit
   * code. Idempotent.
   */
  public int stop() {
    if (process.isAlive()) {
      process.toHandle().destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  @Override
  public void close() {
    stop();
  }

  /** {@code null}-safe label for reports. */
  static String describe(@Nullable BenchTarget target) {
    return target == null ? "external" : target.kind.label();
  }
}
