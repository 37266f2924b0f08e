package io.floorgate.gateway.admin;

import io.floorgate.gateway.broker.security.PasswordFile;
import io.floorgate.gateway.config.ConfigException;
import java.nio.CharBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Admin users from a password file in mosquitto_passwd format (the same format and tools as the
 * MQTT users: {@code floorgate passwd FILE USER} or {@code mosquitto_passwd}).
 */
public final class AdminCredentials {
  private AdminCredentials() {}

  /**
   * Reads {@code file}.
   *
   * @throws ConfigException listing every problem when the file is missing, unreadable or
   *     malformed: never a silent allow-all
   */
  public static Credentials load(Path file) {
    PasswordFile.Result result = PasswordFile.load(file);
    if (result.file().isEmpty()) {
      throw new ConfigException("admin.password_file " + file, result.problems());
    }
    PasswordFile users = result.file().get();
    return (user, password) -> {
      ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      try {
        return users.check(user, bytes) == PasswordFile.Verdict.ACCEPTED;
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    };
  }
}
