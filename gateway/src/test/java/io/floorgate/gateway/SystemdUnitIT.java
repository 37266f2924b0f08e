package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/floorgate.service as systemd judges it, offline: {@code systemd-analyze} works without
 * systemd running as PID 1 (.ci/run installs Debian's systemd package when it is missing).
 */
class SystemdUnitIT {
  private static final Path TOP = Scripts.top();
  private static final Path UNIT = TOP.resolve("systemd/floorgate.service");
  private static final Pattern SCORE =
      Pattern.compile("Overall exposure level for floorgate\\.service: (\\d+\\.\\d)");

  @TempDir Path dir;

  @BeforeAll
  static void needsSystemdAnalyze() {
    assumeTrue(
        Scripts.onPath("systemd-analyze"),
        "systemd-analyze is missing (Debian package systemd; .ci/run installs it)");
  }

  private static Scripts.Result analyze(String... arguments) {
    String[] command = new String[arguments.length + 1];
    command[0] = "systemd-analyze";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    return Scripts.run(Map.of("SYSTEMD_COLORS", "0", "SYSTEMD_PAGER", "cat"), command);
  }

  private static double score(Path unit) {
    Scripts.Result result = analyze("security", "--offline=true", unit.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    Matcher m = SCORE.matcher(result.output());
    assertThat(m.find()).as(result.output()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void unit_passesSystemdAnalyzeVerify_withoutAWarning() {
    Scripts.Result result = analyze("verify", UNIT.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).isEmpty();
  }

  @Test
  void unit_exposureScore_isAtMostTwo_andTheThresholdCheckAgrees() {
    assertThat(score(UNIT)).isLessThanOrEqualTo(2.0);
    // The same limit as systemd's own check (the threshold is in tenths).
    Scripts.Result threshold =
        analyze("security", "--offline=true", "--threshold=20", UNIT.toString());
    assertThat(threshold.exitCode()).as(threshold.output()).isZero();
  }

  @Test
  void unitWithTheLowPortDropIn_stillVerifies_andScoresAtMostTwo() throws IOException {
    Path unit = dir.resolve("floorgate.service");
    Files.copy(UNIT, unit);
    Path dropIn = dir.resolve("floorgate.service.d/low-port.conf");
    Files.createDirectories(dropIn.getParent());
    Files.copy(TOP.resolve("systemd/floorgate-low-port.conf"), dropIn);

    Scripts.Result verify = analyze("verify", unit.toString());
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).isEmpty();
    Scripts.Result security = analyze("security", "--offline=true", unit.toString());
    assertThat(security.output()).contains("CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE");
    assertThat(score(unit)).isGreaterThan(score(UNIT)).isLessThanOrEqualTo(2.0);
  }

  @Test
  void docs_stateTheScoreAsMeasured() throws IOException {
    String docs = Files.readString(TOP.resolve("docs/operations.md"));

    assertThat(docs)
        .contains(String.format("Overall exposure level for floorgate.service: %.1f", score(UNIT)));
  }
}
