package io.floorgate.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floorgate.rules.RuleFile;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleReloaderTextTest {
  @TempDir Path dir;

  @Test
  void readText_givesTheFileDecodedAsUtf8() throws Exception {
    Path file = dir.resolve("rules.yaml");
    String text = "rules: [] # Temperatur \u00fcber 25 \u00b0C, \u20ac, \ud83d\ude00\n";
    Files.writeString(file, text, StandardCharsets.UTF_8);

    assertThat(RuleReloader.readText(file)).isEqualTo(text);
  }

  @Test
  void readText_keepsAReplacementCharacterThatIsWrittenInTheFile() throws Exception {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, "rules: [] # \ufffd\n", StandardCharsets.UTF_8);

    assertThat(RuleReloader.readText(file)).isEqualTo("rules: [] # \ufffd\n");
  }

  @Test
  void readText_ofMalformedUtf8_isAProblemNotAReplacement() throws Exception {
    Path file = dir.resolve("rules.yaml");
    Files.write(file, new byte[] {'r', 'u', 'l', 'e', 's', ':', ' ', (byte) 0xC3, '\n'});

    assertThatThrownBy(() -> RuleReloader.readText(file))
        .isInstanceOf(RuleFile.InvalidRulesException.class)
        .hasMessageContaining("rules.yaml:1:1")
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void readText_ofAMissingFile_namesIt() {
    assertThatThrownBy(() -> RuleReloader.readText(dir.resolve("missing.yaml")))
        .isInstanceOf(RuleFile.InvalidRulesException.class)
        .hasMessageContaining("missing.yaml")
        .hasMessageContaining("cannot read the rule file");
  }

  @Test
  void readText_ofAFileLargerThanTheLimit_isAProblemNamingItsSize() throws Exception {
    Path file = dir.resolve("rules.yaml");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(RuleFile.MAX_BYTES + 1L);
    }

    assertThatThrownBy(() -> RuleReloader.readText(file))
        .isInstanceOf(RuleFile.InvalidRulesException.class)
        .hasMessageContaining(
            file + ":1:1: the rule file is 3145729 bytes, more than the 3145728 (3 MiB)");
  }
}
