package io.floorgate.gateway;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's scripts and tools from tests. */
final class Scripts {
  private Scripts() {}

  /** What a command did. */
  record Result(int exitCode, String output) {}

  /** The repository's top directory (tests run in gateway/ or at the top). */
  static Path top() {
    Path here = Path.of("").toAbsolutePath();
    for (Path candidate : List.of(here, here.getParent())) {
      if (candidate != null && Files.isRegularFile(candidate.resolve("systemd/install.sh"))) {
        return candidate;
      }
    }
    throw new AssertionError("systemd/install.sh not found from " + here);
  }

  /** True when {@code command} is an executable on the PATH. */
  static boolean onPath(String command) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, command))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code command} with {@code environment} added, stdout and stderr together. */
  static Result run(Map<String, String> environment, String... command) {
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
