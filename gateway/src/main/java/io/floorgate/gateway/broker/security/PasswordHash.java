package io.floorgate.gateway.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A salted password hash as {@code mosquitto_passwd} writes it: {@code $6$SALT$HASH} (SHA-512 of
 * password then salt) or {@code $7$ITERATIONS$SALT$HASH} (PBKDF2-HMAC-SHA512, 64-byte key), salt
 * and hash in standard Base64. Verification compares in constant time. Immutable and thread-safe.
 */
public sealed interface PasswordHash permits PasswordHash.Sha512, PasswordHash.Pbkdf2 {
  /** Iterations {@code floorgate passwd} uses unless told otherwise. */
  int DEFAULT_ITERATIONS = 10_000;
  /** Mosquitto's salt length. */
  int SALT_BYTES = 12;
  /** Upper bound accepted when reading a file: more would let one login burn seconds of CPU. */
  int MAX_ITERATIONS = 1_000_000;

  /** True when {@code password} (the raw bytes the client sent) is the one hashed. */
  boolean verify(byte[] password);

  /** The hash as it appears after {@code user:} in the file. */
  String encode();

  /** {@code $6$}: SHA-512 over password then salt (mosquitto_passwd -H sha512). */
  record Sha512(byte[] salt, byte[] hash) implements PasswordHash {
    public Sha512 {
      salt = salt.clone();
      hash = hash.clone();
      if (hash.length != 64) {
        throw new IllegalArgumentException("a $6$ hash must be 64 bytes, but was " + hash.length);
      }
    }

    @Override
    public boolean verify(byte[] password) {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-512");
        digest.update(password);
        digest.update(salt);
        return MessageDigest.isEqual(digest.digest(), hash);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA-512 is not available: " + e.getMessage(), e);
      }
    }

    @Override
    public String encode() {
      Base64.Encoder b64 = Base64.getEncoder();
      return "$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Sha512 s && Arrays.equals(salt, s.salt) && Arrays.equals(hash, s.hash);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(salt) + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
      return "$6$(sha512)";
    }
  }

  /** {@code $7$}: PBKDF2-HMAC-SHA512 (mosquitto_passwd's default since Mosquitto 2.0). */
  record Pbkdf2(int iterations, byte[] salt, byte[] hash) implements PasswordHash {
    public Pbkdf2 {
      salt = salt.clone();
      hash = hash.clone();
      if (iterations < 1 || iterations > MAX_ITERATIONS) {
        throw new IllegalArgumentException(
            "iterations must be in [1, " + MAX_ITERATIONS + "], but was " + iterations);
      }
      if (hash.length != 64) {
        throw new IllegalArgumentException("a $7$ hash must be 64 bytes, but was " + hash.length);
      }
    }

    /** Hashes {@code password} with a fresh random salt. */
    public static Pbkdf2 create(byte[] password, int iterations, SecureRandom random) {
      byte[] salt = new byte[SALT_BYTES];
      random.nextBytes(salt);
      return new Pbkdf2(iterations, salt, pbkdf2(password, salt, iterations));
    }

    @Override
    public boolean verify(byte[] password) {
      return MessageDigest.isEqual(pbkdf2(password, salt, iterations), hash);
    }

    @Override
    public String encode() {
      Base64.Encoder b64 = Base64.getEncoder();
      return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Pbkdf2 p
          && iterations == p.iterations
          && Arrays.equals(salt, p.salt)
          && Arrays.equals(hash, p.hash);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * iterations + Arrays.hashCode(salt)) + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
      return "$7$(pbkdf2-sha512, " + iterations + " iterations)";
    }
  }

  /**
   * Parses the part after {@code user:}.
   *
   * @throws IllegalArgumentException saying what is wrong (never echoing the text: it may be a
   *     plain-text password)
   */
  static PasswordHash parse(String text) {
    if (!text.startsWith("$")) {
      throw new IllegalArgumentException(
          "the password is not hashed (plain text?); hash it with mosquitto_passwd -U FILE or"
              + " floorgate passwd FILE USER");
    }
    String[] parts = text.split("\\$", -1);
    // "$6$salt$hash" -> ["", "6", salt, hash]; "$7$it$salt$hash" -> ["", "7", it, salt, hash]
    Base64.Decoder b64 = Base64.getDecoder();
    try {
      if (parts[1].equals("6") && parts.length == 4) {
        return new Sha512(b64.decode(parts[2]), b64.decode(parts[3]));
      }
      if (parts[1].equals("7") && parts.length == 5) {
        int iterations;
        try {
          iterations = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "the iteration count of a $7$ hash must be a number, but was '"
                  + shorten(parts[2])
                  + "'");
        }
        return new Pbkdf2(iterations, b64.decode(parts[3]), b64.decode(parts[4]));
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Illegal base64")) {
        throw new IllegalArgumentException("the salt or hash is not valid Base64");
      }
      throw e;
    }
    throw new IllegalArgumentException(
        "unknown hash format '$"
            + shorten(parts[1])
            + "$...'; Floorgate reads $6$ (sha512) and $7$ (sha512-pbkdf2) as mosquitto_passwd"
            + " writes them");
  }

  private static String shorten(String s) {
    return s.length() <= 12 ? s : s.substring(0, 12) + "...";
  }

  /** PBKDF2-HMAC-SHA512 with a 64-byte output (one block), over raw password bytes. */
  static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      // HMAC pads its key with zeros, so an empty password is the same key as a single 0 byte;
      // SecretKeySpec refuses empty keys.
      byte[] key = password.length == 0 ? new byte[1] : password;
      mac.init(new SecretKeySpec(key, "HmacSHA512"));
      mac.update(salt);
      mac.update(new byte[] {0, 0, 0, 1});
      byte[] u = mac.doFinal();
      byte[] t = u.clone();
      for (int i = 1; i < iterations; i++) {
        u = mac.doFinal(u);
        for (int j = 0; j < t.length; j++) {
          t[j] ^= u[j];
        }
      }
      return t;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA512 is not available: " + e.getMessage(), e);
    }
  }

  /** The UTF-8 bytes of a password typed as text. */
  static byte[] utf8(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }
}
