package io.floorgate.gateway.broker.security;

import static io.floorgate.gateway.broker.security.Acl.Access.SUBSCRIBE;
import static io.floorgate.gateway.broker.security.Acl.Access.WRITE;
import static io.floorgate.gateway.broker.security.Acl.Verdict.ALLOWED;
import static io.floorgate.gateway.broker.security.Acl.Verdict.DENIED;
import static io.floorgate.gateway.broker.security.Acl.Verdict.NOT_GRANTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.floorgate.gateway.TextEdits;
import io.floorgate.rules.tree.Problem;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Properties of the ACL reader and check (jqwik): any text gives rules or problems at a line of
 * the file, never an exception, quickly; a check on any rules answers any question; a generated
 * line grants exactly what it says.
 */
class AclPropertyTest {
  private static final Duration BOUND = Duration.ofSeconds(5);

  private static final String VALID =
      """
      # anonymous clients
      topic read alerts/#
      user scada
      topic read alerts/#
      topic write alerts/ack
      user line1-admin
      topic plant/line1/#
      topic deny plant/line1/safety/#
      pattern write plant/%u/#
      pattern read config/%c
      """;

  private static Acl.Result parse(String text) {
    return assertTimeoutPreemptively(
        BOUND, () -> Acl.parse(text, "acl"), () -> "parsing took longer than " + BOUND);
  }

  private static void assertDocumentedOutcome(String text, Acl.Result result) {
    assertThat(result.acl().isPresent()).isEqualTo(result.problems().isEmpty());
    int lines = text.split("\n", -1).length;
    for (Problem problem : result.problems()) {
      assertThat(problem.location().file()).isEqualTo("acl");
      assertThat(problem.location().line()).isBetween(1, lines);
      assertThat(problem.location().column()).isPositive();
      assertThat(problem.message()).isNotBlank();
    }
  }

  @Property(tries = 300)
  void anyText_givesRulesOrProblemsAtItsLines(@ForAll @StringLength(max = 300) String text) {
    assertDocumentedOutcome(text, parse(text));
  }

  @Property(tries = 500)
  void aclLikeText_givesRulesOrProblems_andRulesAnswerAnyQuestion(
      @ForAll("aclTokens") String text,
      @ForAll("topics") String topic,
      @ForAll("identities") String user,
      @ForAll("identities") String clientId) {
    Acl.Result result = parse(text);

    assertDocumentedOutcome(text, result);
    result
        .acl()
        .ifPresent(
            acl -> {
              assertThat(acl.check(WRITE, topic, user, clientId)).isNotNull();
              assertThat(acl.check(SUBSCRIBE, topic, user, clientId)).isNotNull();
              assertThat(acl.check(SUBSCRIBE, topic, null, clientId)).isNotNull();
            });
  }

  @Property(tries = 500)
  void mutatedValidFile_givesRulesOrProblems(@ForAll("mutatedAcls") String text) {
    assertDocumentedOutcome(text, parse(text));
  }

  @Property(tries = 300)
  void generatedTopicLine_grantsWhatItSays_toItsUserOnly(
      @ForAll("names") String user,
      @ForAll("access") String access,
      @ForAll("filters") String filter) {
    Acl acl = parse("user " + user + "\ntopic " + access + " " + filter + "\n").acl().orElseThrow();
    String topic = concrete(filter);

    boolean read = access.equals("read") || access.equals("readwrite");
    boolean write = access.equals("write") || access.equals("readwrite");
    if (access.equals("deny")) {
      assertThat(acl.check(WRITE, topic, user, "c")).isEqualTo(DENIED);
      assertThat(acl.check(SUBSCRIBE, filter, user, "c")).isEqualTo(DENIED);
    } else {
      assertThat(acl.check(WRITE, topic, user, "c")).isEqualTo(write ? ALLOWED : NOT_GRANTED);
      assertThat(acl.check(SUBSCRIBE, filter, user, "c")).isEqualTo(read ? ALLOWED : NOT_GRANTED);
    }
    assertThat(acl.check(WRITE, topic, user + "-other", "c")).isEqualTo(NOT_GRANTED);
    assertThat(acl.check(WRITE, topic, null, "c")).isEqualTo(NOT_GRANTED);
  }

  @Property(tries = 300)
  void generatedClientPattern_grantsUnderEachClientsOwnIdOnly(
      @ForAll("names") String clientId, @ForAll("names") String level) {
    Acl acl = parse("pattern write plant/%c/#\n").acl().orElseThrow();

    assertThat(acl.check(WRITE, "plant/" + clientId + "/" + level, null, clientId))
        .isEqualTo(ALLOWED);
    assertThat(acl.check(WRITE, "plant/" + clientId + "-x/" + level, null, clientId))
        .isEqualTo(NOT_GRANTED);
    assertThat(acl.check(SUBSCRIBE, "plant/" + clientId + "/#", null, clientId))
        .isEqualTo(NOT_GRANTED);
  }

  /** A topic name the filter matches: {@code +} becomes a level, {@code #} one or two levels. */
  private static String concrete(String filter) {
    return filter.replace("+", "x").replace("#", "y/z");
  }

  // --- generators ----------------------------------------------------------------------------

  @Provide
  Arbitrary<String> aclTokens() {
    return Arbitraries.of(
            "user", "topic", "pattern", "read", "write", "readwrite", "deny", "#", "+", "/", "a",
            "%c", "%u", "$SYS", " ", "\n", "\t", "\r\n", "\r", "b/c", "é", "\u0000", "\u2028",
            "\u00a0", "\uFEFF", "#x", "//")
        .list()
        .ofMaxSize(40)
        .map(tokens -> String.join("", tokens));
  }

  @Provide
  Arbitrary<String> mutatedAcls() {
    return TextEdits.of(VALID, 6);
  }

  @Provide
  Arbitrary<String> topics() {
    return Arbitraries.oneOf(
        Arbitraries.of("a/b", "#", "+", "a/#", "$SYS/x", "", "/", "a//b", "plant/c/x"),
        Arbitraries.strings().ofMaxLength(20));
  }

  @Provide
  Arbitrary<String> identities() {
    return Arbitraries.oneOf(
        Arbitraries.of("scada", "line1-admin", "c", "", "a/b", "+", "#"),
        Arbitraries.strings().ofMaxLength(10));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("0123456789-_.é")
        .ofMinLength(1)
        .ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> access() {
    return Arbitraries.of("read", "write", "readwrite", "deny");
  }

  @Provide
  Arbitrary<String> filters() {
    Arbitrary<String> level =
        Arbitraries.oneOf(names(), Arbitraries.just("+"));
    return Combinators.combine(level.list().ofMinSize(1).ofMaxSize(5), Arbitraries.of(true, false))
        .as((levels, hash) -> String.join("/", levels) + (hash ? "/#" : ""));
  }
}
