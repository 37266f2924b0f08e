package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.gateway.config.GatewayConfig;
import io.floorgate.rules.RuleFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/install.sh and uninstall.sh, always staged into a temporary root (DESTDIR): they must
 * never touch this machine's /etc, /usr or systemd from a test.
 */
class InstallScriptIT {
  private static final Path TOP = Scripts.top();
  private static final Path JAR = TOP.resolve("gateway/target/floorgate.jar");

  @TempDir Path root;

  private Scripts.Result script(String name, String prefix, String... arguments) {
    List<String> command = new java.util.ArrayList<>(List.of("bash", TOP + "/systemd/" + name));
    command.addAll(List.of(arguments));
    return Scripts.run(
        Map.of("DESTDIR", root.toString(), "PREFIX", prefix), command.toArray(String[]::new));
  }

  private Scripts.Result install(String prefix) {
    assertThat(JAR).as("the fat jar (mvn package builds it)").isRegularFile();
    return script("install.sh", prefix, "--jar", JAR.toString());
  }

  private Path at(String path) {
    return root.resolve(path.substring(1));
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void install_intoADestdir_laysOutJarCommandUnitUserDocsAndConfig() throws IOException {
    Scripts.Result result = install("/usr/local");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Staged under " + root);
    assertThat(Files.mismatch(at("/usr/local/lib/floorgate/floorgate.jar"), JAR)).isEqualTo(-1L);
    Path command = at("/usr/local/bin/floorgate");
    assertThat(mode(command)).isEqualTo("rwxr-xr-x");
    assertThat(command).content().contains("-jar /usr/local/lib/floorgate/floorgate.jar \"$@\"");
    assertThat(at("/usr/local/lib/systemd/system/floorgate.service"))
        .hasSameTextualContentAs(TOP.resolve("systemd/floorgate.service"));
    assertThat(at("/usr/local/lib/sysusers.d/floorgate.conf"))
        .hasSameTextualContentAs(TOP.resolve("systemd/floorgate.sysusers"));
    assertThat(at("/usr/local/share/doc/floorgate/operations.md"))
        .hasSameTextualContentAs(TOP.resolve("docs/operations.md"));
    assertThat(at("/usr/local/share/doc/floorgate/floorgate-low-port.conf"))
        .hasSameTextualContentAs(TOP.resolve("systemd/floorgate-low-port.conf"));

    Path gatewayYaml = at("/etc/floorgate/gateway.yaml");
    assertThat(gatewayYaml)
        .hasSameTextualContentAs(TOP.resolve("config/examples/floorgate-systemd.yaml"));
    assertThat(mode(gatewayYaml)).isEqualTo("rw-r--r--");
    assertThat(at("/etc/floorgate/rules.yaml"))
        .hasSameTextualContentAs(TOP.resolve("config/rules.yaml"));
    // What the unit runs: --config /etc/floorgate/gateway.yaml, whose rules file is installed too.
    GatewayConfig config = ConfigLoader.load(gatewayYaml).orThrow();
    assertThat(config.rules().file()).isEqualTo(Path.of("/etc/floorgate/rules.yaml"));
    assertThat(RuleFile.load(at("/etc/floorgate/rules.yaml"), List.of("twin/+/state")).ok())
        .isTrue();
    assertThat(root.resolve("var")).doesNotExist();
  }

  @Test
  void secondInstall_keepsAnEditedConfig_andPutsTheShippedOneBeside() throws IOException {
    assertThat(install("/usr/local").exitCode()).isZero();
    Path gatewayYaml = at("/etc/floorgate/gateway.yaml");
    String edited =
        Files.readString(gatewayYaml).replace("port: 1883", "port: 1884") + "# edited by admin\n";
    Files.writeString(gatewayYaml, edited);

    Scripts.Result again = install("/usr/local");

    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(gatewayYaml).hasContent(edited);
    assertThat(at("/etc/floorgate/gateway.yaml.new"))
        .hasSameTextualContentAs(TOP.resolve("config/examples/floorgate-systemd.yaml"));
    assertThat(again.output())
        .contains("/etc/floorgate/gateway.yaml: kept yours")
        .contains("/etc/floorgate/rules.yaml: unchanged");
    assertThat(at("/etc/floorgate/rules.yaml.new")).doesNotExist();
  }

  @Test
  void prefixUsr_installsWhereDistributionsDo_andPointsTheUnitAtThatJar() throws IOException {
    Scripts.Result result = install("/usr");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(at("/usr/lib/floorgate/floorgate.jar")).isRegularFile();
    assertThat(at("/usr/bin/floorgate")).content().contains("-jar /usr/lib/floorgate/floorgate.jar");
    Path unit = at("/usr/lib/systemd/system/floorgate.service");
    assertThat(unit)
        .content()
        .contains("-jar /usr/lib/floorgate/floorgate.jar run --config /etc/floorgate/gateway.yaml")
        .contains("Documentation=file:///usr/share/doc/floorgate/operations.md")
        .doesNotContain("/usr/local");
    assertThat(at("/usr/lib/sysusers.d/floorgate.conf")).isRegularFile();
    assertThat(at("/etc/floorgate/gateway.yaml")).isRegularFile();
  }

  @Test
  void uninstall_keepsConfigAndJournal_andPurgeRemovesThem() throws IOException {
    assertThat(install("/usr/local").exitCode()).isZero();
    Path journalFile = at("/var/lib/floorgate/journal/20261129F.cq4");
    Files.createDirectories(journalFile.getParent());
    Files.writeString(journalFile, "events");

    Scripts.Result uninstall = script("uninstall.sh", "/usr/local");

    assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
    assertThat(at("/usr/local/lib/floorgate")).doesNotExist();
    assertThat(at("/usr/local/bin/floorgate")).doesNotExist();
    assertThat(at("/usr/local/lib/systemd/system/floorgate.service")).doesNotExist();
    assertThat(at("/usr/local/lib/sysusers.d/floorgate.conf")).doesNotExist();
    assertThat(at("/usr/local/share/doc/floorgate")).doesNotExist();
    assertThat(journalFile).hasContent("events");
    assertThat(at("/etc/floorgate/gateway.yaml")).isRegularFile();
    assertThat(uninstall.output())
        .contains("Kept /etc/floorgate; remove it with --purge.")
        .contains("Kept /var/lib/floorgate; remove it with --purge.");

    Scripts.Result purge = script("uninstall.sh", "/usr/local", "--purge");

    assertThat(purge.exitCode()).as(purge.output()).isZero();
    assertThat(at("/var/lib/floorgate")).doesNotExist();
    assertThat(at("/etc/floorgate")).doesNotExist();
  }

  @Test
  void badArguments_areRefusedNamingWhatIsWrong() {
    Scripts.Result unknown = script("install.sh", "/usr/local", "--jar", JAR.toString(), "--bogus");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains("unknown argument '--bogus'");

    Scripts.Result relative = script("install.sh", "usr/local", "--jar", JAR.toString());
    assertThat(relative.exitCode()).isNotZero();
    assertThat(relative.output()).contains("PREFIX must be an absolute path, but was 'usr/local'");

    Path missing = root.resolve("nowhere/floorgate.jar");
    Scripts.Result noJar = script("install.sh", "/usr/local", "--jar", missing.toString());
    assertThat(noJar.exitCode()).isNotZero();
    assertThat(noJar.output()).contains("no jar at " + missing);

    Scripts.Result badUninstall = script("uninstall.sh", "/usr/local", "--all");
    assertThat(badUninstall.exitCode()).isNotZero();
    assertThat(badUninstall.output()).contains("unknown argument '--all'");
    assertThat(root.resolve("usr")).doesNotExist();
  }
}
