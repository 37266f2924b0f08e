package io.floorgate.gateway.cli;

import io.floorgate.gateway.broker.security.PasswordFile;
import io.floorgate.gateway.broker.security.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code floorgate passwd FILE USER}: adds a user to a password file, or changes its password,
 * writing a {@code $7$} (PBKDF2-SHA512) line that {@code mosquitto_passwd} and Mosquitto also read.
 * Every other line is kept. The password comes from the console (asked twice) or, with {@code
 * --password-stdin}, from the first line of standard input; it never appears on the command line.
 */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    description = {
      "Add a user to a password file (mosquitto_passwd format) or change its password.",
      "The file is created if missing (mode 600) and replaced atomically."
    })
final class PasswdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The password file.")
  Path file;

  @Parameters(index = "1", paramLabel = "USER", description = "The user name.")
  String user;

  @Option(
      names = "--password-stdin",
      description = "Read the password from the first line of standard input (for scripts).")
  boolean passwordStdin;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
      description = "PBKDF2 iterations (default ${DEFAULT-VALUE}; mosquitto_passwd uses 101).")
  int iterations;

  /** Where --password-stdin reads from (tests replace it). */
  InputStream stdin = System.in;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    String userError = PasswordFile.userError(user);
    if (userError != null) {
      err.println("floorgate passwd: " + userError);
      return 2;
    }
    if (iterations < 1 || iterations > PasswordHash.MAX_ITERATIONS) {
      err.println(
          "floorgate passwd: --iterations must be in [1, "
              + PasswordHash.MAX_ITERATIONS
              + "], but was "
              + iterations);
      return 2;
    }
    String existing = "";
    if (Files.exists(file)) {
      existing = Files.readString(file, StandardCharsets.UTF_8);
      PasswordFile.Result check = PasswordFile.parse(existing, file.toString());
      if (!check.problems().isEmpty()) {
        err.println("floorgate passwd: " + file + " has problems; fix them first:");
        check.problems().forEach(p -> err.println("  " + p));
        return 1;
      }
    }
    char[] password = readPassword(err);
    if (password == null) {
      return 1;
    }
    byte[] bytes = new String(password).getBytes(StandardCharsets.UTF_8);
    Arrays.fill(password, '\0');
    PasswordHash hash = PasswordHash.Pbkdf2.create(bytes, iterations, new SecureRandom());
    Arrays.fill(bytes, (byte) 0);
    write(PasswordFile.withUser(existing, user, hash));
    spec.commandLine().getOut().println("password of user '" + user + "' set in " + file);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private char @Nullable [] readPassword(PrintWriter err) throws IOException {
    char[] password;
    if (passwordStdin) {
      BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
      String line = in.readLine();
      password = line == null ? null : line.toCharArray();
    } else {
      Console console = System.console();
      if (console == null) {
        err.println("floorgate passwd: no console to ask for the password; use --password-stdin");
        return null;
      }
      password = console.readPassword("Password for %s: ", user);
      char[] again = console.readPassword("Reenter password: ");
      if (password == null || again == null || !Arrays.equals(password, again)) {
        err.println("floorgate passwd: the passwords do not match");
        return null;
      }
      Arrays.fill(again, '\0');
    }
    if (password == null || password.length == 0) {
      err.println("floorgate passwd: the password must not be empty");
      return null;
    }
    return password;
  }

  /** Writes beside the file, then renames over it: a crash leaves the old or the new file. */
  private void write(String text) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // the file system has no POSIX modes; nothing to tighten
      }
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
