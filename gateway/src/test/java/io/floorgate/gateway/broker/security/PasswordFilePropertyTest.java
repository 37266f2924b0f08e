package io.floorgate.gateway.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.floorgate.gateway.TextEdits;
import io.floorgate.rules.tree.Problem;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/**
 * Properties of the password-file reader (jqwik): any text gives a file or problems at a line of
 * it, never an exception, quickly, and never echoes a plain-text password; a file written for a
 * user and password accepts exactly that password.
 */
class PasswordFilePropertyTest {
  private static final Duration BOUND = Duration.ofSeconds(5);

  /** Two users as mosquitto_passwd writes them: one $7$ (PBKDF2), one $6$ (salted SHA-512). */
  private static final String VALID = validFile();

  private static String validFile() {
    Random random = new Random(7);
    byte[] salt = new byte[PasswordHash.SALT_BYTES];
    random.nextBytes(salt);
    byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
    return "# written by mosquitto_passwd\n"
        + "scada:"
        + PasswordHash.Pbkdf2.create(secret, 101, new SecureRandom()).encode()
        + "\npress-7:"
        + new PasswordHash.Sha512(salt, sha512(secret, salt)).encode()
        + "\n";
  }

  private static PasswordFile.Result parse(String text) {
    return assertTimeoutPreemptively(
        BOUND, () -> PasswordFile.parse(text, "passwd"), () -> "parsing took longer than " + BOUND);
  }

  private static void assertDocumentedOutcome(String text, PasswordFile.Result result) {
    assertThat(result.file().isPresent()).isEqualTo(result.problems().isEmpty());
    int lines = text.split("\n", -1).length;
    for (Problem problem : result.problems()) {
      assertThat(problem.location().file()).isEqualTo("passwd");
      assertThat(problem.location().line()).isBetween(1, lines);
      assertThat(problem.location().column()).isPositive();
      assertThat(problem.message()).isNotBlank();
    }
  }

  @Property(tries = 300)
  void anyText_givesAFileOrProblemsAtItsLines(@ForAll @StringLength(max = 300) String text) {
    assertDocumentedOutcome(text, parse(text));
  }

  @Property(tries = 500)
  void passwdLikeText_givesAFileOrProblemsAtItsLines(@ForAll("passwdTokens") String text) {
    assertDocumentedOutcome(text, parse(text));
  }

  @Property(tries = 500)
  void mutatedValidFile_givesAFileOrProblems(@ForAll("mutatedFiles") String text) {
    assertDocumentedOutcome(text, parse(text));
  }

  @Property(tries = 300)
  void plainTextPassword_isAProblemThatDoesNotEchoIt(
      @ForAll @AlphaChars @NumericChars @StringLength(min = 8, max = 30) String password) {
    PasswordFile.Result result = parse("dev-1:" + password + "\n");

    assertThat(result.problems()).hasSize(1);
    assertThat(result.problems().get(0).toString()).doesNotContain(password);
  }

  @Property(tries = 100)
  void writtenUserAndPassword_acceptsExactlyThatPassword(
      @ForAll("users") String user,
      @ForAll @StringLength(max = 40) String password,
      @ForAll boolean pbkdf2,
      @ForAll long seed) {
    byte[] secret = password.getBytes(StandardCharsets.UTF_8);
    Random random = new Random(seed);
    PasswordHash hash;
    if (pbkdf2) {
      hash = PasswordHash.Pbkdf2.create(secret, 1 + random.nextInt(50), new SecureRandom());
    } else {
      byte[] salt = new byte[PasswordHash.SALT_BYTES];
      random.nextBytes(salt);
      hash = new PasswordHash.Sha512(salt, sha512(secret, salt));
    }
    String text = PasswordFile.withUser(VALID, user, hash);

    PasswordFile file = parse(text).file().orElseThrow();

    assertThat(file.users()).containsEntry(user, hash);
    assertThat(file.check(user, secret)).isEqualTo(PasswordFile.Verdict.ACCEPTED);
    assertThat(file.check(user, (password + "x").getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(PasswordFile.Verdict.WRONG_PASSWORD);
    assertThat(file.check(user + "x", secret)).isEqualTo(PasswordFile.Verdict.UNKNOWN_USER);
  }

  private static byte[] sha512(byte[] password, byte[] salt) {
    try {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-512");
      digest.update(password);
      digest.update(salt);
      return digest.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- generators ----------------------------------------------------------------------------

  @Provide
  Arbitrary<String> passwdTokens() {
    return Arbitraries.of(
            "u", ":", "$", "6", "7", "101", "LMUz9zqh3hB/vNSD", "==", "=", "\n", "\r\n", "#", " ",
            "é", "\u0000", "AAAA", "$7$", "$6$", "-1", "999999999999", "0", "1000001", "-_",
            "A".repeat(86) + "==")
        .list()
        .ofMaxSize(40)
        .map(tokens -> String.join("", tokens));
  }

  @Provide
  Arbitrary<String> mutatedFiles() {
    return TextEdits.of(VALID, 6);
  }

  @Provide
  Arbitrary<String> users() {
    return Arbitraries.strings()
        .ofMinLength(1)
        .ofMaxLength(20)
        .filter(user -> PasswordFile.userError(user) == null)
        .filter(user -> !user.equals("scada") && !user.equals("press-7"));
  }
}
