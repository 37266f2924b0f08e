package io.floorgate.gateway.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The whole benchmark table in one go: each run against a fresh target of its own (bare Moquette,
 * Floorgate with 10 rules, with 10,000 rules), one after the other on the same machine, then the
 * targets of issue 8 judged from this one set of runs, as ratios where the machine's noise would
 * otherwise decide.
 */
public final class BenchSuite {
  /**
   * One run of the suite.
   *
   * @param name its name in the table
   * @param kind what runs as the target
   * @param rules rules for Floorgate (one per device, or one per sensor)
   * @param rate messages per second
   * @param qos the devices' QoS
   */
  public record Scenario(String name, BenchTarget.Kind kind, int rules, int rate, int qos) {}

  /**
   * A target of issue 8, judged.
   *
   * @param target what is asked
   * @param measured what was measured (text)
   * @param met null when it could not be judged (a run missing)
   */
  public record Verdict(String target, String measured, @Nullable Boolean met) {
    String label() {
      return met == null ? "not measured" : met ? "met" : "**not met**";
    }
  }

  /** Stolen time above which a run's times are not comparable with a quiet machine's. */
  static final double STEAL_WORTH_NOTING = 0.05;

  /** What a target stopped by SIGTERM exits with when it stopped cleanly (128 + 15). */
  private static final int CLEAN_EXIT = 143;

  /** The standard runs for {@code base} (its devices and sensors decide the rule counts). */
  public static List<Scenario> standard(LoadSpec base) {
    int perDevice = base.devices();
    int perSensor = base.topics();
    return List.of(
        new Scenario("moquette-5k", BenchTarget.Kind.MOQUETTE, 0, 5_000, 0),
        new Scenario("floorgate-5k", BenchTarget.Kind.FLOORGATE, perDevice, 5_000, 0),
        new Scenario("floorgate-5k-" + perSensor + "r", BenchTarget.Kind.FLOORGATE, perSensor,
            5_000, 0),
        new Scenario("floorgate-5k-qos1", BenchTarget.Kind.FLOORGATE, perDevice, 5_000, 1),
        new Scenario("moquette-10k", BenchTarget.Kind.MOQUETTE, 0, 10_000, 0),
        new Scenario("floorgate-10k", BenchTarget.Kind.FLOORGATE, perDevice, 10_000, 0),
        new Scenario("moquette-15k", BenchTarget.Kind.MOQUETTE, 0, 15_000, 0),
        new Scenario("floorgate-15k", BenchTarget.Kind.FLOORGATE, perDevice, 15_000, 0));
  }

  /**
   * The standard runs, then {@code rounds - 1} more rounds of the three 5,000 msg/s runs whose CPU
   * per message the ratio targets compare ({@code moquette-5k.2}, {@code floorgate-5k.2}, ...).
   * On a shared machine one pair of runs minutes apart differs by as much as the targets' margins;
   * the rounds, spread over the sitting, let the ratios be judged by their median.
   *
   * @throws IllegalArgumentException when {@code rounds} is not 1 to 10
   */
  public static List<Scenario> standard(LoadSpec base, int rounds) {
    if (rounds < 1 || rounds > 10) {
      throw new IllegalArgumentException("rounds must be 1 to 10, but was " + rounds);
    }
    List<Scenario> runs = new ArrayList<>(standard(base));
    List<Scenario> compared = List.copyOf(runs.subList(0, 3));
    for (int round = 2; round <= rounds; round++) {
      for (Scenario s : compared) {
        runs.add(new Scenario(roundName(s.name(), round), s.kind(), s.rules(), s.rate(), s.qos()));
      }
    }
    return runs;
  }

  /** {@code name} in round {@code round}: the first round's runs keep their plain names. */
  static String roundName(String name, int round) {
    return round == 1 ? name : name + "." + round;
  }

  private BenchSuite() {}

  /**
   * Runs {@code scenarios}, each against a fresh target in a directory of its own under {@code
   * workDir}; progress goes to {@code progress}.
   */
  public static List<RunRecord> run(
      List<Scenario> scenarios,
      LoadSpec base,
      Path workDir,
      List<String> jvmArgs,
      PrintWriter progress) {
    List<RunRecord> records = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      records.add(runOne(scenario, base, workDir.resolve(scenario.name()), jvmArgs, progress));
    }
    return records;
  }

  /** One scenario against a fresh target. */
  public static RunRecord runOne(
      Scenario scenario, LoadSpec base, Path dir, List<String> jvmArgs, PrintWriter progress) {
    LoadSpec spec =
        base.withRate(scenario.rate())
            .withQos(scenario.qos())
            .withExpectAlerts(scenario.kind() == BenchTarget.Kind.FLOORGATE && scenario.rules() > 0);
    progress.printf(
        Locale.ROOT,
        "%s: %s, %,d rule(s), %,d msg/s QoS %d, %d s warm-up + %d s%n",
        scenario.name(),
        scenario.kind().label(),
        scenario.rules(),
        spec.rate(),
        spec.qos(),
        spec.warmup().toSeconds(),
        spec.duration().toSeconds());
    progress.flush();
    deleteRecursively(dir);
    double firstStart = Double.NaN;
    if (scenario.kind() == BenchTarget.Kind.FLOORGATE) {
      // A first start in the empty directory, then the measured restart on what it left, as the
      // unit restarts: first starts (installing, a new rule file) are rare, restarts are not.
      try (BenchTarget first =
          BenchTarget.start(scenario.kind(), scenario.rules(), spec, dir, jvmArgs)) {
        firstStart = first.startupMillis();
        int exit = first.stop();
        if (exit != CLEAN_EXIT) {
          progress.printf("  the first start exited with %d on SIGTERM, not %d%n", exit, CLEAN_EXIT);
        }
      }
    }
    try (BenchTarget target =
        BenchTarget.start(scenario.kind(), scenario.rules(), spec, dir, jvmArgs)) {
      long heap = target.liveHeapBytes().orElse(-1);
      LoadResult result =
          LoadRun.run(spec, "127.0.0.1", target.port(), target.pid(), target.metrics().orElse(null));
      long warnings = target.warnings();
      int exit = target.stop();
      RunRecord record =
          new RunRecord(
              scenario.name(),
              scenario.kind().label(),
              scenario.kind() == BenchTarget.Kind.FLOORGATE ? scenario.rules() : 0,
              result,
              Double.isNaN(firstStart) ? target.startupMillis() : firstStart,
              Double.isNaN(firstStart) ? Double.NaN : target.startupMillis(),
              target.reportedStartupMillis(),
              heap,
              warnings,
              exit);
      progress.print(RunRecord.table(List.of(record)));
      progress.print(RunRecord.gatewayDelay(record));
      if (result.machineSteal() > STEAL_WORTH_NOTING) {
        progress.printf(
            Locale.ROOT,
            "  the hypervisor took %.0f%% of this machine's CPU time while measuring: its times"
                + " are longer than the gateway alone would make them%n",
            result.machineSteal() * 100);
      }
      if (warnings > 0) {
        progress.printf("  the target logged %d warning(s); its last lines:%n", warnings);
        target.tail().stream()
            .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
            .limit(5)
            .forEach(l -> progress.println("    " + l));
      }
      progress.flush();
      return record;
    } finally {
      deleteRecursively(dir);
    }
  }

  /**
   * Judges the targets of issue 8 from {@code records} of the standard runs and any further rounds
   * ({@link #standard(LoadSpec, int)}): the CPU ratios by the median of the rounds' ratios (a cost,
   * which one noisy minute should not decide), the 5,000 msg/s p99 and the heap per rule by the
   * worst round (a bound, which every sitting should keep), the start-ups by the slowest start of
   * any Floorgate run, the rest from their one run.
   */
  public static List<Verdict> verdicts(List<RunRecord> records, LoadSpec base) {
    Map<String, RunRecord> byName = new LinkedHashMap<>();
    records.forEach(r -> byName.put(r.name(), r));
    String manyRulesName = "floorgate-5k-" + base.topics() + "r";
    List<@Nullable RunRecord> moquette5k = new ArrayList<>();
    List<@Nullable RunRecord> floorgate5k = new ArrayList<>();
    List<@Nullable RunRecord> manyRules = new ArrayList<>();
    for (int round = 1; round <= records.size(); round++) {
      RunRecord moquette = byName.get(roundName("moquette-5k", round));
      RunRecord floorgate = byName.get(roundName("floorgate-5k", round));
      RunRecord many = byName.get(roundName(manyRulesName, round));
      if (moquette != null || floorgate != null || many != null) {
        moquette5k.add(moquette);
        floorgate5k.add(floorgate);
        manyRules.add(many);
      }
    }
    RunRecord qos1 = byName.get("floorgate-5k-qos1");
    RunRecord floorgate10k = byName.get("floorgate-10k");
    RunRecord floorgate15k = byName.get("floorgate-15k");
    List<Verdict> verdicts = new ArrayList<>();

    verdicts.add(exact("15,000 msg/s QoS 0: every breach alerted exactly once", floorgate15k));
    verdicts.add(atMost("15,000 msg/s: p99 breach→alert ≤ 25 ms",
        RunRecord.value(floorgate15k, "p99"), 25, "%.1f ms"));
    List<@Nullable Double> p99s = new ArrayList<>();
    floorgate5k.forEach(r -> p99s.add(RunRecord.value(r, "p99")));
    verdicts.add(worst("5,000 msg/s: p99 breach→alert ≤ 10 ms", p99s, 10, "%.1f ms"));
    verdicts.add(medianRatio("5,000 msg/s: Floorgate CPU/msg ≤ 1.2 × bare Moquette's",
        floorgate5k, moquette5k, 1.2));
    verdicts.add(qos1(qos1));
    verdicts.add(medianRatio("10,000 rules: CPU/msg ≤ 1.1 × that with 10 rules",
        manyRules, floorgate5k, 1.1));
    List<@Nullable Double> perRule = new ArrayList<>();
    for (int i = 0; i < manyRules.size(); i++) {
      RunRecord many = manyRules.get(i);
      RunRecord few = floorgate5k.get(i);
      Double heapMany = RunRecord.value(many, "heap");
      Double heapFew = RunRecord.value(few, "heap");
      perRule.add(
          many == null || few == null || heapMany == null || heapFew == null
              ? null
              : (heapMany - heapFew) / (many.rules() - few.rules()));
    }
    verdicts.add(worst("≤ 2 KB heap per rule", perRule, 2048, "%.0f bytes"));
    // 192 MB is 183.1 MiB; RSS is measured in MiB.
    verdicts.add(atMost("Peak RSS ≤ 192 MB (183.1 MiB) at 10,000 msg/s (the unit's memory settings)",
        RunRecord.value(floorgate10k, "rss"), 192e6 / (1 << 20), "%.0f MiB"));
    verdicts.add(atMost("Start-up to accepting connections ≤ 2 s: restart (slowest Floorgate run)",
        slowestFloorgate(records, "restart"), 2000, "%.0f ms"));
    verdicts.add(atMost(
        "Start-up to accepting connections ≤ 2 s: first start, empty directory (slowest Floorgate"
            + " run)",
        slowestFloorgate(records, "startup"), 2000, "%.0f ms"));
    return verdicts;
  }

  private static @Nullable Double slowestFloorgate(List<RunRecord> records, String what) {
    Double slowest = null;
    for (RunRecord record : records) {
      Double value = record.target().equals("floorgate") ? RunRecord.value(record, what) : null;
      if (value != null && (slowest == null || value > slowest)) {
        slowest = value;
      }
    }
    return slowest;
  }

  private static Verdict exact(String target, @Nullable RunRecord record) {
    if (record == null) {
      return new Verdict(target, "–", null);
    }
    AlertLedger.Summary a = record.result().alerts();
    boolean met = a.missing() == 0 && a.duplicates() == 0 && a.falseAlerts() == 0
        && a.breaches() > 0 && record.result().failed() == 0;
    return new Verdict(
        target,
        String.format(Locale.ROOT, "%,d breaches, %,d matched, %d missing, %d duplicates, %d false",
            a.breaches(), a.matched(), a.missing(), a.duplicates(), a.falseAlerts()),
        met);
  }

  private static Verdict qos1(@Nullable RunRecord record) {
    String target = "5,000 msg/s QoS 1: zero loss";
    if (record == null) {
      return new Verdict(target, "–", null);
    }
    LoadResult r = record.result();
    AlertLedger.Summary a = r.alerts();
    boolean met = r.lostPublishes() == 0 && a.missing() == 0 && a.breaches() > 0;
    return new Verdict(
        target,
        String.format(Locale.ROOT,
            "%,d published, %,d acknowledged, %d failed; %,d breaches, %d missing",
            r.published(), r.completed(), r.failed(), a.breaches(), a.missing()),
        met);
  }

  private static Verdict atMost(String target, @Nullable Double value, double limit, String format) {
    if (value == null) {
      return new Verdict(target, "–", null);
    }
    return new Verdict(target, String.format(Locale.ROOT, format, value), value <= limit);
  }

  /** The highest of the rounds' values against {@code limit}, every round's value shown. */
  private static Verdict worst(
      String target, List<@Nullable Double> values, double limit, String format) {
    List<Double> measured = values.stream().filter(v -> v != null).map(v -> (double) v).toList();
    if (measured.size() <= 1) {
      return atMost(target, measured.isEmpty() ? null : measured.get(0), limit, format);
    }
    double highest = measured.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    List<String> each = measured.stream().map(v -> String.format(Locale.ROOT, format, v)).toList();
    return new Verdict(
        target,
        String.format(Locale.ROOT, format, highest) + ", the highest of " + measured.size()
            + " rounds (" + String.join(", ", each) + ")",
        highest <= limit);
  }

  /**
   * The median over the rounds of numerator / denominator CPU per message (a round counts only
   * when it has both), every round's ratio shown.
   */
  private static Verdict medianRatio(
      String target,
      List<@Nullable RunRecord> numerators,
      List<@Nullable RunRecord> denominators,
      double limit) {
    List<double[]> pairs = new ArrayList<>();
    for (int i = 0; i < numerators.size(); i++) {
      Double numerator = RunRecord.value(numerators.get(i), "cpu");
      Double denominator = RunRecord.value(denominators.get(i), "cpu");
      if (numerator != null && denominator != null && denominator > 0) {
        pairs.add(new double[] {numerator, denominator});
      }
    }
    if (pairs.isEmpty()) {
      return new Verdict(target, "–", null);
    }
    List<String> each = new ArrayList<>();
    double[] ratios = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      double[] pair = pairs.get(i);
      ratios[i] = pair[0] / pair[1];
      each.add(String.format(Locale.ROOT, "%.2f× (%.4f / %.4f)", ratios[i], pair[0], pair[1]));
    }
    java.util.Arrays.sort(ratios);
    int middle = ratios.length / 2;
    double median =
        ratios.length % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
    String measured =
        pairs.size() == 1
            ? String.format(Locale.ROOT, "%.2f× (%.4f / %.4f CPU s per 1,000 msg)",
                ratios[0], pairs.get(0)[0], pairs.get(0)[1])
            : String.format(Locale.ROOT, "%.2f×, the median of %d rounds: ", median, pairs.size())
                + String.join(", ", each) + " (CPU s per 1,000 msg)";
    return new Verdict(target, measured, median <= limit);
  }

  /** The verdicts as a Markdown table. */
  static String verdictTable(List<Verdict> verdicts) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("target", "measured", "verdict"));
    for (Verdict v : verdicts) {
      rows.add(List.of(v.target(), v.measured(), v.label()));
    }
    return Tables.markdown(rows, 3);
  }

  /** The whole report as Markdown: this machine, runs, targets. */
  public static String markdown(List<RunRecord> records, List<Verdict> verdicts) {
    return markdown(String.valueOf(machine().get("summary")), records, verdicts);
  }

  /** The whole report as Markdown: machine, runs, targets. */
  public static String markdown(String machine, List<RunRecord> records, List<Verdict> verdicts) {
    String delays = RunRecord.gatewayDelayTable(records);
    return "Machine: " + machine + "\n\n" + RunRecord.table(records) + "\n"
        + (delays.isEmpty() ? "" : delays + "\n")
        + verdictTable(verdicts);
  }

  /**
   * Suites written by {@link #toMap} (read back from JSON) as one: their runs together, the
   * targets judged again from all of them. For a suite run in parts (one {@code --runs} list
   * after the other) on a machine that others share. The parts must have the same base load and
   * target JVM options, and no run twice; the machine is the first part's.
   *
   * @throws IllegalArgumentException when they do not fit together or a file is not a suite
   */
  public static Report combine(List<Map<String, ?>> suites) {
    if (suites.isEmpty()) {
      throw new IllegalArgumentException("suites must not be empty");
    }
    Map<String, ?> first = suites.get(0);
    List<RunRecord> records = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < suites.size(); i++) {
      Map<String, ?> suite = suites.get(i);
      for (String key : List.of("base_load", "target_jvm_args")) {
        if (!java.util.Objects.equals(suite.get(key), first.get(key))) {
          throw new IllegalArgumentException(
              "part " + (i + 1) + " must have the first part's " + key + " " + first.get(key)
                  + ", but had " + suite.get(key));
        }
      }
      if (!(suite.get("runs") instanceof List<?> runs)) {
        throw new IllegalArgumentException("part " + (i + 1) + " has no runs");
      }
      for (Object run : runs) {
        if (!(run instanceof Map<?, ?> map)) {
          throw new IllegalArgumentException("part " + (i + 1) + ": a run must be an object");
        }
        @SuppressWarnings("unchecked")
        RunRecord record = RunRecord.fromMap((Map<String, ?>) map);
        if (names.contains(record.name())) {
          throw new IllegalArgumentException("run " + record.name() + " is in more than one part");
        }
        names.add(record.name());
        records.add(record);
      }
    }
    Map<String, ?> baseLoad = LoadResult.section(first, "base_load");
    LoadSpec base =
        LoadSpec.defaults()
            .withShape(
                (int) LoadResult.whole(baseLoad, "devices"),
                (int) LoadResult.whole(baseLoad, "sensors_per_device"));
    List<Verdict> verdicts = verdicts(records, base);
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("machine", first.get("machine"));
    map.put("target_jvm_args", first.get("target_jvm_args"));
    map.put("base_load", baseLoad);
    map.put("parts", suites.size());
    map.put("runs", records.stream().map(RunRecord::toMap).toList());
    map.put("targets", verdictMaps(verdicts));
    String machine =
        first.get("machine") instanceof Map<?, ?> m ? String.valueOf(m.get("summary")) : "?";
    return new Report(markdown(machine, records, verdicts), map);
  }

  /**
   * A suite's report.
   *
   * @param markdown the tables
   * @param json every number, as plain maps
   */
  public record Report(String markdown, Map<String, Object> json) {}

  private static List<Map<String, Object>> verdictMaps(List<Verdict> verdicts) {
    List<Map<String, Object>> judged = new ArrayList<>();
    for (Verdict v : verdicts) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("target", v.target());
      entry.put("measured", v.measured());
      entry.put("met", v.met());
      judged.add(entry);
    }
    return judged;
  }

  /** The whole report as plain maps, for JSON. */
  public static Map<String, Object> toMap(
      List<RunRecord> records, List<Verdict> verdicts, LoadSpec base, List<String> jvmArgs) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("machine", machine());
    map.put("target_jvm_args", jvmArgs);
    map.put("base_load", Map.of(
        "devices", base.devices(),
        "sensors_per_device", base.sensorsPerDevice(),
        "breach_fraction", base.breachFraction(),
        "warmup_s", base.warmup().toSeconds(),
        "duration_s", base.duration().toSeconds()));
    map.put("runs", records.stream().map(RunRecord::toMap).toList());
    map.put("targets", verdictMaps(verdicts));
    return map;
  }

  /** CPU model, cores, memory, Java: what the numbers were measured on. */
  static Map<String, Object> machine() {
    String model = "unknown CPU";
    long memKib = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("MemTotal:")) {
          memKib = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave it unknown
    }
    int cores = Runtime.getRuntime().availableProcessors();
    String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cpu", model);
    machine.put("cores", cores);
    machine.put("memory_mib", memKib < 0 ? null : memKib / 1024);
    machine.put("java", java);
    machine.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    machine.put("summary",
        String.format(Locale.ROOT, "%d cores of %s, %s MiB, %s, %s", cores, model,
            memKib < 0 ? "?" : Long.toString(memKib / 1024), java, machine.get("date")));
    return machine;
  }

  /** Deletes {@code dir} and all below it, as far as it can: a leftover is not worth failing for. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is not worth failing the run for
    }
  }
}
