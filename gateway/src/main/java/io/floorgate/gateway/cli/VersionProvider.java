package io.floorgate.gateway.cli;

import picocli.CommandLine;

/** {@code floorgate --version}: the version from the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    Package pkg = VersionProvider.class.getPackage();
    String version = pkg.getImplementationVersion();
    return new String[] {"floorgate " + (version == null ? "(development build)" : version)};
  }
}
