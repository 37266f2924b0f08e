package io.floorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The gateway's start without picocli ({@link RunCommand#plain}) against picocli itself: whatever
 * the plain reading takes, picocli reads the same way, as a start of the gateway with the same
 * configuration file; everything else it leaves to picocli.
 */
class FloorgateCommandTest {

  /** What picocli makes of the arguments, as the plain reading would say it. */
  private sealed interface Meaning {}

  /** The gateway starts, with this configuration file (null: the embedded defaults). */
  private record Starts(@Nullable Path config) implements Meaning {}

  /** Anything else: help, a version, another command, a usage error. */
  private record Other() implements Meaning {}

  private static Meaning picocli(List<String> args) {
    ParseResult root;
    try {
      root = FloorgateCommand.commandLine().parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      return new Other();
    }
    if (root.isUsageHelpRequested() || root.isVersionHelpRequested()) {
      return new Other();
    }
    ParseResult run = root.subcommand();
    if (run == null) {
      return new Starts(null);
    }
    if (!run.commandSpec().name().equals("run")
        || run.isUsageHelpRequested()
        || run.isVersionHelpRequested()
        || run.subcommand() != null) {
      return new Other();
    }
    return new Starts(((RunCommand) run.commandSpec().userObject()).config);
  }

  private static Optional<Meaning> plain(List<String> args) {
    return RunCommand.plain(args.toArray(String[]::new)).map(run -> new Starts(run.config));
  }

  @Property(tries = 2000)
  void whatThePlainReadingTakes_picocliReadsTheSameWay(@ForAll("argumentLists") List<String> args) {
    Optional<Meaning> plain = plain(args);
    Statistics.label("plain").collect(plain.isPresent());

    plain.ifPresent(meaning -> assertThat(picocli(args)).isEqualTo(meaning));
  }

  @Provide
  Arbitrary<List<String>> argumentLists() {
    Arbitrary<String> token =
        Arbitraries.oneOf(
            Arbitraries.of(
                "run", "--config", "-c", "--config=", "--config=a.yaml", "-ca.yaml", "a.yaml",
                "/etc/floorgate/gateway.yaml", "-", "--", "--help", "-h", "--version", "-V",
                "events", "run2", "RUN", "", " ", "a b.yaml", "--config=-h", "a\u0000b.yaml"),
            Arbitraries.strings().ofMaxLength(6));
    // Half of them start with "run", so that the plain reading takes some.
    Arbitrary<List<String>> afterRun =
        token.list().ofMaxSize(3).map(rest -> Stream.concat(Stream.of("run"), rest.stream()).toList());
    return Arbitraries.oneOf(token.list().ofMaxSize(4), afterRun);
  }

  @Example
  void theUnitsAndTheReadmesStarts_goWithoutPicocli() {
    for (List<String> args :
        List.of(
            List.<String>of(),
            List.of("run"),
            List.of("run", "--config", "/etc/floorgate/gateway.yaml"),
            List.of("run", "-c", "gateway.yaml"),
            List.of("run", "--config=gateway.yaml"))) {
      assertThat(plain(args)).as("%s", args).isPresent().contains(picocli(args));
    }
  }

  @Example
  void helpVersionsOtherCommandsAndMistakes_areLeftToPicocli() {
    for (List<String> args :
        List.of(
            List.of("--help"),
            List.of("run", "--help"),
            List.of("run", "--version"),
            List.of("run", "--config"),
            List.of("run", "--config", "--help"),
            List.of("run", "--config", ""),
            List.of("run", "--config", "a.yaml", "--config", "b.yaml"),
            List.of("run", "extra"),
            List.of("events", "tail"))) {
      assertThat(plain(args)).as("%s", args).isEmpty();
    }
  }

  @Example
  void aMistakeAfterRun_endsAsPicocliEndsIt() {
    assertThat(FloorgateCommand.execute(new String[] {"run", "--config"}))
        .isEqualTo(CommandLine.ExitCode.USAGE);
  }
}
