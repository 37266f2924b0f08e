package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What systemd/floorgate.service promises, read as text (no systemd needed). */
class SystemdUnitTest {
  private static List<String> directives() throws IOException {
    return Files.readAllLines(Scripts.top().resolve("systemd/floorgate.service")).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("["))
        .toList();
  }

  @Test
  void execStart_runsTheJarWithBoundedHeapAndDirectMemory_onTheSystemdConfig()
      throws IOException {
    String execStart =
        directives().stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();

    assertThat(execStart)
        .startsWith("ExecStart=/usr/bin/java ")
        .containsPattern(" -Xmx\\d+m ")
        .containsPattern(" -XX:MaxDirectMemorySize=\\d+m ")
        .contains(" -XX:+ExitOnOutOfMemoryError ")
        .endsWith(" -jar /usr/local/lib/floorgate/floorgate.jar run --config /etc/floorgate/gateway.yaml");
  }

  @Test
  void lifecycle_isNotifyReadiness_sighupReload_sigtermSuccess_restartOnFailure()
      throws IOException {
    assertThat(directives())
        .contains(
            "Type=notify",
            "NotifyAccess=all",
            "ExecReload=/bin/kill -HUP $MAINPID",
            "SuccessExitStatus=143",
            "Restart=on-failure",
            "RestartPreventExitStatus=2",
            "User=floorgate",
            "StateDirectory=floorgate",
            "ConfigurationDirectory=floorgate",
            "WorkingDirectory=/var/lib/floorgate");
  }

  @Test
  void sandbox_letsTheJitWork_andGrantsNoCapability() throws IOException {
    assertThat(directives())
        .contains(
            "CapabilityBoundingSet=",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "SystemCallFilter=@system-service",
            "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6")
        .noneMatch(l -> l.startsWith("MemoryDenyWriteExecute="))
        .noneMatch(l -> l.startsWith("ReadWritePaths="));
  }
}
