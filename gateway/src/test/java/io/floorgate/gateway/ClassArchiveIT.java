package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.gateway.bench.BenchTarget;
import io.floorgate.gateway.bench.ClassArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code floorgate class-archive}, run from the built jar as install.sh runs it: the archive it
 * writes is one the JVM uses with the unit's settings ({@code -Xshare:on} makes any other fatal).
 * One archive for all tests: making it is a training run of ~15 s.
 */
class ClassArchiveIT {
  private static final Path JAR = Scripts.top().resolve("gateway/target/floorgate.jar");

  @TempDir static Path dir;
  private static Path archive;
  private static Scripts.Result staleBefore;
  private static Scripts.Result made;

  @BeforeAll
  static void makeTheArchive_overAStaleFile() throws IOException {
    archive = dir.resolve("lib/floorgate.jsa");
    Files.createDirectories(archive.getParent());
    Files.writeString(archive, "not an archive");
    staleBefore = versionWith(archive, JAR);
    made = Scripts.run(Map.of(), java(), "-jar", JAR.toString(), "class-archive", "--out", archive.toString());
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java <the unit's settings> -XX:SharedArchiveFile=ARCHIVE -Xshare:on -jar JAR --version}. */
  private static Scripts.Result versionWith(Path archive, Path jar) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(BenchTarget.unitJvmArgs(archive));
    command.add("-Xshare:on");
    command.addAll(List.of("-jar", jar.toString(), "--version"));
    return Scripts.run(Map.of(), command.toArray(String[]::new));
  }

  @Test
  void classArchive_writesAnArchiveTheJvmUses_replacingAStaleFile() throws IOException {
    assertThat(staleBefore.exitCode()).as("the stale file is refused").isNotZero();

    assertThat(made.exitCode()).as(made.output()).isZero();
    assertThat(made.output()).contains("wrote " + archive, ClassArchive.option(archive));
    assertThat(Files.size(archive)).isGreaterThan(1 << 20);
    assertThat(Files.exists(archive.resolveSibling("floorgate.jsa.new"))).isFalse();
    Scripts.Result used = versionWith(archive, JAR);
    assertThat(used.exitCode()).as(used.output()).isZero();
    assertThat(used.output()).contains("floorgate ");
  }

  @Test
  void anArchive_isOnlyGoodForTheJarItWasMadeFor() throws IOException {
    assertThat(made.exitCode()).as(made.output()).isZero();
    Path elsewhere = Files.copy(JAR, dir.resolve("other.jar"));
    Files.setLastModifiedTime(elsewhere, Files.getLastModifiedTime(JAR));

    Scripts.Result otherJar = versionWith(archive, elsewhere);

    assertThat(otherJar.exitCode()).as(otherJar.output()).isNotZero();
    assertThat(otherJar.output()).contains("Unable to use shared archive");
  }

  @Test
  void withoutItsArchive_theGatewayStillRuns() {
    // The unit does not ask for -Xshare:on: a missing or unusable archive only costs time.
    Scripts.Result missing =
        Scripts.run(Map.of(), java(), ClassArchive.option(dir.resolve("missing.jsa")), "-jar",
            JAR.toString(), "--version");

    assertThat(missing.exitCode()).as(missing.output()).isZero();
    assertThat(missing.output()).contains("floorgate ");
  }
}
