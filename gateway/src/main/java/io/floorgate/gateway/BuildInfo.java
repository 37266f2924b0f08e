package io.floorgate.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * What was built: the version from the jar's manifest and the git commit the build wrote into
 * {@code git.properties} (gateway/pom.xml, profile {@code git-commit}).
 *
 * @param version the project version, or {@code "development build"} outside the jar
 * @param commit the abbreviated commit id, or {@code "unknown"} (built without git)
 * @param modified the working tree had uncommitted changes when it was built
 */
public record BuildInfo(String version, String commit, boolean modified) {
  static final String PROPERTIES = "git.properties";

  /** This build's. */
  public static BuildInfo current() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(PROPERTIES)) {
      return of(BuildInfo.class.getPackage().getImplementationVersion(), in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PROPERTIES + ": " + e.getMessage(), e);
    }
  }

  /** From a manifest version and a {@code git.properties} stream, either possibly absent. */
  static BuildInfo of(@Nullable String version, @Nullable InputStream gitProperties)
      throws IOException {
    Properties git = new Properties();
    if (gitProperties != null) {
      git.load(gitProperties);
    }
    String commit = git.getProperty("git.commit.id.abbrev", "").strip();
    return new BuildInfo(
        version == null || version.isBlank() ? "development build" : version,
        commit.isEmpty() ? "unknown" : commit,
        Boolean.parseBoolean(git.getProperty("git.dirty", "false").strip()));
  }

  /** {@code 0.1.0 (commit 0df34766eb)}, with {@code , modified} when built from a dirty tree. */
  public String describe() {
    return version + " (commit " + commit + (modified ? ", modified" : "") + ")";
  }
}
