package io.floorgate.gateway.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code floorgate}: with no sub-command it runs the gateway on its embedded defaults, like
 * {@code floorgate run}.
 */
@Command(
    name = "floorgate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "MQTT edge gateway: embedded broker, threshold alarms, durable event journal.",
    subcommands = {
      RunCommand.class,
      EventsCommand.class,
      RulesCommand.class,
      BridgeCommand.class,
      PasswdCommand.class,
      BenchCommand.class,
      ClassArchiveCommand.class
    })
public final class FloorgateCommand implements Callable<Integer> {
  /** Returned by {@code run} when the gateway started: main must not exit. */
  public static final int KEEP_RUNNING = -1;

  /** The command line with Floorgate's conventions (exit codes, error output). */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new FloorgateCommand());
    line.setCaseInsensitiveEnumValuesAllowed(true);
    return line;
  }

  /**
   * Runs the command line and returns its exit code ({@link #KEEP_RUNNING} when the gateway
   * runs). The gateway's own start ({@link RunCommand#plain}) goes without picocli; a failure
   * there ends with exit code 1, as picocli ends one, and is logged with its trace.
   */
  public static int execute(String[] args) {
    Optional<RunCommand> run = RunCommand.plain(args);
    if (run.isEmpty()) {
      return commandLine().execute(args);
    }
    try {
      return run.get().call();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(FloorgateCommand.class).error("run failed: {}", e.toString(), e);
      return 1;
    }
  }

  @Override
  public Integer call() {
    return new RunCommand().call();
  }
}
