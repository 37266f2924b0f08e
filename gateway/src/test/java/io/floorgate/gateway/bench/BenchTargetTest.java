package io.floorgate.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchTargetTest {
  @Test
  void targetsRun_withTheSystemdUnitsMemorySettings() throws IOException {
    Path here = Path.of("").toAbsolutePath();
    Path unit = here.resolve("systemd/floorgate.service");
    if (!Files.exists(unit)) {
      unit = here.getParent().resolve("systemd/floorgate.service");
    }
    String execStart =
        Files.readAllLines(unit).stream()
            .filter(l -> l.startsWith("ExecStart="))
            .findFirst()
            .orElseThrow();

    assertThat(execStart).contains(" " + String.join(" ", BenchTarget.UNIT_JVM_ARGS) + " ");
  }
}
