package io.floorgate.gateway.broker.security;

import io.floorgate.rules.tree.Location;
import io.floorgate.rules.tree.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A password file in {@code mosquitto_passwd} format: one {@code user:hash} per line, {@code #}
 * comments and blank lines ignored, hashes as {@link PasswordHash} describes. Plain-text
 * passwords, unknown hash formats, duplicate users and empty user names are problems; a file with
 * any problem yields no password file. Immutable and thread-safe.
 *
 * @param source where it was read from (for logs)
 * @param users every user and its hash, in file order
 */
public record PasswordFile(String source, Map<String, PasswordHash> users) {
  /** Checked for unknown users, so a login for a user that does not exist takes as long. */
  private static final PasswordHash DECOY =
      PasswordHash.Pbkdf2.create(new byte[] {1}, 101, new SecureRandom());

  public PasswordFile {
    users = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(users));
  }

  /** What reading a file gave: a password file exactly when there are no problems. */
  public record Result(Optional<PasswordFile> file, List<Problem> problems) {}

  /** How a login attempt ended. */
  public enum Verdict {
    ACCEPTED,
    UNKNOWN_USER,
    WRONG_PASSWORD
  }

  /** Reads {@code path}; an unreadable file is one problem naming it. */
  public static Result load(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Result(
          Optional.empty(),
          List.of(
              new Problem(
                  new Location(path.toString(), 1, 1),
                  null,
                  "cannot read the password file: " + describe(e))));
    }
    return parse(text, path.toString());
  }

  /** Parses {@code text}; {@code file} names it in problems. */
  public static Result parse(String text, String file) {
    List<Problem> problems = new ArrayList<>();
    Map<String, PasswordHash> users = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = stripEnd(lines[i]);
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        problems.add(
            new Problem(
                new Location(file, lineNo, 1),
                null,
                "a line must be user:hash, but has no ':' (line ignored)"));
        continue;
      }
      String user = line.substring(0, colon);
      if (user.isEmpty()) {
        problems.add(new Problem(new Location(file, lineNo, 1), null, "the user name is empty"));
        continue;
      }
      Integer seen = firstLine.putIfAbsent(user, lineNo);
      if (seen != null) {
        problems.add(
            new Problem(
                new Location(file, lineNo, 1),
                null,
                "user '" + user + "' appears twice (first at line " + seen + ")"));
        continue;
      }
      try {
        users.put(user, PasswordHash.parse(line.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        problems.add(
            new Problem(
                new Location(file, lineNo, colon + 2), "user '" + user + "'", e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      return new Result(Optional.empty(), List.copyOf(problems));
    }
    return new Result(Optional.of(new PasswordFile(file, users)), List.of());
  }

  /**
   * Checks a login. Takes about as long for an unknown user as for a wrong password, so the answer
   * time does not tell which users exist.
   */
  public Verdict check(String user, byte[] password) {
    PasswordHash hash = users.get(user);
    if (hash == null) {
      DECOY.verify(password);
      return Verdict.UNKNOWN_USER;
    }
    return hash.verify(password) ? Verdict.ACCEPTED : Verdict.WRONG_PASSWORD;
  }

  /**
   * {@code text} with {@code user}'s line set to {@code hash}: replaced where it is, else appended.
   * Every other line (comments included) is kept as it was.
   */
  public static String withUser(String text, String user, PasswordHash hash) {
    String entry = user + ":" + hash.encode();
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1); // the final newline
    }
    boolean replaced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = stripEnd(lines.get(i));
      if (!line.stripLeading().startsWith("#") && line.startsWith(user + ":")) {
        lines.set(i, entry);
        replaced = true;
      }
    }
    if (!replaced) {
      lines.add(entry);
    }
    return String.join("\n", lines) + "\n";
  }

  /** Why {@code user} cannot be a user name in a password file, or null when it can. */
  public static @org.jspecify.annotations.Nullable String userError(String user) {
    if (user.isEmpty()) {
      return "the user name must not be empty";
    }
    if (user.indexOf(':') >= 0 || user.indexOf('\n') >= 0 || user.indexOf('\r') >= 0) {
      return "the user name must not contain ':' or a line break, but was '" + user + "'";
    }
    if (user.startsWith("#")) {
      return "the user name must not start with '#' (the line would be a comment)";
    }
    if (!user.equals(user.strip())) {
      return "the user name must not start or end with white space, but was '" + user + "'";
    }
    return null;
  }

  private static String stripEnd(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }

  @Override
  public String toString() {
    return "PasswordFile[" + source + ", " + users.size() + " user(s)]";
  }
}
