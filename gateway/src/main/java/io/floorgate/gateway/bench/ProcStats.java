package io.floorgate.gateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A process's CPU time and memory from Linux's {@code /proc/PID/stat} and {@code
 * /proc/PID/status}.
 */
final class ProcStats {
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  private final long pid;

  ProcStats(long pid) {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be > 0, but was " + pid);
    }
    this.pid = pid;
  }

  long pid() {
    return pid;
  }

  /** Whether {@code /proc} has the process (Linux, and it still runs). */
  boolean available() {
    return Files.isReadable(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /** User plus system CPU time used so far, in seconds (all its threads, GC and JIT included). */
  double cpuSeconds() {
    long[] ticks = ticks(read("stat"));
    return (ticks[0] + ticks[1]) / (double) TICKS_PER_SECOND;
  }

  /** System (kernel) CPU time used so far, in seconds. */
  double systemCpuSeconds() {
    return ticks(read("stat"))[1] / (double) TICKS_PER_SECOND;
  }

  /**
   * CPU seconds so far per thread name, digits replaced by {@code N} so that pools add up
   * ({@code Session Executor N}); threads that ended are not counted. Names are the kernel's, cut
   * to 15 characters.
   */
  Map<String, Double> cpuSecondsByThread() {
    Map<String, Double> byName = new TreeMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        try {
          String name = Files.readString(thread.resolve("comm"), StandardCharsets.UTF_8).trim();
          long[] ticks = ticks(Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII));
          byName.merge(name.replaceAll("[0-9]+", "N"),
              (ticks[0] + ticks[1]) / (double) TICKS_PER_SECOND, Double::sum);
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + tasks + ": " + e, e);
    }
    return byName;
  }

  /** utime and stime in ticks, from a stat line. */
  private static long[] ticks(String stat) {
    // The command name (field 2) may hold spaces and parentheses: fields are counted after the
    // last ')'. There, index 0 is field 3 (state); utime is field 14, stime field 15.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
  }

  /** Peak resident set size so far ({@code VmHWM}), in KiB. */
  long peakRssKib() {
    return statusKib("VmHWM:");
  }

  /** Resident set size now ({@code VmRSS}), in KiB. */
  long rssKib() {
    return statusKib("VmRSS:");
  }

  private long statusKib(String field) {
    for (String line : read("status").split("\n")) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
      }
    }
    throw new IllegalStateException("/proc/" + pid + "/status has no " + field);
  }

  private String read(String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file + ": " + e, e);
    }
  }

  /** {@code getconf CLK_TCK}; 100 (what Linux uses on x86 and arm) when it cannot be asked. */
  private static long ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
        return Long.parseLong(out.trim());
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
