package io.floorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.floorgate.gateway.broker.security.PasswordFile;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code floorgate passwd FILE USER}. */
class PasswdCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String stdin, String... args) {
    PasswdCommand command = new PasswdCommand();
    command.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    CommandLine line = new CommandLine(command);
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    return line.execute(args);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void newFile_getsA7Line_readableOnlyByItsOwner() throws Exception {
    Path file = dir.resolve("passwd");

    int code = run("s3cret\n", file.toString(), "press-7", "--password-stdin");

    assertThat(code).as(err.toString()).isZero();
    String text = Files.readString(file);
    assertThat(text).matches("press-7:\\$7\\$10000\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==\n");
    assertThat(text).doesNotContain("s3cret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    PasswordFile read = PasswordFile.load(file).file().orElseThrow();
    assertThat(read.check("press-7", utf8("s3cret"))).isEqualTo(PasswordFile.Verdict.ACCEPTED);
    assertThat(out.toString()).contains("password of user 'press-7' set in " + file);
  }

  @Test
  void existingUser_isChangedInPlace_otherLinesKept() throws Exception {
    Path file = dir.resolve("passwd");
    run("old\n", file.toString(), "a", "--password-stdin", "--iterations", "101");
    run("b-pw\n", file.toString(), "b", "--password-stdin", "--iterations", "101");
    String before = Files.readString(file);

    assertThat(run("new\n", file.toString(), "a", "--password-stdin", "--iterations", "101")).isZero();

    String after = Files.readString(file);
    assertThat(after.lines().toList()).hasSize(2);
    assertThat(after.lines().toList().get(1)).isEqualTo(before.lines().toList().get(1));
    PasswordFile read = PasswordFile.load(file).file().orElseThrow();
    assertThat(read.check("a", utf8("new"))).isEqualTo(PasswordFile.Verdict.ACCEPTED);
    assertThat(read.check("a", utf8("old"))).isEqualTo(PasswordFile.Verdict.WRONG_PASSWORD);
    assertThat(read.check("b", utf8("b-pw"))).isEqualTo(PasswordFile.Verdict.ACCEPTED);
  }

  @Test
  void badInput_isRefusedWithAReason_andTheFileUntouched() throws Exception {
    Path file = dir.resolve("passwd");
    Files.writeString(file, "x:plaintext\n");

    assertThat(run("pw\n", file.toString(), "a:b", "--password-stdin")).isEqualTo(2);
    assertThat(run("\n", dir.resolve("other").toString(), "a", "--password-stdin")).isEqualTo(1);
    assertThat(run("pw\n", file.toString(), "a", "--password-stdin")).isEqualTo(1);
    assertThat(run("pw\n", dir.resolve("x").toString(), "a", "--password-stdin", "--iterations", "0"))
        .isEqualTo(2);

    assertThat(err.toString())
        .contains("must not contain ':'")
        .contains("the password must not be empty")
        .contains("has problems; fix them first")
        .contains("--iterations must be in [1, 1000000], but was 0");
    assertThat(Files.readString(file)).isEqualTo("x:plaintext\n");
    assertThat(dir.resolve("other")).doesNotExist();
  }

  @Test
  void withoutAConsoleOrStdinOption_itSaysHowToPassThePassword() {
    assertThat(run("", dir.resolve("p").toString(), "a")).isEqualTo(1);
    assertThat(err.toString()).contains("use --password-stdin");
  }

  /**
   * The strongest check that Mosquitto reads what we write: a real Mosquitto broker (Debian's
   * package), on a Unix socket in the temporary directory, logs a client in with our line.
   */
  @Test
  void mosquittoItself_acceptsTheLineWeWrite() throws Exception {
    Path mosquitto = Path.of("/usr/sbin/mosquitto");
    assumeThat(Files.isExecutable(mosquitto)).as("needs Debian's mosquitto package (.ci/run installs it)").isTrue();
    Path passwd = dir.resolve("passwd");
    assertThat(run("from-floorgate\n", passwd.toString(), "dev", "--password-stdin")).isZero();
    Path socket = dir.resolve("mqtt.sock");
    Path conf = dir.resolve("mosquitto.conf");
    // Run as root, mosquitto would switch to user "mosquitto", which cannot reach our temporary
    // directory: keep it as whoever runs the test.
    Files.writeString(
        conf,
        "user %s\nlistener 0 %s\nallow_anonymous false\npassword_file %s\n"
            .formatted(System.getProperty("user.name"), socket, passwd));
    Process broker = new ProcessBuilder(mosquitto.toString(), "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Files.exists(socket));
      assertThat(connack(socket, "dev", "from-floorgate")).as(Files.readString(dir.resolve("mosquitto.log"))).isEqualTo(0);
      assertThat(connack(socket, "dev", "wrong")).isNotEqualTo(0);
    } finally {
      broker.destroy();
      broker.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** An MQTT 3.1.1 CONNECT with user name and password. */
  private static byte[] connect(String clientId, String user, String password) {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (Object part : new Object[] {"MQTT", 4, 0xC2, 0, 60, clientId, user, password}) {
      if (part instanceof String text) {
        byte[] bytes = utf8(text);
        body.write(bytes.length >> 8);
        body.write(bytes.length & 0xFF);
        body.writeBytes(bytes);
      } else {
        body.write((Integer) part);
      }
    }
    byte[] b = body.toByteArray();
    byte[] frame = new byte[b.length + 2];
    frame[0] = 0x10;
    frame[1] = (byte) b.length; // < 128 here
    System.arraycopy(b, 0, frame, 2, b.length);
    return frame;
  }

  /** The CONNACK return code Mosquitto answers a CONNECT with these credentials. */
  private static int connack(Path socket, String user, String password) throws Exception {
    try (java.nio.channels.SocketChannel ch =
        java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
      byte[] connect = connect("check-" + password, user, password);
      ch.write(ByteBuffer.wrap(connect));
      ByteBuffer ack = ByteBuffer.allocate(4);
      while (ack.hasRemaining() && ch.read(ack) >= 0) {
        // read the 4-byte CONNACK
      }
      assertThat(ack.position()).isEqualTo(4);
      return ack.get(3);
    }
  }
}
