package io.floorgate.gateway.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Creates the class-data sharing archive the systemd unit starts with ({@code
 * -XX:SharedArchiveFile}): the JVM maps the classes it holds, already parsed and verified, instead
 * of loading them from the jar, which takes about half off the start-up (docs/benchmarks.md).
 *
 * <p>The archive is dumped by a training run: the gateway, started from this jar with the unit's
 * JVM settings and {@code -XX:ArchiveClassesAtExit}, takes a few seconds of telemetry with
 * breaches (so the classes of the message path are in it too) and is stopped as systemd stops it.
 * An archive is only good for the jar it was made from, at that path, and for the JVM that made
 * it; the JVM ignores a stale one and starts without it, so it is made again after an upgrade of
 * either.
 */
public final class ClassArchive {
  private static final LoadSpec TRAINING =
      LoadSpec.defaults().withRate(500).withTimes(Duration.ZERO, Duration.ofSeconds(3));

  /** Where the systemd unit reads it (systemd/install.sh writes it there). */
  public static final Path UNIT_ARCHIVE = Path.of("/usr/local/lib/floorgate/floorgate.jsa");

  private ClassArchive() {}

  /** The JVM option that starts with {@code archive}. */
  public static String option(Path archive) {
    return "-XX:SharedArchiveFile=" + archive;
  }

  /**
   * Writes the archive to {@code out}, replacing what is there only once the new one proved
   * usable.
   *
   * @param jvmArgs the settings the archive will be used with (the unit's)
   * @throws IllegalStateException when this process does not run from a jar, or the training run
   *     or the check of the new archive fails; the message says which and why
   */
  public static void create(Path out, List<String> jvmArgs, PrintWriter progress) {
    Path jar =
        BenchTarget.runningJar()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "a class archive is made by floorgate.jar (java -jar floorgate.jar"
                            + " class-archive): it records the jar's path, and these classes come"
                            + " from the class path " + System.getProperty("java.class.path")));
    Path target = out.toAbsolutePath();
    Path fresh = target.resolveSibling(target.getFileName() + ".new");
    Path work;
    try {
      Files.createDirectories(target.getParent());
      Files.deleteIfExists(fresh);
      work = Files.createTempDirectory("floorgate-class-archive");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + target + ": " + e, e);
    }
    try {
      long began = System.nanoTime();
      List<String> training = new ArrayList<>(jvmArgs);
      training.add("-XX:ArchiveClassesAtExit=" + fresh);
      try (BenchTarget gateway =
          BenchTarget.start(BenchTarget.Kind.FLOORGATE, TRAINING.devices(), TRAINING, work, training)) {
        LoadResult load = LoadRun.run(TRAINING, "127.0.0.1", gateway.port(), gateway.pid());
        int exit = gateway.stop();
        if (load.alerts().missing() > 0 || load.failed() > 0) {
          throw new IllegalStateException(
              "the training run lost messages (" + load.failed() + " failed, "
                  + load.alerts().missing() + " alert(s) missing); the gateway's last lines:\n"
                  + String.join("\n", gateway.tail()));
        }
        if (!Files.isRegularFile(fresh)) {
          throw new IllegalStateException(
              "the training run exited with " + exit + " and wrote no archive to " + fresh
                  + "; its last lines:\n" + String.join("\n", gateway.tail()));
        }
      }
      check(jar, fresh, jvmArgs);
      Files.move(fresh, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      progress.printf(
          Locale.ROOT,
          "wrote %s (%,d KiB) for %s in %.1f s; start with %s%n",
          target,
          Files.size(target) / 1024,
          jar,
          (System.nanoTime() - began) / 1e9,
          option(target));
      progress.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(fresh);
      } catch (IOException e) {
        progress.println("cannot delete " + fresh + ": " + e);
      }
      BenchSuite.deleteRecursively(work);
    }
  }

  /** {@code -Xshare:on} makes an archive the JVM cannot use fatal: the check that it can. */
  private static void check(Path jar, Path archive, List<String> jvmArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(BenchTarget.java());
    command.addAll(jvmArgs);
    command.add(option(archive));
    command.add("-Xshare:on");
    command.add("-jar");
    command.add(jar.toString());
    command.add("--version");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("checking " + archive + " did not end within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while checking " + archive, e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "the JVM cannot use the new archive " + archive + " (exit " + process.exitValue() + "): "
              + output.strip());
    }
  }
}
