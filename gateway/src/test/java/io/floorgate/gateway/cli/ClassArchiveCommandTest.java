package io.floorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClassArchiveCommandTest {
  @TempDir Path dir;

  @Test
  void fromAClassPath_itRefusesAndSaysWhy_writingNothing() {
    // Tests run from target/classes, not from floorgate.jar: the archive would record no jar.
    StringWriter err = new StringWriter();
    CommandLine line = FloorgateCommand.commandLine();
    line.setOut(new PrintWriter(new StringWriter()));
    line.setErr(new PrintWriter(err));
    Path out = dir.resolve("floorgate.jsa");

    int exit = line.execute("class-archive", "--out", out.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("class-archive: a class archive is made by floorgate.jar")
        .contains("it records the jar's path", "class path");
    assertThat(Files.exists(out)).isFalse();
  }
}
