package io.floorgate.gateway.broker.security;

import static io.floorgate.gateway.broker.security.Acl.Access.SUBSCRIBE;
import static io.floorgate.gateway.broker.security.Acl.Access.WRITE;
import static io.floorgate.gateway.broker.security.Acl.Verdict.ALLOWED;
import static io.floorgate.gateway.broker.security.Acl.Verdict.DENIED;
import static io.floorgate.gateway.broker.security.Acl.Verdict.NOT_GRANTED;
import static io.floorgate.gateway.broker.security.Acl.Verdict.UNSAFE_IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.rules.tree.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mosquitto's acl_file format, as Floorgate reads and applies it. */
class AclTest {
  /** The role layout shipped in config/examples/acl. */
  private static final String ROLES =
      """
      # anonymous clients (before any user line): read the alerts only
      topic read alerts/#

      user scada
      topic read alerts/#
      topic read alarms/#
      topic write alerts/ack

      user admin
      topic readwrite #

      user line1-admin
      topic plant/line1/#
      topic deny plant/line1/safety/#

      # every device writes under its own prefix, named by its user name
      pattern write plant/%u/#
      pattern read config/%c
      """;

  private static Acl acl(String text) {
    Acl.Result result = Acl.parse(text, "acl");
    assertThat(result.problems()).isEmpty();
    return result.acl().orElseThrow();
  }

  @Test
  void devices_writeOnlyUnderTheirOwnPrefix() {
    Acl acl = acl(ROLES);

    assertThat(acl.check(WRITE, "plant/press-7/temperature", "press-7", "c1")).isEqualTo(ALLOWED);
    assertThat(acl.check(WRITE, "plant/press-7", "press-7", "c1")).isEqualTo(ALLOWED);
    assertThat(acl.check(WRITE, "plant/press-8/temperature", "press-7", "c1")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(WRITE, "alerts/critical/threshold", "press-7", "c1")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(WRITE, "alerts/ack", "press-7", "c1")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(SUBSCRIBE, "#", "press-7", "c1")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(SUBSCRIBE, "plant/press-7/#", "press-7", "c1")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(SUBSCRIBE, "config/c1", "press-7", "c1")).isEqualTo(ALLOWED);
    assertThat(acl.check(SUBSCRIBE, "config/c2", "press-7", "c1")).isEqualTo(NOT_GRANTED);
  }

  @Test
  void scada_readsAlertsAndAlarms_andWritesOnlyTheAck() {
    Acl acl = acl(ROLES);

    assertThat(acl.check(SUBSCRIBE, "alerts/#", "scada", "s")).isEqualTo(ALLOWED);
    assertThat(acl.check(SUBSCRIBE, "alerts/critical/#", "scada", "s")).isEqualTo(ALLOWED);
    assertThat(acl.check(SUBSCRIBE, "alarms/+/plant/#", "scada", "s")).isEqualTo(ALLOWED);
    assertThat(acl.check(WRITE, "alerts/ack", "scada", "s")).isEqualTo(ALLOWED);
    assertThat(acl.check(WRITE, "alerts/critical/threshold", "scada", "s")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(SUBSCRIBE, "#", "scada", "s")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(SUBSCRIBE, "+/critical/#", "scada", "s")).isEqualTo(NOT_GRANTED);
    // The device pattern applies to every user: scada may write under plant/scada/.
    assertThat(acl.check(WRITE, "plant/scada/x", "scada", "s")).isEqualTo(ALLOWED);
  }

  @Test
  void admin_mayDoEverything() {
    Acl acl = acl(ROLES);

    assertThat(acl.check(SUBSCRIBE, "#", "admin", "a")).isEqualTo(ALLOWED);
    assertThat(acl.check(WRITE, "alerts/critical/x", "admin", "a")).isEqualTo(ALLOWED);
    assertThat(acl.check(WRITE, "any/thing", "admin", "a")).isEqualTo(ALLOWED);
  }

  @Test
  void denyLines_winOverBroaderGrants_forPublishAndForAnySubscriptionThatCouldReachThem() {
    Acl acl = acl(ROLES);

    assertThat(acl.check(WRITE, "plant/line1/press/t", "line1-admin", "x")).isEqualTo(ALLOWED);
    assertThat(acl.check(WRITE, "plant/line1/safety/door", "line1-admin", "x")).isEqualTo(DENIED);
    assertThat(acl.check(SUBSCRIBE, "plant/line1/press/#", "line1-admin", "x")).isEqualTo(ALLOWED);
    assertThat(acl.check(SUBSCRIBE, "plant/line1/#", "line1-admin", "x")).isEqualTo(DENIED);
    assertThat(acl.check(SUBSCRIBE, "plant/line1/+/door", "line1-admin", "x")).isEqualTo(DENIED);
  }

  @Test
  void anonymousClients_getTheLinesBeforeTheFirstUser_andNoUserPatterns() {
    Acl acl = acl(ROLES);

    for (String anonymous : new String[] {null, ""}) {
      assertThat(acl.check(SUBSCRIBE, "alerts/#", anonymous, "c")).isEqualTo(ALLOWED);
      assertThat(acl.check(SUBSCRIBE, "alarms/#", anonymous, "c")).isEqualTo(NOT_GRANTED);
      assertThat(acl.check(WRITE, "plant/c/x", anonymous, "c")).isEqualTo(NOT_GRANTED);
      assertThat(acl.check(SUBSCRIBE, "config/c", anonymous, "c")).isEqualTo(ALLOWED);
    }
    // A user the file does not name gets only the patterns.
    assertThat(acl.check(SUBSCRIBE, "alerts/#", "stranger", "c")).isEqualTo(NOT_GRANTED);
  }

  @Test
  void identitiesWithTopicSyntax_getNothingWherePatternsSubstituteThem() {
    Acl acl = acl(ROLES);

    assertThat(acl.check(WRITE, "plant/a/b/x", "a/b", "c")).isEqualTo(UNSAFE_IDENTITY);
    assertThat(acl.check(WRITE, "plant/+/x", "+", "c")).isEqualTo(UNSAFE_IDENTITY);
    assertThat(acl.check(SUBSCRIBE, "config/#", "admin", "#")).isEqualTo(UNSAFE_IDENTITY);
    // Without patterns nothing is substituted, so such ids are harmless.
    assertThat(acl("user u\ntopic a/#\n").check(WRITE, "a/b", "u", "x/y")).isEqualTo(ALLOWED);
  }

  @Test
  void topicWithoutAccessWord_isReadwrite_andMayContainSpaces() {
    Acl acl = acl("user u\ntopic my topic/with space\ntopic write/x\n");

    assertThat(acl.check(WRITE, "my topic/with space", "u", "c")).isEqualTo(ALLOWED);
    assertThat(acl.check(SUBSCRIBE, "my topic/with space", "u", "c")).isEqualTo(ALLOWED);
    // "write/x" has no access word: the whole rest is the topic (as in Mosquitto).
    assertThat(acl.check(SUBSCRIBE, "write/x", "u", "c")).isEqualTo(ALLOWED);
  }

  @Test
  void dollarTopics_areNotReachedByLeadingWildcards() {
    Acl acl = acl("user u\ntopic #\ntopic read $SYS/broker/#\n");

    assertThat(acl.check(WRITE, "$SYS/x", "u", "c")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(SUBSCRIBE, "$SYS/broker/load", "u", "c")).isEqualTo(ALLOWED);
  }

  @Test
  void everyProblem_isReportedWithItsLineAndColumn() {
    String text =
        """
        user
        topic read
        topic read a/#/b
          pattern write plant/dev%c/#
        topic write plant/%c
        subscribe a/b
        pattern deny
        """;

    Acl.Result result = Acl.parse(text, "acl.conf");

    assertThat(result.acl()).isEmpty();
    assertThat(result.problems().stream().map(Problem::toString))
        .containsExactly(
            "acl.conf:1:1: 'user' needs a user name",
            "acl.conf:3:1: topic 'a/#/b': '#' must be the whole last level of a topic filter, but"
                + " the filter is 'a/#/b'",
            "acl.conf:4:3: %c or %u must be a whole topic level, but the filter is"
                + " 'plant/dev%c/#'",
            "acl.conf:5:1: %c and %u are substituted only in 'pattern' lines, but this is a"
                + " 'topic' line: 'plant/%c'",
            "acl.conf:6:1: unknown keyword 'subscribe'; a line is 'user NAME', 'topic"
                + " [read|write|readwrite|deny] FILTER' or 'pattern [read|write|readwrite|deny]"
                + " FILTER'");
  }

  @Test
  void shippedExampleAcl_parses() throws Exception {
    Path shipped = findUp(Path.of("config/examples/acl"));

    Acl.Result result = Acl.load(shipped);

    assertThat(result.problems()).isEmpty();
    Acl acl = result.acl().orElseThrow();
    assertThat(acl.check(WRITE, "plant/press-7/temperature", "press-7", "press-7")).isEqualTo(ALLOWED);
    assertThat(acl.check(SUBSCRIBE, "#", "press-7", "press-7")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(SUBSCRIBE, "alerts/#", "scada", "ignition")).isEqualTo(ALLOWED);
    assertThat(acl.check(WRITE, "alerts/ack", "scada", "ignition")).isEqualTo(ALLOWED);
    assertThat(acl.check(SUBSCRIBE, "#", "admin", "mqtt-explorer")).isEqualTo(ALLOWED);
  }

  /** Property: arbitrary text parses to rules or problems, and checks on rules never throw. */
  @Test
  void arbitraryText_neverThrows_andParsedRulesAnswerEveryQuestion() {
    Random random = new Random(11);
    String[] words = {
      "user", "topic", "pattern", "read", "write", "readwrite", "deny", "#", "+", "/", "a", "%c",
      "%u", "$SYS", " ", "\n", "\t", "\r\n", "b/c", "é", "\u0000"
    };
    int parsed = 0;
    for (int i = 0; i < 5_000; i++) {
      StringBuilder text = new StringBuilder();
      int n = random.nextInt(30);
      for (int j = 0; j < n; j++) {
        text.append(words[random.nextInt(words.length)]);
        if (random.nextInt(3) == 0) {
          text.append(' ');
        }
      }
      Acl.Result result = Acl.parse(text.toString(), "f");
      assertThat(result.acl().isPresent()).isEqualTo(result.problems().isEmpty());
      if (result.acl().isPresent()) {
        parsed++;
        for (int k = 0; k < 10; k++) {
          String topic = TopicsTest.randomTopic(random, k % 2 == 0);
          assertThat(
                  result.acl().get().check(k % 2 == 0 ? SUBSCRIBE : WRITE, topic, random.nextBoolean() ? "a" : null, "c"))
              .isNotNull();
        }
      }
    }
    assertThat(parsed).as("some random files must be valid for the check to be exercised").isGreaterThan(100);
  }

  static Path findUp(Path relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new AssertionError(relative + " not found from " + Path.of("").toAbsolutePath());
  }
}
