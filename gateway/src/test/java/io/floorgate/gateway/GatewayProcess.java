package io.floorgate.gateway;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway in a child JVM ({@code floorgate run --config FILE}), for crash and signal tests. */
final class GatewayProcess implements AutoCloseable {
  private static final Pattern STARTED = Pattern.compile("started in .* mqtt=[^:]+:(\\d+)");

  private final Process process;
  private final Thread reader;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private volatile int port;

  private GatewayProcess(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                  Matcher m = STARTED.matcher(line);
                  if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "gateway-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code floorgate run --config config} and waits until it accepts connections. */
  static GatewayProcess start(Path config) {
    return start(config, Map.of());
  }

  /** As {@link #start(Path)}, with {@code environment} added to the child's. */
  static GatewayProcess start(Path config, Map<String, String> environment) {
    GatewayProcess gateway = launch(config, environment);
    await()
        .atMost(Duration.ofSeconds(30))
        .failFast("the gateway exited: " + gateway.lines, () -> !gateway.process.isAlive())
        .until(() -> gateway.port > 0);
    return gateway;
  }

  /** Starts {@code floorgate run --config config} without waiting for anything. */
  static GatewayProcess launch(Path config, Map<String, String> environment) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of(
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run",
            "--config",
            config.toString()));
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new GatewayProcess(process);
  }

  int port() {
    return port;
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Waits (up to 10 s) for a line containing {@code text}. */
  void awaitLine(String text) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> lines.stream().anyMatch(l -> l.contains(text)));
  }

  /** Sends SIGHUP (what systemd's ExecReload does). */
  void hangUp() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -HUP " + process.pid() + " failed");
    }
  }

  /** SIGKILL, and waits for the process to be gone. */
  int kill9() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    reader.join(5_000); // the last lines may still be in the pipe
    return process.exitValue();
  }

  /** SIGTERM, and waits (up to 30 s) for the exit code. */
  int terminate() throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of its output, losing the
    // lines it logs while shutting down.
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("gateway did not stop within 30 s: " + lines);
    }
    reader.join(5_000); // the last lines may still be in the pipe
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
