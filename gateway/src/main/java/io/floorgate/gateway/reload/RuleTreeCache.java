package io.floorgate.gateway.reload;

import io.floorgate.rules.tree.Node;
import io.floorgate.rules.tree.TreeCodec;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule file's document tree as last read, kept on disk so that a start with an unchanged rule
 * file does not parse its YAML again: for 10,000 rules that is most of the start-up (SnakeYAML's
 * cold code), and a gateway restarts far more often than its rules change.
 *
 * <p>Only the document is kept (as JSON, without locations), not the rules: a tree taken from here
 * is validated as a freshly read one is, and used only when valid; should it not be (another
 * {@code state_topics}), the text is read, so problems name their lines. It is taken only for a
 * text with the same SHA-256 (see {@link #load}), read by the same build (another build's YAML
 * reading may differ), and only intact (CRC-32C); anything else is read from the text, and a
 * damaged file is logged and replaced. Deleting the file is always safe.
 */
public final class RuleTreeCache {
  private static final Logger LOG = LoggerFactory.getLogger(RuleTreeCache.class);

  /** No cache: every start reads the rule file (when nothing is kept on disk). */
  public static final RuleTreeCache NONE = new RuleTreeCache(null, "");

  private final @Nullable Path file;
  private final String reader;

  private RuleTreeCache(@Nullable Path file, String reader) {
    this.file = file;
    this.reader = reader;
  }

  /**
   * A cache in {@code file}.
   *
   * @param reader names the build that reads YAML into trees (a tree read by another is not used)
   */
  public static RuleTreeCache at(Path file, String reader) {
    return new RuleTreeCache(file, reader);
  }

  /**
   * A tree from the cache and the SHA-256 of the text it was read from.
   *
   * @param sha256 the caller confirms it is its text's before using the tree
   */
  public record Cached(String sha256, Node tree) {}

  /**
   * The tree cached for {@code text}, if the cache holds one read by this build from a text of the
   * same length and hash code. Those are quick to check on a cold JVM, where the SHA-256 of a
   * large file is not; so the caller confirms the SHA-256 (computed meanwhile) before it trusts
   * the tree.
   *
   * @param ruleFile names the rule file in the tree's locations
   */
  public Optional<Cached> load(String text, String ruleFile) {
    if (file == null) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn(
          "cannot read the rule cache {}, reading {} instead: {}", file, ruleFile, e.toString());
      return Optional.empty();
    }
    try {
      Optional<String> key = TreeCodec.key(bytes);
      // "<sha256> <fingerprint> <reader>": the reader is last, as it has spaces
      String[] parts = key.orElse("").split(" ", 3);
      if (parts.length != 3
          || !parts[1].equals(fingerprint(text))
          || !parts[2].equals(reader)) {
        return Optional.empty();
      }
      return Optional.of(new Cached(parts[0], TreeCodec.decode(bytes, ruleFile)));
    } catch (TreeCodec.DamagedException e) {
      LOG.warn(
          "the rule cache {} is damaged ({}); reading {} instead, and replacing the cache",
          file,
          e.getMessage(),
          ruleFile);
      return Optional.empty();
    }
  }

  /**
   * Keeps {@code tree}, read from {@code text} (whose SHA-256 is {@code sha256}), in place of what
   * the cache held. Written to a temporary file and renamed, so a crash leaves the old cache or the
   * new one. A failure is logged, not thrown: without a cache the next start reads the YAML.
   */
  public void store(String text, String sha256, Node tree) {
    if (file == null) {
      return;
    }
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(
          temp, TreeCodec.encode(tree, sha256 + " " + fingerprint(text) + " " + reader));
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn(
          "cannot write the rule cache {} ({}); the next start reads the rule file's YAML again",
          file,
          e.toString());
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the warning above already says the cache was not written
      }
    }
  }

  /**
   * The text's length and {@link String#hashCode} ("1599948:-1230814081"): what a cached tree's
   * text must match before the caller's SHA-256 confirms it. Both are specified by the JDK, and
   * neither copies the text (its bytes would be one more large array for a start to collect).
   */
  private static String fingerprint(String text) {
    return text.length() + ":" + text.hashCode();
  }
}
