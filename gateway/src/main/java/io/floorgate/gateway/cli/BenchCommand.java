package io.floorgate.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.floorgate.gateway.bench.BenchSuite;
import io.floorgate.gateway.bench.BenchTarget;
import io.floorgate.gateway.bench.ClassArchive;
import io.floorgate.gateway.bench.LoadResult;
import io.floorgate.gateway.bench.LoadRun;
import io.floorgate.gateway.bench.LoadSpec;
import io.floorgate.gateway.bench.RuleFiles;
import io.floorgate.gateway.bench.RunRecord;
import io.floorgate.gateway.broker.Broker;
import io.floorgate.gateway.config.BrokerConfig;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.rules.tree.MapReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code floorgate bench}: offers telemetry to an MQTT broker at a set rate and checks that every
 * breach comes back as exactly one alert on {@code alerts/#}; {@code floorgate bench suite} runs
 * the whole table of docs/benchmarks.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Load an MQTT broker with telemetry and match every alert on alerts/# to its breach.",
      "Against a running broker (--host, --port; --pid for its CPU and memory), or one started",
      "here in a child JVM with the systemd unit's memory settings (--target floorgate|moquette).",
      "Prints a table; --json FILE writes every number."
    },
    subcommands = {
      BenchCommand.SuiteCommand.class,
      BenchCommand.ReportCommand.class,
      BenchCommand.RulesCommand.class,
      BenchCommand.BrokerCommand.class
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LoadOptions load = new LoadOptions();

  @Option(names = "--rate", paramLabel = "MSG/S", description = "Messages per second, all devices together (default ${DEFAULT-VALUE}).")
  int rate = 5_000;

  @Option(names = "--qos", paramLabel = "0|1", description = "The devices' QoS (default ${DEFAULT-VALUE}).")
  int qos = 0;

  @Option(names = "--target", paramLabel = "KIND", description = "external (default): a running broker at --host/--port; floorgate or moquette: start one here.")
  String target = "external";

  @Option(names = "--host", description = "Broker host for --target external (default ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Broker port for --target external (default ${DEFAULT-VALUE}).")
  int port = 1883;

  @Option(names = "--pid", description = "The external broker's PID: report its CPU time and peak RSS from /proc.")
  @Nullable Long pid;

  @Option(
      names = "--metrics",
      paramLabel = "URL",
      description =
          "The external Floorgate's metrics (http://HOST:ADMIN_PORT/metrics): report the gateway's"
              + " own part of the alerts' latency.")
  @Nullable URI metrics;

  @Option(names = "--rules", description = "Rules for --target floorgate: one per device or one per sensor (default: one per device).")
  @Nullable Integer rules;

  @Option(names = "--no-alerts", description = "Do not wait for alerts (the broker evaluates nothing).")
  boolean noAlerts;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON ('-' for standard output).")
  @Nullable String json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoadSpec loadSpec;
    BenchTarget.Kind kind;
    try {
      kind = kind(target);
      loadSpec = load.spec(rate, qos, !noAlerts && kind != BenchTarget.Kind.MOQUETTE);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    }
    RunRecord record;
    try {
      if (kind == null) {
        LoadResult result = LoadRun.run(loadSpec, host, port, pid, metrics);
        record = new RunRecord("bench", "external", -1, result, Double.NaN, Double.NaN, -1, -1, -1, -1);
      } else {
        int count = rules == null ? loadSpec.devices() : rules;
        RuleFiles.yaml(loadSpec, count); // validates the count before anything starts
        Path work = Files.createTempDirectory("floorgate-bench");
        try {
          List<String> jvmArgs = load.targetJvmArgs(work, err);
          BenchSuite.Scenario scenario =
              new BenchSuite.Scenario(kind.label(), kind, count, rate, qos);
          record =
              BenchSuite.runOne(scenario, loadSpec.withExpectAlerts(!noAlerts),
                  work.resolve(kind.label()), jvmArgs, err);
        } finally {
          BenchSuite.deleteRecursively(work); // the class archive: 28 MB
        }
      }
    } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
      err.println("bench failed: " + e.getMessage());
      err.flush();
      return 1;
    }
    out.print(tableOf(record));
    out.print(RunRecord.latencySplit(record));
    out.print(RunRecord.gatewayDelay(record));
    out.flush();
    return writeJson(json, record.toMap(), out, err);
  }

  private static String tableOf(RunRecord record) {
    return RunRecord.table(List.of(record));
  }

  private static BenchTarget.@Nullable Kind kind(String text) {
    return switch (text) {
      case "external" -> null;
      case "floorgate" -> BenchTarget.Kind.FLOORGATE;
      case "moquette" -> BenchTarget.Kind.MOQUETTE;
      default -> throw new IllegalArgumentException(
          "target must be external, floorgate or moquette, but was '" + text + "'");
    };
  }

  static int writeJson(@Nullable String file, Map<String, Object> map, PrintWriter out, PrintWriter err) {
    if (file == null) {
      return 0;
    }
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    try {
      String text = mapper.writeValueAsString(map) + "\n";
      if (file.equals("-")) {
        out.print(text);
        out.flush();
      } else {
        Files.writeString(Path.of(file), text, StandardCharsets.UTF_8);
      }
      return 0;
    } catch (IOException e) {
      err.println("cannot write " + file + ": " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  /** The load options every bench command shares. */
  static final class LoadOptions {
    @Option(names = "--devices", description = "MQTT clients publishing, one per line (default ${DEFAULT-VALUE}).")
    int devices = 10;

    @Option(names = "--sensors", description = "Sensors (topics) per device (default ${DEFAULT-VALUE}).")
    int sensors = 1_000;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, description = "Load before measuring, e.g. 20s (default ${DEFAULT-VALUE}).")
    Duration warmup = Duration.ofSeconds(20);

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class, description = "Measured load, e.g. 60s (default ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofSeconds(60);

    @Option(names = "--breach-fraction", description = "Fraction of values above the threshold (default ${DEFAULT-VALUE}).")
    double breachFraction = 0.01;

    @Option(names = "--threshold", description = "The rules' threshold; breaches lie above it (default ${DEFAULT-VALUE}).")
    double threshold = LoadSpec.THRESHOLD;

    @Option(names = "--seed", description = "Seeds the values (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", converter = DurationConverter.class, description = "How long to wait for alerts after the load (default ${DEFAULT-VALUE}).")
    Duration drainTimeout = Duration.ofSeconds(10);

    @Option(names = "--target-jvm-arg", paramLabel = "ARG", description = "JVM option for a target started here, repeatable; replaces the default: the systemd unit's -Xms48m -Xmx96m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError (and MALLOC_ARENA_MAX=2), with a class archive made for the run as the unit has one.")
    List<String> targetJvmArgs = new ArrayList<>();

    LoadSpec spec(int rate, int qos, boolean expectAlerts) {
      return new LoadSpec(devices, sensors, rate, warmup, duration, qos, breachFraction, threshold,
          expectAlerts, drainTimeout, seed);
    }

    /**
     * The targets' JVM options: those given, or the unit's with a class archive made in {@code
     * work} for the run, as the unit starts with one (from a class path there is none to make).
     */
    List<String> targetJvmArgs(Path work, PrintWriter progress) {
      if (!targetJvmArgs.isEmpty()) {
        return List.copyOf(targetJvmArgs);
      }
      if (BenchTarget.runningJar().isEmpty()) {
        progress.println("the targets start without a class archive: this runs from a class path");
        progress.flush();
        return BenchTarget.UNIT_JVM_ARGS;
      }
      Path archive = work.resolve("floorgate.jsa");
      progress.println("making a class archive for the targets, as the unit starts with one...");
      progress.flush();
      ClassArchive.create(archive, BenchTarget.UNIT_JVM_ARGS, progress);
      return BenchTarget.unitJvmArgs(archive);
    }
  }

  /** {@code 250ms}, {@code 20s}, {@code 1.5m}: the rule files' durations. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration parsed = MapReader.parseDuration(value);
      if (parsed == null) {
        throw new CommandLine.TypeConversionException(
            "a duration such as 250ms, 20s or 1.5m, but was '" + value + "'");
      }
      return parsed;
    }
  }

  /** {@code floorgate bench suite}: the whole table, one target after the other. */
  @Command(
      name = "suite",
      mixinStandardHelpOptions = true,
      description =
          "Run the whole benchmark table of docs/benchmarks.md: bare Moquette and Floorgate with"
              + " 10 and 10,000 rules at 5,000, 10,000 and 15,000 msg/s, each against a fresh"
              + " target in a child JVM, then more rounds of the three 5,000 msg/s runs whose CPU"
              + " the ratio targets compare, then judge the targets. About 25 minutes with the"
              + " default times.")
  static final class SuiteCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin LoadOptions load = new LoadOptions();

    @Option(names = "--runs", split = ",", paramLabel = "NAME", description = "Only these runs (names as in the table).")
    List<String> only = new ArrayList<>();

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description =
        "Rounds of the runs the CPU ratios compare (moquette-5k, floorgate-5k and the"
            + " 10,000-rule run; round 2 is moquette-5k.2 and so on), judged by the median of"
            + " their ratios. 1 to 10, default ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every number as JSON ('-' for standard output).")
    @Nullable String json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the tables to FILE.")
    @Nullable Path markdown;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      LoadSpec base;
      List<BenchSuite.Scenario> scenarios;
      try {
        base = load.spec(5_000, 0, true);
        scenarios = new ArrayList<>(BenchSuite.standard(base, rounds));
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        err.flush();
        return 2;
      }
      if (!only.isEmpty()) {
        List<String> known = scenarios.stream().map(BenchSuite.Scenario::name).toList();
        for (String name : only) {
          if (!known.contains(name)) {
            err.println("runs must be among " + known + ", but was '" + name + "'");
            err.flush();
            return 2;
          }
        }
        scenarios.removeIf(s -> !only.contains(s.name()));
      }
      Path work = Files.createTempDirectory("floorgate-bench");
      List<RunRecord> records;
      List<String> jvmArgs;
      try {
        jvmArgs = load.targetJvmArgs(work, err);
        records = BenchSuite.run(scenarios, base, work, jvmArgs, err);
      } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
        err.println("bench failed: " + e.getMessage());
        err.flush();
        return 1;
      } finally {
        BenchSuite.deleteRecursively(work); // the class archive: 28 MB
      }
      List<BenchSuite.Verdict> verdicts = BenchSuite.verdicts(records, base);
      String report = BenchSuite.markdown(records, verdicts);
      out.println();
      out.print(report);
      out.flush();
      if (markdown != null) {
        Files.writeString(markdown, report, StandardCharsets.UTF_8);
      }
      return writeJson(json, BenchSuite.toMap(records, verdicts, base, jvmArgs), out, err);
    }
  }

  /** {@code floorgate bench report}: suites run in parts, as one table with the targets judged. */
  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = {
        "Combine the JSON files of a suite run in parts (bench suite --runs ... --json FILE, one",
        "part after the other) into one table, and judge the targets from all the runs."
      })
  static final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "JSON", description = "Suite JSON files.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every number as JSON ('-' for standard output).")
    @Nullable String json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the tables to FILE.")
    @Nullable Path markdown;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ObjectMapper mapper = new ObjectMapper();
      List<Map<String, ?>> suites = new ArrayList<>();
      BenchSuite.Report report;
      try {
        for (Path file : files) {
          @SuppressWarnings("unchecked")
          Map<String, ?> suite = mapper.readValue(file.toFile(), Map.class);
          suites.add(suite);
        }
        report = BenchSuite.combine(suites);
        if (markdown != null) {
          Files.writeString(markdown, report.markdown(), StandardCharsets.UTF_8);
        }
      } catch (IOException | IllegalArgumentException e) {
        err.println("cannot report " + files + ": " + e.getMessage());
        err.flush();
        return 1;
      }
      out.print(report.markdown());
      out.flush();
      return writeJson(json, report.json(), out, err);
    }
  }

  /** {@code floorgate bench rules}: prints the rule file a bench run with Floorgate uses. */
  @Command(
      name = "rules",
      mixinStandardHelpOptions = true,
      description = "Print a rule file for the bench topics: --count one per device or one per sensor.")
  static final class RulesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin LoadOptions load = new LoadOptions();

    @Option(names = "--count", required = true, description = "How many rules.")
    int count;

    @Override
    public Integer call() {
      try {
        spec.commandLine().getOut().print(RuleFiles.yaml(load.spec(5_000, 0, true), count));
        spec.commandLine().getOut().flush();
        return 0;
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println(e.getMessage());
        spec.commandLine().getErr().flush();
        return 2;
      }
    }
  }

  /**
   * {@code floorgate bench broker}: bare Moquette, configured as Floorgate configures it (the
   * defaults: persistence on, 64 KiB payloads), with no interceptor; runs until SIGTERM. The
   * floor that the suite compares Floorgate with.
   */
  @Command(
      name = "broker",
      hidden = true,
      mixinStandardHelpOptions = true,
      description = "Run bare Moquette as Floorgate configures it, without Floorgate (the benchmark's floor).")
  static final class BrokerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Where the broker keeps its data.")
    Path dataDir;

    @Option(names = "--port", description = "MQTT port; 0 binds any free port (default ${DEFAULT-VALUE}).")
    int port = 0;

    @Override
    public Integer call() {
      BrokerConfig config = ConfigLoader.defaults().broker().withPlainListener(port, dataDir);
      Broker broker = Broker.bare(config, Clock.systemUTC());
      try {
        broker.start();
      } catch (IllegalStateException e) {
        spec.commandLine().getErr().println(e.getMessage());
        spec.commandLine().getErr().flush();
        return 1;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "floorgate-bench-shutdown"));
      PrintWriter out = spec.commandLine().getOut();
      out.println("MQTT listener on " + config.host() + ":" + broker.port() + " (bare Moquette)");
      out.flush();
      return FloorgateCommand.KEEP_RUNNING;
    }
  }
}
