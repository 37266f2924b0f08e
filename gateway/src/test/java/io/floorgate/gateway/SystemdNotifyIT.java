package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway process tells systemd it is ready through the real {@code systemd-notify}. A
 * small python3 program plays systemd's side: a unix datagram socket named by NOTIFY_SOCKET that
 * prints what arrives.
 */
class SystemdNotifyIT {
  private static final String RECEIVER =
      """
      import socket, sys
      s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
      s.bind(sys.argv[1])
      print("listening", flush=True)
      while True:
          print(s.recv(65536).decode().replace("\\n", "|"), flush=True)
      """;

  @TempDir Path dir;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private Process receiver;

  @BeforeEach
  void startReceiver() throws IOException {
    assumeTrue(onPath("systemd-notify"), "systemd-notify is not installed (Debian: systemd)");
    assumeTrue(onPath("python3"), "python3 is needed to play systemd's notification socket");
    Path script = dir.resolve("receiver.py");
    Files.writeString(script, RECEIVER);
    receiver =
        new ProcessBuilder("python3", script.toString(), dir.resolve("notify.sock").toString())
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  received.add(line);
                }
              } catch (IOException ignored) {
                // the receiver was stopped
              }
            },
            "notify-receiver-output");
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("listening"));
  }

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.destroyForcibly();
    }
  }

  @Test
  void underSystemd_theGatewayReportsReady_withItsListener_afterItOpened() throws Exception {
    Files.writeString(
        dir.resolve("rules.yaml"),
        """
        rules:
          - id: line-temp
            name: Line temperature
            topic: plant/+/+/temperature
            comparison: greater_than
            value: 25.0
        """);
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, GatewayFixture.config(dir, ""));

    try (GatewayProcess gateway =
        GatewayProcess.start(
            config, Map.of("NOTIFY_SOCKET", dir.resolve("notify.sock").toString()))) {
      String ready = "READY=1|STATUS=MQTT on 127.0.0.1:" + gateway.port() + ", 1 rule(s)";
      await().atMost(Duration.ofSeconds(20)).until(() -> received.contains(ready));
      // systemd-notify waited until "systemd" had read the message (it was still alive then,
      // so systemd can attribute it to the unit): the barrier follows it.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(received).containsSubsequence(ready, "BARRIER=1"));
      assertThat(gateway.lines()).noneMatch(l -> l.contains("systemd-notify"));

      assertThat(gateway.terminate()).isEqualTo(143);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, command))) {
        return true;
      }
    }
    return false;
  }
}
