package io.floorgate.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTargetTest {
  @Test
  void targetsRun_withTheSystemdUnitsMemorySettings_andItsClassArchive() throws IOException {
    Path here = Path.of("").toAbsolutePath();
    Path unit = here.resolve("systemd/floorgate.service");
    if (!Files.exists(unit)) {
      unit = here.getParent().resolve("systemd/floorgate.service");
    }
    List<String> lines = Files.readAllLines(unit);
    String execStart =
        lines.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();

    assertThat(execStart)
        .contains(" " + String.join(" ", BenchTarget.unitJvmArgs(ClassArchive.UNIT_ARCHIVE)) + " ");
    BenchTarget.UNIT_ENVIRONMENT.forEach(
        (name, value) -> assertThat(lines).contains("Environment=" + name + "=" + value));
  }
}
