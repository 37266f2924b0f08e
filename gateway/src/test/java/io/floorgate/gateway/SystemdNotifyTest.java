package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness for systemd, with a stand-in for systemd-notify that records how it was called. */
class SystemdNotifyTest {
  @TempDir Path dir;

  private Path script(String body) throws IOException {
    Path script = dir.resolve("systemd-notify");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private Path recorder() throws IOException {
    return script("echo \"$NOTIFY_SOCKET $*\" > '" + dir.resolve("called") + "'");
  }

  @Test
  void outsideSystemd_runsNothing() throws IOException {
    SystemdNotify notify =
        new SystemdNotify(Map.of("HOME", "/root"), recorder().toString(), Duration.ofSeconds(10));

    assertThat(notify.expected()).isFalse();
    assertThat(notify.ready("MQTT on 127.0.0.1:1883")).isFalse();
    assertThat(dir.resolve("called")).doesNotExist();
  }

  @Test
  void underSystemd_runsSystemdNotifyReady_withTheStatus_onTheNotifySocket() throws IOException {
    SystemdNotify notify =
        new SystemdNotify(
            Map.of("NOTIFY_SOCKET", "/run/systemd/notify"),
            recorder().toString(),
            Duration.ofSeconds(10));

    assertThat(notify.ready("MQTT on 127.0.0.1:1883, 4 rule(s)")).isTrue();

    assertThat(dir.resolve("called"))
        .hasContent("/run/systemd/notify --ready --status=MQTT on 127.0.0.1:1883, 4 rule(s)");
  }

  @Test
  void failingSystemdNotify_isReportedAsFalse_notThrown() throws IOException {
    Path failing = script("echo 'No status data could be sent' >&2; exit 1");
    SystemdNotify notify =
        new SystemdNotify(
            Map.of("NOTIFY_SOCKET", "/run/systemd/notify"),
            failing.toString(),
            Duration.ofSeconds(10));

    assertThat(notify.ready("x")).isFalse();
  }

  @Test
  void missingSystemdNotify_isReportedAsFalse_notThrown() {
    SystemdNotify notify =
        new SystemdNotify(
            Map.of("NOTIFY_SOCKET", "/run/systemd/notify"),
            dir.resolve("no-such-command").toString(),
            Duration.ofSeconds(10));

    assertThat(notify.ready("x")).isFalse();
  }

  @Test
  void hangingSystemdNotify_isGivenUpAfterTheTimeout() throws IOException {
    Path hanging = script("exec sleep 60");
    SystemdNotify notify =
        new SystemdNotify(
            Map.of("NOTIFY_SOCKET", "/run/systemd/notify"),
            hanging.toString(),
            Duration.ofMillis(300));

    long begin = System.nanoTime();
    assertThat(notify.ready("x")).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
  }
}
