package io.floorgate.gateway.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.rules.tree.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mosquitto_passwd format: reading, verifying, writing. */
class PasswordFileTest {
  /** Written by Debian's mosquitto_passwd 2.0.11 (default $7$ and -H sha512). */
  private static final String MOSQUITTO_WRITTEN =
      """
      # written by mosquitto_passwd
      dev1:$7$101$LMUz9zqh3hB/vNSD$WWW2YWWK54oS7B4Ls9fWIQ0y2Wj4MEqPih7Dd2Q74T8aIdYqxztnJchZP0tDtHh5VJNc3gjKMe0QsFjKSGj28w==
      dev2:$6$uiy/0BfRCfieIde7$F5QUQJLKwwuhGi7lJA8RXk/RMwIdK5GT6N33mwf9USYD7JzKsbDec9TkLzPOn2UJpmiI+UmD/moqD8ZmDAAp1w==
      """;

  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void linesWrittenByMosquittoPasswd_verifyTheirPasswords_andNothingElse() {
    PasswordFile file = PasswordFile.parse(MOSQUITTO_WRITTEN, "passwd").file().orElseThrow();

    assertThat(file.users()).containsOnlyKeys("dev1", "dev2");
    assertThat(file.check("dev1", utf8("secret1"))).isEqualTo(PasswordFile.Verdict.ACCEPTED);
    assertThat(file.check("dev2", utf8("secret2"))).isEqualTo(PasswordFile.Verdict.ACCEPTED);
    assertThat(file.check("dev1", utf8("secret2"))).isEqualTo(PasswordFile.Verdict.WRONG_PASSWORD);
    assertThat(file.check("dev1", utf8(""))).isEqualTo(PasswordFile.Verdict.WRONG_PASSWORD);
    assertThat(file.check("dev3", utf8("secret1"))).isEqualTo(PasswordFile.Verdict.UNKNOWN_USER);
    assertThat(file.users().get("dev1")).isInstanceOf(PasswordHash.Pbkdf2.class);
    assertThat(file.users().get("dev2")).isInstanceOf(PasswordHash.Sha512.class);
  }

  @Test
  void ourPbkdf2_equalsTheJdksForTextPasswords_atSeededRandomInputs() throws Exception {
    Random random = new Random(7);
    SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
    for (int i = 0; i < 50; i++) {
      String password = randomText(random, 1 + random.nextInt(30));
      byte[] salt = new byte[12];
      random.nextBytes(salt);
      int iterations = 1 + random.nextInt(300);
      byte[] expected =
          jdk.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 512))
              .getEncoded();

      assertThat(PasswordHash.pbkdf2(utf8(password), salt, iterations)).as(password).isEqualTo(expected);
    }
  }

  @Test
  void createdHash_looksLikeMosquittoPasswds_andRoundTrips() {
    PasswordHash.Pbkdf2 hash = PasswordHash.Pbkdf2.create(utf8("pässwörd"), 10_000, new SecureRandom());

    String encoded = hash.encode();
    assertThat(encoded).matches("\\$7\\$10000\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==");
    PasswordHash read = PasswordHash.parse(encoded);
    assertThat(read).isEqualTo(hash);
    assertThat(read.verify(utf8("pässwörd"))).isTrue();
    assertThat(read.verify(utf8("passwörd"))).isFalse();
    assertThat(hash.toString()).doesNotContain(encoded.substring(10));
  }

  @Test
  void emptyPassword_canBeHashedAndChecked() {
    PasswordHash hash = PasswordHash.Pbkdf2.create(new byte[0], 101, new SecureRandom());

    assertThat(hash.verify(new byte[0])).isTrue();
    assertThat(hash.verify(utf8("x"))).isFalse();
    // HMAC pads keys with zero bytes, so "" and "\0" are the same PBKDF2 key (in Mosquitto too,
    // which cannot even pass a NUL); the JDK agrees:
    assertThat(PasswordHash.pbkdf2(new byte[] {0}, new byte[12], 5))
        .isEqualTo(PasswordHash.pbkdf2(new byte[0], new byte[12], 5));
  }

  @Test
  void everyProblem_isReportedWithItsLine_andNoFileResults() {
    String text =
        """
        ok:$7$101$LMUz9zqh3hB/vNSD$WWW2YWWK54oS7B4Ls9fWIQ0y2Wj4MEqPih7Dd2Q74T8aIdYqxztnJchZP0tDtHh5VJNc3gjKMe0QsFjKSGj28w==
        plain:hunter2
        nocolon
        :$6$x$y
        weird:$5$abc$def
        bad64:$6$!!!!$????
        short:$6$uiy/0BfRCfieIde7$AAAA
        iter:$7$many$LMUz9zqh3hB/vNSD$AAAA
        ok:$6$uiy/0BfRCfieIde7$F5QUQJLKwwuhGi7lJA8RXk/RMwIdK5GT6N33mwf9USYD7JzKsbDec9TkLzPOn2UJpmiI+UmD/moqD8ZmDAAp1w==
        """;

    PasswordFile.Result result = PasswordFile.parse(text, "users.txt");

    assertThat(result.file()).isEmpty();
    assertThat(result.problems().stream().map(Problem::toString))
        .containsExactly(
            "users.txt:2:7: user 'plain': the password is not hashed (plain text?); hash it with"
                + " mosquitto_passwd -U FILE or floorgate passwd FILE USER",
            "users.txt:3:1: a line must be user:hash, but has no ':' (line ignored)",
            "users.txt:4:1: the user name is empty",
            "users.txt:5:7: user 'weird': unknown hash format '$5$...'; Floorgate reads $6$"
                + " (sha512) and $7$ (sha512-pbkdf2) as mosquitto_passwd writes them",
            "users.txt:6:7: user 'bad64': the salt or hash is not valid Base64",
            "users.txt:7:7: user 'short': a $6$ hash must be 64 bytes, but was 3",
            "users.txt:8:6: user 'iter': the iteration count of a $7$ hash must be a number, but"
                + " was 'many'",
            "users.txt:9:1: user 'ok' appears twice (first at line 1)");
    assertThat(result.problems().toString()).doesNotContain("hunter2");
  }

  @Test
  void missingFile_isOneProblemNamingIt() {
    Path missing = dir.resolve("nope.passwd");

    PasswordFile.Result result = PasswordFile.load(missing);

    assertThat(result.file()).isEmpty();
    assertThat(result.problems()).singleElement().satisfies(p -> {
      assertThat(p.location().file()).isEqualTo(missing.toString());
      assertThat(p.message()).startsWith("cannot read the password file: NoSuchFileException");
    });
  }

  @Test
  void withUser_replacesTheUsersLineInPlace_orAppends_keepingEverythingElse() throws Exception {
    PasswordHash hash = PasswordHash.Pbkdf2.create(utf8("x"), 101, new SecureRandom());
    String text = "# team\nalice:$6$a$b\r\nbob:$6$c$d\n";

    assertThat(PasswordFile.withUser(text, "bob", hash))
        .isEqualTo("# team\nalice:$6$a$b\r\nbob:" + hash.encode() + "\n");
    assertThat(PasswordFile.withUser(text, "carol", hash))
        .isEqualTo(text + "carol:" + hash.encode() + "\n");
    assertThat(PasswordFile.withUser("", "carol", hash)).isEqualTo("carol:" + hash.encode() + "\n");
    Files.writeString(dir.resolve("p"), PasswordFile.withUser("", "carol", hash));
    assertThat(PasswordFile.load(dir.resolve("p")).file().orElseThrow().check("carol", utf8("x")))
        .isEqualTo(PasswordFile.Verdict.ACCEPTED);
  }

  @Test
  void userNamesThatCannotBeWritten_areRefusedWithTheReason() {
    assertThat(PasswordFile.userError("dev-1")).isNull();
    assertThat(PasswordFile.userError("")).contains("must not be empty");
    assertThat(PasswordFile.userError("a:b")).contains("':'").contains("'a:b'");
    assertThat(PasswordFile.userError("#x")).contains("comment");
    assertThat(PasswordFile.userError(" x")).contains("white space");
  }

  /** Property: any text, however broken, parses to a file or to problems; it never throws. */
  @Test
  void arbitraryText_neverThrows_andYieldsAFileExactlyWhenThereAreNoProblems() {
    Random random = new Random(42);
    String[] pieces = {
      "u", ":", "$", "6", "7", "101", "$", "LMUz9zqh3hB/vNSD", "==", "\n", "\r\n", "#", " ", "é",
      "\u0000", "AAAA", "$7$", "$6$", "-1", "999999999999"
    };
    for (int i = 0; i < 5_000; i++) {
      StringBuilder text = new StringBuilder();
      int n = random.nextInt(40);
      for (int j = 0; j < n; j++) {
        text.append(
            random.nextInt(5) == 0 ? randomText(random, 3) : pieces[random.nextInt(pieces.length)]);
      }
      PasswordFile.Result result = PasswordFile.parse(text.toString(), "f");
      assertThat(result.file().isPresent()).as(text.toString()).isEqualTo(result.problems().isEmpty());
    }
  }

  static String randomText(Random random, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.appendCodePoint(
          switch (random.nextInt(4)) {
            case 0 -> 'a' + random.nextInt(26);
            case 1 -> 0x20 + random.nextInt(0x5f);
            case 2 -> 0xa0 + random.nextInt(0x500);
            default -> random.nextInt(0x10000) < 0xd800 ? random.nextInt(0xd800) : 0x1f600;
          });
    }
    return out.toString();
  }
}
