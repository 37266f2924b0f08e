package io.floorgate.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floorgate.rules.Rule;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.tree.Node;
import io.floorgate.rules.tree.TreeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleTreeCacheTest {
  private static final List<String> STATE_TOPICS = List.of("twin/+/state");
  private static final String RULES =
      """
      rules:
        - id: line-temp
          topic: plant/+/+/temperature
          comparison: greater_than
          value: 25.0
          deadband: 0.5
      """;
  // The same length, another threshold: what a tree from the cache must never be taken for.
  private static final String OTHER_RULES = RULES.replace("25.0", "35.0");

  @TempDir Path dir;

  private Path ruleFile() {
    return dir.resolve("rules.yaml");
  }

  private Path cacheFile() {
    return dir.resolve("journal").resolve("rules.tree");
  }

  private RuleTreeCache cache() {
    return RuleTreeCache.at(cacheFile(), "build 1");
  }

  private static Node tree(String text) {
    return TreeReader.read(text, "rules.yaml").root().orElseThrow();
  }

  private static double threshold(RuleReloader.Loaded loaded) {
    Rule rule = loaded.rules().rules().get(0);
    return rule.limits().get(0).threshold();
  }

  /** A start: the rules thread's parse, then main's confirmation with the text's SHA-256. */
  private RuleReloader.Loaded start(String text, RuleTreeCache cache) {
    RuleReloader.Parsed parsed = RuleReloader.parse(ruleFile(), text, STATE_TOPICS, cache);
    return RuleReloader.confirm(
        ruleFile(), text, RuleReloader.sha256(text), STATE_TOPICS, parsed);
  }

  @Test
  void firstStart_readsTheText_andGivesItsTreeToCache() {
    RuleReloader.Loaded loaded = start(RULES, cache());

    assertThat(loaded.readTree()).isNotNull();
    assertThat(threshold(loaded)).isEqualTo(25.0);
    assertThat(loaded.sha256()).isEqualTo(RuleReloader.sha256(RULES));
  }

  @Test
  void restart_withTheSameText_takesTheCachedTree_andTheSameRules() {
    RuleTreeCache cache = cache();
    RuleReloader.Loaded first = start(RULES, cache);
    cache.store(RULES, first.sha256(), first.readTree());

    RuleReloader.Loaded again = start(RULES, cache);

    assertThat(again.readTree()).isNull(); // from the cache: nothing to store again
    assertThat(again.rules().rules()).isEqualTo(first.rules().rules());
    assertThat(again.sha256()).isEqualTo(first.sha256());
  }

  @Test
  void cachedTree_isWhatTheRulesComeFrom_whenTheTextIsUnchanged() {
    // Proves the start reads the cache: a tree stored under the text's key is what it uses.
    RuleTreeCache cache = cache();
    cache.store(RULES, RuleReloader.sha256(RULES), tree(OTHER_RULES));

    assertThat(threshold(start(RULES, cache))).isEqualTo(35.0);
  }

  @Test
  void changedText_isReadFromTheFile_notFromTheCache() {
    RuleTreeCache cache = cache();
    cache.store(RULES, RuleReloader.sha256(RULES), tree(RULES));

    RuleReloader.Loaded loaded = start(OTHER_RULES, cache);

    assertThat(threshold(loaded)).isEqualTo(35.0);
    assertThat(loaded.readTree()).isNotNull();
  }

  @Test
  void sameLengthAndHashCode_butAnotherSha256_isReadFromTheFile() {
    // The quick check (length, hash code) passes; main's SHA-256 does not, so the text is read.
    RuleTreeCache cache = cache();
    cache.store(RULES, RuleReloader.sha256(OTHER_RULES), tree(OTHER_RULES));

    RuleReloader.Loaded loaded = start(RULES, cache);

    assertThat(threshold(loaded)).isEqualTo(25.0);
    assertThat(loaded.readTree()).isNotNull();
  }

  @Test
  void treeOfAnotherBuild_isNotTaken() {
    RuleTreeCache.at(cacheFile(), "build 0")
        .store(RULES, RuleReloader.sha256(RULES), tree(OTHER_RULES));

    assertThat(cache().load(RULES, "rules.yaml")).isEmpty();
    assertThat(threshold(start(RULES, cache()))).isEqualTo(25.0);
  }

  @Test
  void damagedCache_isIgnored_andTheNextStoreReplacesIt() throws Exception {
    RuleTreeCache cache = cache();
    cache.store(RULES, RuleReloader.sha256(RULES), tree(RULES));
    Path file = cacheFile();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x01;
    Files.write(file, bytes);

    assertThat(cache.load(RULES, "rules.yaml")).isEmpty();
    RuleReloader.Loaded loaded = start(RULES, cache);
    assertThat(threshold(loaded)).isEqualTo(25.0);

    cache.store(RULES, loaded.sha256(), loaded.readTree());
    assertThat(cache.load(RULES, "rules.yaml")).isPresent();
  }

  @Test
  void cachedTreeThatDoesNotValidate_isNotUsed_andTheProblemsNameTheTextsLines() {
    // A tree that fails validation (here: stored for this text, but invalid) is re-read from the
    // text, so a real problem is reported where it is written.
    String invalid = RULES.replace("deadband: 0.5", "deadband: -1");
    RuleTreeCache cache = cache();
    cache.store(invalid, RuleReloader.sha256(invalid), tree(invalid));

    assertThatThrownBy(() -> start(invalid, cache))
        .isInstanceOf(RuleFile.InvalidRulesException.class)
        .hasMessageContaining("rules.yaml:6:15: rule 'line-temp': deadband must be >= 0");
  }

  @Test
  void none_neverKeepsATree() {
    RuleTreeCache.NONE.store(RULES, RuleReloader.sha256(RULES), tree(RULES));

    assertThat(RuleTreeCache.NONE.load(RULES, "rules.yaml")).isEmpty();
    assertThat(start(RULES, RuleTreeCache.NONE).readTree()).isNotNull();
  }

  @Test
  void unwritableCache_isLoggedNotThrown() throws Exception {
    Path blocker = dir.resolve("not-a-dir");
    Files.writeString(blocker, "a file where the cache's directory should be");
    RuleTreeCache cache = RuleTreeCache.at(blocker.resolve("rules.tree"), "build 1");

    cache.store(RULES, RuleReloader.sha256(RULES), tree(RULES));

    assertThat(cache.load(RULES, "rules.yaml")).isEmpty();
  }
}
