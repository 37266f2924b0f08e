package io.floorgate.gateway.cli;

import io.floorgate.events.EventJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code floorgate bridge ...}: the upstream bridge of a running gateway. */
@Command(
    name = "bridge",
    mixinStandardHelpOptions = true,
    description = "The bridge to the upstream broker.",
    subcommands = {BridgeCommand.StatusCommand.class})
final class BridgeCommand {

  /** Exit code when the bridge is enabled but not connected to its upstream. */
  static final int NOT_CONNECTED = 3;

  /**
   * {@code floorgate bridge status}: {@code GET /api/bridge} as USER (password from
   * FLOORGATE_PASSWORD or the console), printed as lines or JSON.
   */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Show the bridge's state through the running gateway's admin API, as USER. The password"
              + " comes from the FLOORGATE_PASSWORD environment variable, else it is asked for."
              + " Exit code 0: connected (or no bridge configured); 3: enabled but not connected;"
              + " 1: the API could not be asked.")
  static final class StatusCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-u", "--user"},
        required = true,
        paramLabel = "USER",
        description = "An admin API user.")
    String user;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "Gateway configuration whose admin address to use.")
    Path config;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description = "Admin API base URL (default from the configuration: http://127.0.0.1:8180).")
    String url;

    @Option(names = "--json", description = "Print the API's JSON as it is.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      String base = url != null ? url : AdminClient.baseUrl(config);
      char[] password = AdminClient.password(user);
      AdminClient.Response response =
          AdminClient.send(base, user, password, "GET", "/api/bridge", "");
      java.util.Arrays.fill(password, '\0');
      PrintWriter out = spec.commandLine().getOut();
      if (response.status() != 200) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("cannot read the bridge status (HTTP " + response.status() + "): " + response.error());
        err.flush();
        return 1;
      }
      Map<String, Object> status =
          EventJson.readObject(response.body().getBytes(StandardCharsets.UTF_8));
      if (json) {
        out.println(response.body());
      } else {
        print(out, status);
      }
      out.flush();
      boolean enabled = Boolean.TRUE.equals(status.get("enabled"));
      boolean connected = Boolean.TRUE.equals(status.get("connected"));
      return !enabled || connected ? 0 : NOT_CONNECTED;
    }

    static void print(PrintWriter out, Map<String, Object> status) {
      if (!Boolean.TRUE.equals(status.get("enabled"))) {
        out.println("bridge: not enabled (bridge.enabled in the configuration)");
        return;
      }
      boolean connected = Boolean.TRUE.equals(status.get("connected"));
      out.println(
          "upstream:        "
              + status.get("upstream")
              + (connected
                  ? "  connected (MQTT " + status.get("protocol") + ") since " + status.get("connected_since")
                  : "  NOT CONNECTED"));
      out.println("backlog:         " + status.get("backlog") + " event(s) not yet acknowledged upstream"
          + " (" + status.get("in_flight") + " in flight)");
      Object age = status.get("oldest_unsent_age_seconds");
      out.println("oldest unsent:   " + (age == null ? "-" : age + " s old"));
      out.println("forwarded:       " + status.get("forwarded") + " event(s) since start, "
          + status.get("reconnects") + " connection(s)");
      out.println("last error:      " + orDash(status.get("last_error"))
          + (status.get("last_error_at") == null ? "" : "  (" + status.get("last_error_at") + ")"));
      if (Boolean.TRUE.equals(status.get("retention_at_risk"))) {
        out.println("WARNING:         journal retention is about to delete events not yet forwarded");
      }
      out.println("telemetry:       " + status.get("telemetry_forwarded") + " forwarded, "
          + status.get("telemetry_dropped") + " dropped");
      out.println("upstream acks:   " + status.get("acks_applied") + " applied, "
          + status.get("acks_rejected") + " ignored");
    }

    private static String orDash(@Nullable Object value) {
      return value == null ? "-" : value.toString();
    }
  }
}
