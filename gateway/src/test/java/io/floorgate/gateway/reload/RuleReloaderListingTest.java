package io.floorgate.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.journal.Journal;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleReloaderListingTest {
  private static final String USUAL =
      "rules.yaml:7:15: rule 'line1-temp': deadband must be >= 0, but was -1.0";

  @Test
  void usualProblems_areAllListedWhole() {
    List<String> problems = Collections.nCopies(1_200, USUAL);

    RuleReloader.Listing listing = RuleReloader.Listing.of(problems);

    assertThat(listing.lines()).isEqualTo(problems);
    assertThat(listing.notListed()).isZero();
  }

  @Test
  void aProblemQuotingAHugeValue_isCutAndSaysHowMuchIsLeftOut() {
    String huge = "rules.yaml:2:9: id must be ..., but was '" + "x".repeat(900_000) + "'";

    RuleReloader.Listing listing = RuleReloader.Listing.of(List.of(huge, USUAL));

    assertThat(listing.lines())
        .containsExactly(
            huge.substring(0, 1_000) + "... (" + (huge.length() - 1_000) + " more characters)",
            USUAL);
    assertThat(listing.notListed()).isZero();
  }

  @Test
  void aCut_neverSplitsASurrogatePair() {
    String problem = "a".repeat(999) + "\ud83d\ude00" + "b".repeat(10);

    String line = RuleReloader.Listing.of(List.of(problem)).lines().get(0);

    assertThat(line).startsWith("a".repeat(999) + "... (12 more characters)");
  }

  @Test
  void theListingEndsBeforeItsBudget_andCountsTheProblemsLeftOut() {
    String long999 = "p".repeat(999);
    List<String> problems = Collections.nCopies(1_000, long999);

    RuleReloader.Listing listing = RuleReloader.Listing.of(problems);

    int fit = RuleReloader.Listing.LISTED_CHARS / 999;
    assertThat(listing.lines()).hasSize(fit);
    assertThat(listing.notListed()).isEqualTo(1_000 - fit);
  }

  @Test
  void threeListingsAtTheirLargest_fitInAJournalRecord_evenWhenEveryCharacterIsEscaped() {
    // The event carries the listing three times; JSON writes a control character as six bytes.
    long escaped = "\\u0001".getBytes(StandardCharsets.UTF_8).length;
    long worst = 3L * RuleReloader.Listing.LISTED_CHARS * escaped;

    assertThat(worst).isLessThanOrEqualTo(Journal.MAX_RECORD_BYTES - 1024 * 1024);
  }
}
