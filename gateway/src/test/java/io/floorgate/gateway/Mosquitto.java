package io.floorgate.gateway;

import static org.awaitility.Awaitility.await;

import io.floorgate.gateway.broker.security.PasswordFile;
import io.floorgate.gateway.broker.security.PasswordHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Debian's Mosquitto (/usr/sbin/mosquitto) as the upstream broker of the bridge tests: a real
 * second broker that is not Moquette, on 127.0.0.1, with its configuration, password file and
 * persistence in a temporary directory.
 *
 * <p>The port: Mosquitto cannot bind port 0 and has no way to report a port the kernel chose. So
 * instead of probing for a free port and closing it again (another process may take it in between)
 * Mosquitto itself binds a random port below the kernel's ephemeral range (32768-60999 on Linux,
 * so outgoing connections never occupy it), and when that port is taken it exits with "Address
 * already in use" and the next random port is tried. A restart ({@link #stop} then {@link #start})
 * binds the same port again: clients keep their configuration, as a bridge's would.
 */
final class Mosquitto implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/mosquitto");
  private static final int LOWEST_PORT = 20_000;
  private static final int PORTS = 12_000;

  private final Path dir;
  private final boolean authenticated;
  private final boolean acl;
  private boolean tcpNoDelay;
  private @Nullable Tls tls;
  private int port;
  private int tlsPort = -1;
  private Process process;
  private final List<String> log = new CopyOnWriteArrayList<>();

  private Mosquitto(Path dir, boolean authenticated, boolean acl) {
    this.dir = dir;
    this.authenticated = authenticated;
    this.acl = acl;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Anonymous access. */
  static Mosquitto start(Path dir) {
    return start(dir, List.of());
  }

  /**
   * Anonymous access, with Mosquitto's {@code set_tcp_nodelay} as given (Mosquitto's default is
   * false: Nagle's algorithm on, so its small PUBACKs can wait for the peer's delayed ACK).
   */
  static Mosquitto start(Path dir, boolean tcpNoDelay) {
    Mosquitto mosquitto = new Mosquitto(dir, false, false);
    mosquitto.tcpNoDelay = tcpNoDelay;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int attempt = 0; attempt < 20; attempt++) {
      mosquitto.port = LOWEST_PORT + ThreadLocalRandom.current().nextInt(PORTS);
      if (mosquitto.launch()) {
        return mosquitto;
      }
    }
    throw new IllegalStateException("mosquitto found no free port in 20 tries: " + mosquitto.log);
  }

  /**
   * With a password file holding {@code users} (each "user:password"), anonymous clients refused;
   * without users anonymous access.
   */
  static Mosquitto start(Path dir, List<String> users) {
    return start(dir, users, null);
  }

  /**
   * As {@link #start(Path, List)}, with Mosquitto's {@code acl_file} holding {@code aclText} when
   * it is not null (then only what it allows is allowed).
   */
  static Mosquitto start(Path dir, List<String> users, String aclText) {
    try {
      Files.createDirectories(dir);
      if (!users.isEmpty()) {
        String text = "";
        for (String user : users) {
          int colon = user.indexOf(':');
          text =
              PasswordFile.withUser(
                  text,
                  user.substring(0, colon),
                  PasswordHash.Pbkdf2.create(
                      user.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
                      1000,
                      new SecureRandom()));
        }
        Files.writeString(dir.resolve("passwd"), text);
      }
      if (aclText != null) {
        Files.writeString(dir.resolve("acl"), aclText);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Mosquitto mosquitto = new Mosquitto(dir, !users.isEmpty(), aclText != null);
    for (int attempt = 0; attempt < 20; attempt++) {
      mosquitto.port = LOWEST_PORT + ThreadLocalRandom.current().nextInt(PORTS);
      if (mosquitto.launch()) {
        return mosquitto;
      }
    }
    throw new IllegalStateException("mosquitto found no free port in 20 tries: " + mosquitto.log);
  }

  /**
   * A second listener with TLS: the server's PEM certificate and key, the CA whose client
   * certificates it accepts, and whether it demands one.
   */
  record Tls(Path caFile, Path certFile, Path keyFile, boolean requireCertificate) {}

  /**
   * As {@link #start(Path)} (anonymous, a plain listener for the plant-side consumer), plus a TLS
   * listener on {@link #tlsPort()}.
   */
  static Mosquitto startWithTls(Path dir, Tls tls) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Mosquitto mosquitto = new Mosquitto(dir, false, false);
    mosquitto.tls = tls;
    for (int attempt = 0; attempt < 20; attempt++) {
      mosquitto.port = LOWEST_PORT + ThreadLocalRandom.current().nextInt(PORTS);
      do {
        mosquitto.tlsPort = LOWEST_PORT + ThreadLocalRandom.current().nextInt(PORTS);
      } while (mosquitto.tlsPort == mosquitto.port);
      if (mosquitto.launch()) {
        return mosquitto;
      }
    }
    throw new IllegalStateException("mosquitto found no free ports in 20 tries: " + mosquitto.log);
  }

  int port() {
    return port;
  }

  /** The TLS listener's port; -1 without one. */
  int tlsPort() {
    return tlsPort;
  }

  List<String> log() {
    return List.copyOf(log);
  }

  /** Starts it again on the same port, with the sessions it saved when it stopped. */
  void start() {
    if (!launch()) {
      throw new IllegalStateException(
          "mosquitto could not bind port " + port + " again: " + log.subList(Math.max(0, log.size() - 5), log.size()));
    }
  }

  /**
   * Replaces the ACL file and makes the running Mosquitto read it again (SIGHUP); returns once it
   * says it reloaded.
   */
  void reloadAcl(String aclText) {
    if (!acl) {
      throw new IllegalStateException("started without an acl_file");
    }
    int from = log.size();
    try {
      Files.writeString(dir.resolve("acl"), aclText);
      Process kill =
          new ProcessBuilder("kill", "-HUP", Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -HUP " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> log.subList(from, log.size()).stream().anyMatch(l -> l.contains("Reloading config")));
  }

  /** SIGTERM: it saves its sessions and stops; waits until it has. */
  void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** True once it listens; false when the port was taken. */
  private boolean launch() {
    Path config = dir.resolve("mosquitto.conf");
    String text =
        "listener "
            + port
            + " 127.0.0.1\n"
            + (authenticated
                ? "allow_anonymous false\npassword_file " + dir.resolve("passwd") + "\n"
                : "allow_anonymous true\n")
            + (acl ? "acl_file " + dir.resolve("acl") + "\n" : "")
            + "persistence true\n"
            + "persistence_location "
            + dir
            + "/\n"
            + "autosave_interval 0\n"
            + "max_queued_messages 0\n"
            + "max_inflight_messages 100\n"
            + (tcpNoDelay ? "set_tcp_nodelay true\n" : "")
            + "log_dest stderr\n"
            + "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
            + "connection_messages true\n"
            // Run as whoever runs the tests (as root it would switch to user mosquitto, who cannot
            // read the temporary directory).
            + "user "
            + System.getProperty("user.name")
            + "\n"
            + (tls == null
                ? ""
                : "listener "
                    + tlsPort
                    + " 127.0.0.1\n"
                    + "cafile "
                    + tls.caFile()
                    + "\ncertfile "
                    + tls.certFile()
                    + "\nkeyfile "
                    + tls.keyFile()
                    + "\nrequire_certificate "
                    + tls.requireCertificate()
                    + "\n");
    try {
      Files.writeString(config, text);
      process =
          new ProcessBuilder(BINARY.toString(), "-c", config.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process running = process;
    int from = log.size();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  log.add(line);
                }
              } catch (IOException ignored) {
                // it stopped
              }
            },
            "mosquitto-output");
    reader.setDaemon(true);
    reader.start();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                !running.isAlive()
                    || log.subList(from, log.size()).stream().anyMatch(l -> l.contains(" running")));
    if (running.isAlive()) {
      return true;
    }
    boolean taken =
        log.subList(from, log.size()).stream().anyMatch(l -> l.contains("Address already in use"));
    if (!taken) {
      throw new IllegalStateException("mosquitto did not start: " + log.subList(from, log.size()));
    }
    return false;
  }

  @Override
  public void close() {
    stop();
  }
}
