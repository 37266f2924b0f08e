package io.floorgate.gateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The whole machine's CPU time so far, from the first line of Linux's {@code /proc/stat}, in
 * ticks. Two readings tell how busy the box was between them and how much of its time the
 * hypervisor gave to other guests ({@code steal}): a run measured while much was stolen is slower
 * for reasons outside the gateway, and says so in its results.
 *
 * @param busy user, nice, system, irq and softirq
 * @param idle idle and iowait
 * @param steal time a virtual CPU waited for the hypervisor
 */
record MachineCpu(long busy, long idle, long steal) {
  private static final Path PROC_STAT = Path.of("/proc/stat");

  /** This machine's times now; empty where there is no {@code /proc/stat} (not Linux). */
  static Optional<MachineCpu> now() {
    try {
      String text = Files.readString(PROC_STAT, StandardCharsets.US_ASCII);
      return Optional.of(parse(text.substring(0, Math.max(0, text.indexOf('\n')))));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The aggregate {@code cpu} line: {@code cpu user nice system idle iowait irq softirq steal
   * ...}. Kernels before 2.6.11 have no steal field: 0 then.
   *
   * @throws IllegalArgumentException when the line is not a {@code cpu} line of numbers
   */
  static MachineCpu parse(String line) {
    String[] fields = line.trim().split("\\s+");
    if (fields.length < 8 || !fields[0].equals("cpu")) {
      throw new IllegalArgumentException("not the cpu line of /proc/stat: '" + line + "'");
    }
    long[] ticks = new long[8];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = i + 1 < fields.length ? parseTicks(fields[i + 1], line) : 0;
    }
    return new MachineCpu(
        ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6], ticks[3] + ticks[4], ticks[7]);
  }

  private static long parseTicks(String field, String line) {
    try {
      return Long.parseLong(field);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not the cpu line of /proc/stat: '" + line + "'", e);
    }
  }

  /** What the machine did from this reading to {@code later}, as shares of its CPU time. */
  Share until(MachineCpu later) {
    double busyTicks = later.busy - busy;
    double idleTicks = later.idle - idle;
    double stealTicks = later.steal - steal;
    double total = busyTicks + idleTicks + stealTicks;
    if (total <= 0) {
      return new Share(Double.NaN, Double.NaN);
    }
    return new Share(busyTicks / total, stealTicks / total);
  }

  /**
   * Shares of all CPUs' time over a window (0 to 1; NaN when unknown).
   *
   * @param busy spent running any process of this machine (the gateway, the load, others)
   * @param steal taken by the hypervisor for other guests
   */
  record Share(double busy, double steal) {
    static final Share UNKNOWN = new Share(Double.NaN, Double.NaN);
  }
}
