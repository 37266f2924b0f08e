package io.floorgate.events;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small JSON writer for the values events hold, into a reusable buffer. Publishing serialises
 * every event, and Jackson's general-purpose generator spent half of {@code publish}'s time doing
 * so (JMH, docs/benchmarks.md); this writes the same bytes without per-call set-up. Its output is
 * checked byte for byte against Jackson's in {@code EventJsonTest}.
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class JsonBytes {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private byte[] buf = new byte[1024];
  private int pos;

  void reset() {
    pos = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  /** Bytes known to be valid JSON already (punctuation, pre-quoted keys). */
  void raw(byte[] ascii) {
    ensure(ascii.length);
    System.arraycopy(ascii, 0, buf, pos, ascii.length);
    pos += ascii.length;
  }

  void raw(char c) {
    ensure(1);
    buf[pos++] = (byte) c;
  }

  /** A JSON string: quoted, escaped as Jackson escapes, UTF-8. */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII
  void string(String s) {
    int n = s.length();
    ensure(n + 2);
    buf[pos++] = '"';
    // Most strings (ids, topics, timestamps, messages) are plain ASCII: find how far that goes
    // and copy it in one call.
    int plain = 0;
    while (plain < n) {
      char c = s.charAt(plain);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        break;
      }
      plain++;
    }
    s.getBytes(0, plain, buf, pos);
    pos += plain;
    for (int i = plain; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ensure(1);
        buf[pos++] = (byte) c;
      } else {
        escaped(s, i, c);
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        }
      }
    }
    ensure(1);
    buf[pos++] = '"';
  }

  private void escaped(String s, int i, char c) {
    ensure(12);
    switch (c) {
      case '"' -> {
        buf[pos++] = '\\';
        buf[pos++] = '"';
      }
      case '\\' -> {
        buf[pos++] = '\\';
        buf[pos++] = '\\';
      }
      case '\n' -> {
        buf[pos++] = '\\';
        buf[pos++] = 'n';
      }
      case '\r' -> {
        buf[pos++] = '\\';
        buf[pos++] = 'r';
      }
      case '\t' -> {
        buf[pos++] = '\\';
        buf[pos++] = 't';
      }
      case '\b' -> {
        buf[pos++] = '\\';
        buf[pos++] = 'b';
      }
      case '\f' -> {
        buf[pos++] = '\\';
        buf[pos++] = 'f';
      }
      default -> {
        if (c < 0x20) {
          unicodeEscape(c);
        } else if (c < 0x800) {
          buf[pos++] = (byte) (0xC0 | (c >> 6));
          buf[pos++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            buf[pos++] = (byte) (0xF0 | (cp >> 18));
            buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[pos++] = (byte) (0x80 | (cp & 0x3F));
          } else {
            unicodeEscape(c); // a lone surrogate cannot be UTF-8; \\uXXXX keeps the JSON valid
          }
        } else {
          buf[pos++] = (byte) (0xE0 | (c >> 12));
          buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          buf[pos++] = (byte) (0x80 | (c & 0x3F));
        }
      }
    }
  }

  private void unicodeEscape(char c) {
    buf[pos++] = '\\';
    buf[pos++] = 'u';
    buf[pos++] = HEX[(c >> 12) & 0xF];
    buf[pos++] = HEX[(c >> 8) & 0xF];
    buf[pos++] = HEX[(c >> 4) & 0xF];
    buf[pos++] = HEX[c & 0xF];
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) s.charAt(i);
    }
  }

  /** Any JSON value of an event's details: map, list, string, number, boolean or null. */
  void value(@Nullable Object value) {
    if (value == null) {
      ascii("null");
    } else if (value instanceof String s) {
      string(s);
    } else if (value instanceof Boolean b) {
      ascii(b ? "true" : "false");
    } else if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
      ascii(value.toString());
    } else if (value instanceof Double d) {
      ascii(NumberOutput.toString(d, true));
    } else if (value instanceof Number n) {
      ascii(NumberOutput.toString(n.doubleValue(), true));
    } else if (value instanceof Map<?, ?> map) {
      raw('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          raw(',');
        }
        first = false;
        string(String.valueOf(entry.getKey()));
        raw(':');
        value(entry.getValue());
      }
      raw('}');
    } else if (value instanceof List<?> list) {
      raw('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          raw(',');
        }
        value(list.get(i));
      }
      raw(']');
    } else {
      // Details are normalised to JSON values when an event is built; anything else is a bug.
      throw new IllegalStateException("not a JSON value: " + value.getClass().getName());
    }
  }
}
