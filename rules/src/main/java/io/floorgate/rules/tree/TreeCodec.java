package io.floorgate.rules.tree;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * A valid document's {@link Node} tree as bytes and back, so that a tree read once from YAML can be
 * read again without the YAML parser: a 10,000-rule file takes SnakeYAML ~1.2 s on a cold JVM,
 * the same document as JSON a fifth of that through Jackson's JSON parser.
 *
 * <p>The bytes are a header line and the document as JSON. The header carries a key chosen by the
 * caller (what the tree was read from, and by which reader; {@link #key} reads it without the
 * tree) and a CRC-32C of the document, so bytes damaged on disk are never taken for intact ones.
 *
 * <p>Locations are not kept: every decoded node is located at the start of the file named to
 * {@link #decode}. A decoded tree is for a document that was valid when encoded; should it not
 * validate now, read the document itself for the problems' locations.
 */
public final class TreeCodec {
  /** Changes whenever the encoding does: bytes of another format are not read. */
  static final int FORMAT = 1;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(200)
                  .maxStringLength(1 << 20)
                  .maxDocumentLength(1L << 30)
                  .build())
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private TreeCodec() {}

  /** Thrown by {@link #key} and {@link #decode} for bytes that are not an intact encoded tree. */
  public static final class DamagedException extends Exception {
    DamagedException(String message) {
      super(message);
    }
  }

  /**
   * Encodes {@code root} under {@code key}.
   *
   * @param key what the tree belongs to, as {@link #key} returns it
   */
  public static byte[] encode(Node root, String key) {
    ByteArrayOutputStream tree = new ByteArrayOutputStream(4096);
    try (JsonGenerator out = JSON.createGenerator(tree, JsonEncoding.UTF8)) {
      write(out, root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a rule tree", e); // in memory: not expected
    }
    byte[] body = tree.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + key.length() + 64);
    try (JsonGenerator out = JSON.createGenerator(all, JsonEncoding.UTF8)) {
      out.writeStartObject();
      out.writeNumberField("format", FORMAT);
      out.writeStringField("key", key);
      out.writeNumberField("crc32c", crc.getValue());
      out.writeNumberField("length", body.length);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a rule tree", e);
    }
    all.write('\n');
    all.writeBytes(body);
    return all.toByteArray();
  }

  /**
   * The key {@code bytes} were encoded under; empty when they are in another format (from another
   * version of this class). Reads only the header.
   *
   * @throws DamagedException when there is no readable header
   */
  public static Optional<String> key(byte[] bytes) throws DamagedException {
    Header header = header(bytes, headerEnd(bytes));
    return header.format() == FORMAT ? Optional.of(header.key()) : Optional.empty();
  }

  /**
   * The tree in {@code bytes} (check its {@link #key} first).
   *
   * @param file names the file in the tree's locations
   * @throws DamagedException when the bytes are truncated, altered or not an encoded tree at all
   */
  public static Node decode(byte[] bytes, String file) throws DamagedException {
    int newline = headerEnd(bytes);
    Header header = header(bytes, newline);
    if (header.format() != FORMAT) {
      throw new DamagedException("format " + header.format() + ", not " + FORMAT);
    }
    int start = newline + 1;
    int length = bytes.length - start;
    if (length != header.length()) {
      throw new DamagedException(
          "the tree has " + length + " byte(s), but its header says " + header.length());
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, start, length);
    if (crc.getValue() != header.crc32c()) {
      throw new DamagedException("the tree's CRC-32C does not match its header");
    }
    try (JsonParser in = JSON.createParser(bytes, start, length)) {
      in.nextToken();
      Node root = read(in, new Location(file, 1, 1));
      if (in.nextToken() != null) {
        throw new DamagedException("more after the tree");
      }
      return root;
    } catch (IOException | RuntimeException e) {
      // The CRC matched, so these bytes were written so: an encoder of another build.
      throw new DamagedException("not an encoded tree: " + e.getMessage());
    }
  }

  private static int headerEnd(byte[] bytes) throws DamagedException {
    int newline = indexOf(bytes, (byte) '\n');
    if (newline < 0) {
      throw new DamagedException("no header line");
    }
    return newline;
  }

  private record Header(long format, String key, long crc32c, long length) {}

  private static Header header(byte[] bytes, int newline) throws DamagedException {
    long format = -1;
    @Nullable String key = null;
    long crc = -1;
    long length = -1;
    try (JsonParser in = JSON.createParser(bytes, 0, newline)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        throw new DamagedException("the header is not a JSON object");
      }
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        in.nextToken();
        switch (name) {
          case "format" -> format = in.getLongValue();
          case "key" -> key = in.getText();
          case "crc32c" -> crc = in.getLongValue();
          case "length" -> length = in.getLongValue();
          default -> in.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new DamagedException("unreadable header: " + e.getMessage());
    }
    if (key == null || crc < 0 || length < 0) {
      throw new DamagedException("the header lacks key, crc32c or length");
    }
    return new Header(format, key, crc, length);
  }

  private static void write(JsonGenerator out, Node node) throws IOException {
    if (node instanceof Node.MapNode map) {
      out.writeStartObject();
      for (Node.Entry entry : map.entries().values()) {
        out.writeFieldName(entry.key());
        write(out, entry.value());
      }
      out.writeEndObject();
    } else if (node instanceof Node.ListNode list) {
      out.writeStartArray();
      for (Node item : list.items()) {
        write(out, item);
      }
      out.writeEndArray();
    } else {
      writeScalar(out, ((Node.ScalarNode) node).value());
    }
  }

  private static void writeScalar(JsonGenerator out, @Nullable Object value) throws IOException {
    if (value == null) {
      out.writeNull();
    } else if (value instanceof String s) {
      out.writeString(s);
    } else if (value instanceof Long l) {
      out.writeNumber(l);
    } else if (value instanceof Double d) {
      out.writeNumber(d); // NaN and infinities too: non-standard JSON, read back as doubles
    } else if (value instanceof Boolean b) {
      out.writeBoolean(b);
    } else {
      throw new IllegalArgumentException(
          "a scalar must be a String, Long, Double, Boolean or null, but was "
              + value.getClass().getName());
    }
  }

  private static Node read(JsonParser in, Location at) throws IOException {
    JsonToken token = in.currentToken();
    if (token == null) {
      throw new IOException("the document ends early");
    }
    switch (token) {
      case START_OBJECT:
        {
          Map<String, Node.Entry> entries = new LinkedHashMap<>();
          while (in.nextToken() == JsonToken.FIELD_NAME) {
            String key = in.currentName();
            in.nextToken();
            entries.put(key, new Node.Entry(key, at, read(in, at)));
          }
          return new Node.MapNode(at, Collections.unmodifiableMap(entries));
        }
      case START_ARRAY:
        {
          List<Node> items = new ArrayList<>();
          while (in.nextToken() != JsonToken.END_ARRAY) {
            items.add(read(in, at));
          }
          return new Node.ListNode(at, List.copyOf(items));
        }
      default:
        return new Node.ScalarNode(at, TreeReader.scalar(in));
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
