package io.floorgate.gateway.cli;

import io.floorgate.gateway.Gateway;
import io.floorgate.gateway.GatewayStartException;
import io.floorgate.gateway.NativeHeapTrimmer;
import io.floorgate.gateway.config.ConfigException;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.gateway.config.GatewayConfig;
import io.floorgate.gateway.logging.LogSetup;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code floorgate run [--config FILE]}: starts the gateway and runs until SIGTERM or Ctrl-C. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the gateway (on the embedded defaults without --config).")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  /** As measured in docs/benchmarks.md (Memory). */
  private static final Duration TRIM_INTERVAL = Duration.ofSeconds(1);

  /**
   * The exit code after an essential thread died ({@code EX_SOFTWARE}): the unit's {@code
   * Restart=on-failure} restarts the gateway, which picks up from its journal.
   */
  static final int EXIT_THREAD_DIED = 70;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration (see config/gateway.yaml). Default: embedded defaults.")
  Path config;

  /**
   * The command for the arguments the systemd unit and the README start the gateway with ({@code
   * run}, {@code run --config FILE}, {@code run -c FILE}, {@code run --config=FILE}, or nothing),
   * read without picocli; empty for anything else, which picocli then reads, answers and refuses
   * as always.
   *
   * <p>Why: picocli's classes are Java 5 class files, which the class archive cannot hold (the
   * JVM archives class files of Java 6 and later only), so building its command line loads and
   * verifies ~175 classes and runs its reflection in the interpreter: ~0.3 s of every start, on
   * main, before the configuration is read (docs/benchmarks.md, Start-up). {@code
   * FloorgateCommandTest} holds this to what picocli makes of the same arguments.
   */
  static Optional<RunCommand> plain(String[] args) {
    if (args.length == 0 || (args.length == 1 && args[0].equals("run"))) {
      return Optional.of(new RunCommand());
    }
    if (!args[0].equals("run")) {
      return Optional.empty();
    }
    String file;
    if (args.length == 3 && (args[1].equals("--config") || args[1].equals("-c"))) {
      file = args[2];
    } else if (args.length == 2 && args[1].startsWith("--config=")) {
      file = args[1].substring("--config=".length());
    } else {
      return Optional.empty();
    }
    // Values picocli questions (an option's name, nothing at all) are left to it.
    if (file.isEmpty() || file.startsWith("-")) {
      return Optional.empty();
    }
    RunCommand run = new RunCommand();
    try {
      run.config = Path.of(file);
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return Optional.of(run);
  }

  @Override
  public Integer call() {
    GatewayConfig loaded;
    try {
      loaded = config == null ? ConfigLoader.defaults() : ConfigLoader.load(config).orThrow();
    } catch (ConfigException e) {
      LOG.error("{}", e.getMessage());
      return 2;
    }
    String logging;
    try {
      logging = LogSetup.apply(loaded.log());
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      return 2;
    }
    DeferredSignals stopSignals = DeferredSignals.hold("TERM", "INT");
    // systemd's ExecReload (kill -HUP): re-read the rule file. Handled from before the start (the
    // JVM's own handling of SIGHUP is to stop) and, when it comes during the start, once the
    // gateway runs: the start may have read the file before the edit that the signal announces.
    AtomicReference<Gateway> running = new AtomicReference<>();
    AtomicBoolean reloadAsked = new AtomicBoolean();
    Signal.handle(
        new Signal("HUP"),
        signal -> {
          reloadAsked.set(true);
          reloadIfAsked(running.get(), reloadAsked);
        });
    // Logged once stop signals are held, so a supervisor (or test) that sees it may stop us.
    LOG.info("logging at {}", logging);
    Gateway gateway;
    try {
      gateway = Gateway.start(loaded);
    } catch (GatewayStartException e) {
      stopSignals.restore();
      if (e.bug()) {
        LOG.error("Floorgate did not start (a bug: please report it with this trace): {}",
            e.getMessage(), e.getCause());
      } else {
        LOG.error("Floorgate did not start: {}", e.getMessage());
      }
      return 1;
    }
    // Started after the gateway, off its start-up: the first trim sets up the JVM's MBean server.
    Optional<NativeHeapTrimmer> trimmer = NativeHeapTrimmer.start(TRIM_INTERVAL);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("shutting down");
                  trimmer.ifPresent(NativeHeapTrimmer::close);
                  gateway.close();
                  LOG.info("Floorgate stopped");
                },
                "floorgate-shutdown"));
    running.set(gateway);
    // An essential thread died (the gateway has logged it): exit, so that systemd restarts
    // Floorgate rather than leave it half-working; from a thread of its own, so that the dying
    // thread ends and the shutdown hook does not wait for it.
    gateway.onFatal(
        () -> new Thread(() -> System.exit(EXIT_THREAD_DIED), "floorgate-fatal").start());
    reloadIfAsked(gateway, reloadAsked);
    // From here a SIGTERM starts the JVM's shutdown, which runs the hook above (exit 143, as
    // systemd expects).
    Signal held = stopSignals.restore();
    // Ctrl-C is an operator's normal way to stop it: exit 0 after the same clean shutdown.
    Signal.handle(new Signal("INT"), signal -> System.exit(0));
    if (held != null) {
      LOG.info("SIG{} arrived while starting; stopping now", held.getName());
      System.exit(held.getName().equals("INT") ? 0 : 128 + held.getNumber());
    }
    return FloorgateCommand.KEEP_RUNNING;
  }

  /** Reloads once per SIGHUP, whichever of the handler and the start sees the gateway first. */
  private static void reloadIfAsked(@Nullable Gateway gateway, AtomicBoolean asked) {
    if (gateway != null && asked.getAndSet(false)) {
      gateway.reloadRules("sighup");
    }
  }
}
