package io.floorgate.gateway;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Mutations of a valid document for property tests: a few insertions (of characters that mean
 * something to YAML, JSON and line formats, or of any character), deletions, bit flips,
 * duplicated slices and truncations. jqwik shrinks a failing case to fewer and smaller edits.
 * (The rules module's tests have the same class; test code is not shared between modules.)
 */
public final class TextEdits {
  /** Text that YAML, JSON and the line formats give meaning to. */
  private static final List<String> SPLICES =
      List.of(
          ":", " ", "\n", "\r\n", "  ", "- ", "[", "]", "{", "}", "'", "\"", "#", "&a ", "*a",
          "!!str ", "!!binary ", "? ", "|", ">", "%", "@", "`", "\t", "\\", "\u0000", "\"\\0\"",
          "\"\\x00\"", "é", "\uD83D", "\uFEFF", "1e999", "-1", "0x1F", ".inf", ".nan", "null", "~",
          "<<: *a", ",", "&b [*b]", "---\n", "...\n", "$", "%c", "%u", "+", "/");

  private TextEdits() {}

  private enum Kind {
    INSERT_SPLICE,
    INSERT_CHAR,
    DELETE,
    FLIP,
    DUPLICATE,
    TRUNCATE
  }

  private record Edit(Kind kind, double at, double from, int length, String text, int bit) {}

  /** Between one and {@code maxEdits} edits of {@code text}. */
  public static Arbitrary<String> of(String text, int maxEdits) {
    Arbitrary<String> insert =
        Arbitraries.oneOf(Arbitraries.of(SPLICES), Arbitraries.chars().map(String::valueOf));
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 12),
                insert,
                Arbitraries.integers().between(0, 15))
            .as(Edit::new);
    return edit.list().ofMinSize(1).ofMaxSize(maxEdits).map(edits -> apply(text, edits));
  }

  /** Between one and {@code maxEdits} edits of {@code bytes}, on the ISO-8859-1 text of them. */
  public static Arbitrary<byte[]> ofBytes(byte[] bytes, int maxEdits) {
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    return of(text, maxEdits).map(TextEdits::bytes);
  }

  /** Each char's low byte, so edits can also produce invalid UTF-8. */
  private static byte[] bytes(String text) {
    byte[] out = new byte[text.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) text.charAt(i);
    }
    return out;
  }

  private static String apply(String text, List<Edit> edits) {
    StringBuilder out = new StringBuilder(text);
    for (Edit e : edits) {
      int at = (int) (e.at() * out.length());
      switch (e.kind()) {
        case INSERT_SPLICE, INSERT_CHAR -> out.insert(at, e.text());
        case DELETE -> out.delete(at, Math.min(out.length(), at + e.length()));
        case FLIP -> {
          if (at < out.length()) {
            out.setCharAt(at, (char) (out.charAt(at) ^ (1 << e.bit())));
          }
        }
        case DUPLICATE -> {
          int from = (int) (e.from() * out.length());
          out.insert(at, out.substring(from, Math.min(out.length(), from + e.length() * 3)));
        }
        case TRUNCATE -> out.setLength(at);
      }
    }
    return out.toString();
  }
}
