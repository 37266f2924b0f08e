package io.floorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code floorgate bench} against a running broker: what it refuses before any load. */
class BenchCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine line = new CommandLine(new BenchCommand());
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    return line.execute(args);
  }

  /** A port nothing listens on: taken, then given back. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void metricsThatCannotBeRead_failTheRunBeforeAnyLoad_namingTheAddress() throws IOException {
    String metrics = "http://127.0.0.1:" + closedPort() + "/metrics";

    int exit = run("--port", Integer.toString(closedPort()), "--metrics", metrics, "--duration", "1s");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("bench failed: cannot read " + metrics + ": ")
        .contains("ConnectException")
        .doesNotContain("null");
    assertThat(out.toString()).isEmpty();
  }
}
