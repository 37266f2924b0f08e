package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Version and commit for `floorgate --version` and the start-up line. */
class BuildInfoTest {
  private static InputStream properties(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void versionAndCommit_areDescribedOnOneLine() throws IOException {
    BuildInfo info =
        BuildInfo.of(
            "0.1.0",
            properties(
                "git.commit.id=0df34766eb5be1db2eff9a216cfbfde7535098c8\n"
                    + "git.commit.id.abbrev=0df34766eb\ngit.dirty=false\n"));

    assertThat(info).isEqualTo(new BuildInfo("0.1.0", "0df34766eb", false));
    assertThat(info.describe()).isEqualTo("0.1.0 (commit 0df34766eb)");
  }

  @Test
  void dirtyTree_isSaid() throws IOException {
    BuildInfo info =
        BuildInfo.of("0.1.0", properties("git.commit.id.abbrev=0df34766eb\ngit.dirty=true\n"));

    assertThat(info.describe()).isEqualTo("0.1.0 (commit 0df34766eb, modified)");
  }

  @Test
  void withoutManifestOrGitProperties_saysSo_insteadOfFailing() throws IOException {
    assertThat(BuildInfo.of(null, null).describe())
        .isEqualTo("development build (commit unknown)");
    assertThat(BuildInfo.of(" ", properties("")).describe())
        .isEqualTo("development build (commit unknown)");
  }

  @Test
  void thisBuild_carriesTheCommitOfTheCheckoutItWasBuiltFrom() throws Exception {
    Path top = Path.of("").toAbsolutePath();
    if (!Files.exists(top.resolve(".git"))) {
      top = top.getParent();
    }
    assumeTrue(Files.exists(top.resolve(".git")), "not built from a git checkout");
    Process git =
        new ProcessBuilder("git", "rev-parse", "--short=10", "HEAD")
            .directory(top.toFile())
            .redirectErrorStream(true)
            .start();
    assumeTrue(git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0, "git is not usable");
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

    assertThat(BuildInfo.current().commit()).isEqualTo(head);
  }
}
