package io.floorgate.rules.tree;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML (and so JSON, which is YAML) into a located {@link Node} tree.
 *
 * <p>JSON is not quite YAML 1.1 for the YAML parser: it rejects tabs, which JSON allows as
 * whitespace. A document that looks like JSON and is not valid YAML is therefore read again as
 * strict JSON before it is reported.
 *
 * <p>Only the first syntax error can be reported: the parser cannot go on after it. Duplicate
 * keys are reported too (YAML allows the parser to keep the last one silently; an edge admin
 * almost never means that), all of them, with the rest of the document still read.
 */
public final class TreeReader {
  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build();
  // The builder starts without YAMLFactory's default parser features; EMPTY_STRING_AS_NULL keeps
  // YAML's meaning of an empty value (`rules:` is null, as in `new YAMLFactory()`), not ''.
  private static final YAMLFactory YAML =
      YAMLFactory.builder()
          .streamReadConstraints(LIMITS)
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .build();
  private static final JsonFactory JSON =
      JsonFactory.builder().streamReadConstraints(LIMITS).build();

  private final String file;
  private final List<TreeProblem> duplicates = new ArrayList<>();

  private TreeReader(String file) {
    this.file = file;
  }

  /** The outcome: a tree (absent for an empty document) and every problem found. */
  public record Result(Optional<Node> root, List<TreeProblem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** A syntax problem at a location. */
  public record TreeProblem(Location location, String message) {}

  /**
   * Reads {@code text}; {@code file} names it in locations.
   *
   * <p>Never throws for bad input: syntax errors come back as problems.
   */
  public static Result read(String text, String file) {
    Result yaml = read(YAML, text, file);
    if (!yaml.root().isPresent() && !yaml.ok() && looksLikeJson(text)) {
      Result json = read(JSON, text, file);
      if (json.root().isPresent()) {
        return json;
      }
    }
    return yaml;
  }

  private static boolean looksLikeJson(String text) {
    String trimmed = text.strip();
    return trimmed.startsWith("{") || trimmed.startsWith("[");
  }

  private static Result read(JsonFactory factory, String text, String file) {
    TreeReader reader = new TreeReader(file);
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new Result(Optional.empty(), List.of());
      }
      Node root = reader.readValue(parser);
      if (parser.nextToken() != null) {
        reader.duplicates.add(
            new TreeProblem(reader.location(parser), "only one document is allowed per file"));
      }
      return new Result(Optional.of(root), List.copyOf(reader.duplicates));
    } catch (StreamConstraintsException e) {
      return new Result(
          Optional.empty(),
          List.of(new TreeProblem(new Location(file, 1, 1), "document too large: " + e.getOriginalMessage())));
    } catch (JsonParseException e) {
      return new Result(Optional.empty(), List.of(syntaxProblem(e, file)));
    } catch (IOException | RuntimeException e) {
      // SnakeYAML reports some malformed input (bad escapes, tabs) as runtime exceptions.
      return new Result(
          Optional.empty(),
          List.of(
              new TreeProblem(
                  new Location(file, 1, 1), "not valid YAML: " + firstLine(e.getMessage()))));
    }
  }

  private Node readValue(JsonParser parser) throws IOException {
    Location at = location(parser);
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        {
          Map<String, Node.Entry> entries = new LinkedHashMap<>();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Location keyAt = location(parser);
            parser.nextToken();
            Node value = readValue(parser);
            if (entries.containsKey(key)) {
              duplicates.add(
                  new TreeProblem(
                      keyAt,
                      "duplicate key '"
                          + key
                          + "' (first at line "
                          + entries.get(key).keyLocation().line()
                          + ")"));
            } else {
              entries.put(key, new Node.Entry(key, keyAt, value));
            }
          }
          return new Node.MapNode(at, Collections.unmodifiableMap(entries));
        }
      case START_ARRAY:
        {
          List<Node> items = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(parser));
          }
          return new Node.ListNode(at, List.copyOf(items));
        }
      default:
        return new Node.ScalarNode(at, scalar(parser));
    }
  }

  /**
   * The scalar at the parser's current token, as a tree keeps it: String, Long (a larger integer
   * as Double), Double, Boolean or null; anything else (embedded binary and the like) as its text,
   * so validation can name it.
   */
  static @Nullable Object scalar(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case VALUE_NUMBER_INT:
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          return parser.getBigIntegerValue().doubleValue();
        }
        return parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        return parser.getText();
    }
  }

  private Location location(JsonParser parser) {
    JsonLocation at = parser.currentTokenLocation();
    return new Location(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
  }

  /**
   * Where and what the syntax error is. SnakeYAML knows better than Jackson's location: for errors
   * found while scanning (a tab used for indentation) Jackson reports where parsing started, and
   * its first message line is only the context ("while scanning for the next token").
   */
  private static TreeProblem syntaxProblem(JsonParseException e, String file) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark mark = yaml.getProblemMark();
      String problem = yaml.getProblem() == null ? "unreadable" : yaml.getProblem().trim();
      String context = yaml.getContext() == null ? "" : yaml.getContext().trim() + ": ";
      return new TreeProblem(
          new Location(file, mark.getLine() + 1, mark.getColumn() + 1),
          "not valid YAML: " + context + problem);
    }
    JsonLocation at = e.getLocation();
    Location location =
        at == null
            ? new Location(file, 1, 1)
            : new Location(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
    return new TreeProblem(location, "not valid YAML: " + firstLine(e.getOriginalMessage()));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
