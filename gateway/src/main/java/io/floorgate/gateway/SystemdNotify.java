package io.floorgate.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd that the gateway is ready ({@code Type=notify} in {@code
 * systemd/floorgate.service}). Outside systemd ({@code NOTIFY_SOCKET} unset) it does nothing.
 *
 * <p>The notification is a datagram on the unix socket named by {@code NOTIFY_SOCKET}; Java 17
 * has no unix datagram sockets without native code, so this runs {@code systemd-notify}. systemd
 * attributes a message to a unit through the sender's PID, and the sender here is a child of the
 * JVM, not the main process: the unit needs {@code NotifyAccess=all}, and the sender must still
 * be alive when systemd reads the message, or it is dropped as coming from an unknown process.
 * {@code systemd-notify} without {@code --no-block} (systemd 246 and later, so Debian 12's 252)
 * guarantees that: after the message it sends a barrier and waits until systemd has processed
 * both. This class waits for it, bounded.
 *
 * <p>Called on the starting thread only.
 */
final class SystemdNotify {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, String> environment;
  private final String command;
  private final Duration timeout;

  /**
   * @param environment where {@code NOTIFY_SOCKET} is looked up
   * @param command the {@code systemd-notify} executable
   * @param timeout how long to wait for it
   */
  SystemdNotify(Map<String, String> environment, String command, Duration timeout) {
    this.environment = Map.copyOf(environment);
    this.command = command;
    this.timeout = timeout;
  }

  /** For this process: its environment, {@code systemd-notify} from the PATH, 10 s. */
  static SystemdNotify fromEnvironment() {
    return new SystemdNotify(System.getenv(), "systemd-notify", TIMEOUT);
  }

  /** True when systemd waits for a notification from this process. */
  boolean expected() {
    String socket = environment.get("NOTIFY_SOCKET");
    return socket != null && !socket.isBlank();
  }

  /**
   * Sends {@code READY=1} with {@code status} ({@code systemctl status} shows it).
   *
   * @return true when systemd took it; false outside systemd (nothing is run) or when it failed,
   *     which is logged once at ERROR: systemd then stops the unit after TimeoutStartSec
   */
  boolean ready(String status) {
    return send(List.of("--ready", "--status=" + status));
  }

  private boolean send(List<String> arguments) {
    if (!expected()) {
      return false;
    }
    List<String> line = new ArrayList<>();
    line.add(command);
    line.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
    builder.environment().put("NOTIFY_SOCKET", environment.get("NOTIFY_SOCKET"));
    String what = String.join(" ", line);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        LOG.error(
            "{} did not finish within {} ms: systemd may not know that Floorgate is ready",
            what,
            timeout.toMillis());
        return false;
      }
      String output =
          new String(process.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        LOG.error(
            "{} exited with {}{}: systemd does not know that Floorgate is ready (the unit needs"
                + " NotifyAccess=all)",
            what,
            process.exitValue(),
            output.isEmpty() ? "" : " (" + output.replace('\n', ' ') + ")");
        return false;
      }
      LOG.debug("{}: done", what);
      return true;
    } catch (IOException e) {
      LOG.error(
          "cannot run {}: {}; systemd does not know that Floorgate is ready", command, e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("interrupted while running {}", what);
      return false;
    }
  }
}
