package io.floorgate.gateway.cli;

import io.floorgate.gateway.bench.BenchTarget;
import io.floorgate.gateway.bench.ClassArchive;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code floorgate class-archive --out FILE}: makes the class-data sharing archive the systemd
 * unit starts with (see {@link ClassArchive}). systemd/install.sh runs it; run it again after
 * upgrading Java.
 */
@Command(
    name = "class-archive",
    mixinStandardHelpOptions = true,
    description = {
      "Make the class-data sharing archive that lets the gateway start faster.",
      "Starts the gateway from this jar for a few seconds of test telemetry (ports chosen by the"
          + " system, files in a temporary directory), with the systemd unit's JVM settings,"
          + " and keeps the classes it loaded. The archive is only good for this jar at this"
          + " path and for this Java: make it again after upgrading either."
    })
final class ClassArchiveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write it; the unit reads /usr/local/lib/floorgate/floorgate.jsa.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      ClassArchive.create(out, BenchTarget.UNIT_JVM_ARGS, spec.commandLine().getOut());
      return 0;
    } catch (IllegalStateException | UncheckedIOException e) {
      err.println("class-archive: " + e.getMessage());
      err.flush();
      return 1;
    }
  }
}
