package io.floorgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The id, level and path checks are loops (start-up speed); these properties hold them to the
 * regular expressions they replaced, which say what the checks' messages say.
 */
class RuleNamesPropertyTest {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9_]{1,16}");
  private static final Pattern PATH = Pattern.compile("|[^.]+(\\.[^.]+)*");

  @Provide
  Arbitrary<String> names() {
    // The characters that decide the answer, lengths around the limits (16, 128), and anything.
    String decisive = "aZ09_.:-/ +\u00e9\n`@[{";
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars(decisive).ofMaxLength(40),
        Arbitraries.strings().withChars("aZ09_").ofMinLength(14).ofMaxLength(18),
        Arbitraries.strings().withChars("aZ09_.:-").ofMinLength(120).ofMaxLength(135),
        Arbitraries.strings().ofMaxLength(20));
  }

  @Property(tries = 2000)
  void idCheck_acceptsExactlyWhatItsPatternDoes(@ForAll("names") String id) {
    assertThat(Rule.idError(id) == null).isEqualTo(ID.matcher(id).matches());
  }

  @Property(tries = 2000)
  void levelCheck_acceptsExactlyWhatItsPatternDoes(@ForAll("names") String level) {
    assertThat(Rule.isName(level, 16, "_")).isEqualTo(LEVEL.matcher(level).matches());
  }

  @Property(tries = 2000)
  void pathCheck_acceptsExactlyWhatItsPatternDoes(@ForAll("names") String path) {
    assertThat(Rule.pathError(path) == null).isEqualTo(PATH.matcher(path).matches());
  }
}
