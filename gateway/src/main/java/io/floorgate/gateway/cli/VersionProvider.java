package io.floorgate.gateway.cli;

import io.floorgate.gateway.BuildInfo;
import picocli.CommandLine;

/**
 * {@code floorgate --version}: the version (jar manifest), the git commit it was built from, and
 * the Java runtime it runs on.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "floorgate " + BuildInfo.current().describe(),
      "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
