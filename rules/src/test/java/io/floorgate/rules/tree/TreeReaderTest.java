package io.floorgate.rules.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TreeReaderTest {

  private static Node.MapNode readMap(String text) {
    TreeReader.Result result = TreeReader.read(text, "f.yaml");
    assertThat(result.problems()).isEmpty();
    return (Node.MapNode) result.root().orElseThrow();
  }

  private static Object scalar(Node.MapNode map, String key) {
    return ((Node.ScalarNode) map.get(key).value()).value();
  }

  @Test
  void read_scalars_keepTheirYamlTypes() {
    Node.MapNode map = readMap("s: text\ni: 42\nd: 2.5\nb: true\nn: null\nq: '7'\n");

    assertThat(scalar(map, "s")).isEqualTo("text");
    assertThat(scalar(map, "i")).isEqualTo(42L);
    assertThat(scalar(map, "d")).isEqualTo(2.5);
    assertThat(scalar(map, "b")).isEqualTo(Boolean.TRUE);
    assertThat(scalar(map, "n")).isNull();
    assertThat(scalar(map, "q")).isEqualTo("7");
  }

  @Test
  void read_emptyValue_isNullButQuotedEmptyIsAString() {
    Node.MapNode map = readMap("empty:\nquoted: ''\n");

    assertThat(scalar(map, "empty")).isNull();
    assertThat(scalar(map, "quoted")).isEqualTo("");
  }

  @Test
  void read_locations_areOneBasedLineAndColumnOfKeysAndValues() {
    Node.MapNode map = readMap("top:\n  key: value\n  list: [a, b]\n");

    Node.MapNode top = (Node.MapNode) map.get("top").value();
    assertThat(map.get("top").keyLocation()).isEqualTo(new Location("f.yaml", 1, 1));
    assertThat(top.get("key").keyLocation()).isEqualTo(new Location("f.yaml", 2, 3));
    assertThat(top.get("key").value().location()).isEqualTo(new Location("f.yaml", 2, 8));
    Node.ListNode list = (Node.ListNode) top.get("list").value();
    assertThat(list.items()).extracting(Node::location)
        .containsExactly(new Location("f.yaml", 3, 10), new Location("f.yaml", 3, 13));
  }

  @Test
  void read_keys_keepDocumentOrder() {
    Node.MapNode map = readMap("z: 1\na: 2\nm: 3\n");

    assertThat(map.entries().keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void read_emptyDocument_hasNoRootAndNoProblem() {
    TreeReader.Result result = TreeReader.read("# nothing here\n", "f.yaml");

    assertThat(result.ok()).isTrue();
    assertThat(result.root()).isEmpty();
  }

  @Test
  void read_duplicateKeys_areEachReportedAndTheFirstIsKept() {
    TreeReader.Result result = TreeReader.read("a: 1\nb: 2\na: 3\na: 4\n", "f.yaml");

    assertThat(result.problems())
        .containsExactly(
            new TreeReader.TreeProblem(
                new Location("f.yaml", 3, 1), "duplicate key 'a' (first at line 1)"),
            new TreeReader.TreeProblem(
                new Location("f.yaml", 4, 1), "duplicate key 'a' (first at line 1)"));
    assertThat(scalar((Node.MapNode) result.root().orElseThrow(), "a")).isEqualTo(1L);
  }

  @Test
  void read_secondDocument_isAProblem() {
    TreeReader.Result result = TreeReader.read("a: 1\n---\nb: 2\n", "f.yaml");

    assertThat(result.problems()).extracting(TreeReader.TreeProblem::message)
        .containsExactly("only one document is allowed per file");
  }

  @Test
  void read_jsonWithTabs_readsWithLocations() {
    TreeReader.Result result = TreeReader.read("{\n\t\"a\": 1,\n\t\"b\": [true]\n}", "f.json");

    assertThat(result.problems()).isEmpty();
    Node.MapNode map = (Node.MapNode) result.root().orElseThrow();
    assertThat(map.get("a").keyLocation()).isEqualTo(new Location("f.json", 2, 2));
    assertThat(map.get("a").value().location()).isEqualTo(new Location("f.json", 2, 7));
    assertThat(((Node.ListNode) map.get("b").value()).items())
        .extracting(n -> ((Node.ScalarNode) n).value())
        .isEqualTo(List.of(Boolean.TRUE));
  }

  @Test
  void read_invalidJsonWithTabs_isReportedAsOneProblem() {
    TreeReader.Result result = TreeReader.read("{\n\t\"a\": 1,,\n}", "f.json");

    assertThat(result.root()).isEmpty();
    assertThat(result.problems()).hasSize(1);
  }

  @Test
  void read_syntaxError_reportsWhereTheProblemIs() {
    TreeReader.Result result = TreeReader.read("a: 1\nb: [1, 2\nc: 3\n", "f.yaml");

    assertThat(result.root()).isEmpty();
    assertThat(result.problems()).singleElement()
        .satisfies(
            p -> {
              assertThat(p.location().file()).isEqualTo("f.yaml");
              assertThat(p.location().line()).isEqualTo(3);
              assertThat(p.message()).startsWith("not valid YAML: ");
            });
  }

  @Test
  void read_tabIndentation_reportsTheTabsLineAndSaysTab() {
    TreeReader.Result result = TreeReader.read("a:\n  b: 1\n\tc: 2\n", "f.yaml");

    assertThat(result.problems()).singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo(new Location("f.yaml", 3, 1));
              assertThat(p.message()).contains("TAB");
            });
  }
}
