package io.floorgate.rules.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floorgate.rules.RuleFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TreeCodecTest {
  private static final String KEY = "sha256=abc reader=test";

  /** A node's content without locations; a map as its [key, value] pairs, in document order. */
  private static Object content(Node node) {
    if (node instanceof Node.MapNode map) {
      List<Object> pairs = new ArrayList<>();
      map.entries().forEach((k, e) -> pairs.add(List.of(k, content(e.value()))));
      return Map.of("map", pairs);
    }
    if (node instanceof Node.ListNode list) {
      List<Object> out = new ArrayList<>();
      list.items().forEach(item -> out.add(content(item)));
      return out;
    }
    Object value = ((Node.ScalarNode) node).value();
    return value == null ? "<null>" : value;
  }

  private static Node read(String yaml) {
    TreeReader.Result result = TreeReader.read(yaml, "f.yaml");
    assertThat(result.problems()).isEmpty();
    return result.root().orElseThrow();
  }

  private static Node roundTrip(Node root) throws Exception {
    byte[] bytes = TreeCodec.encode(root, KEY);
    assertThat(TreeCodec.key(bytes)).contains(KEY);
    return TreeCodec.decode(bytes, "f.yaml");
  }

  @Test
  void decode_givesTheTreeThatWasEncoded_withTheScalarsTypes() throws Exception {
    Node root =
        read(
            """
            s: text
            i: 42
            big: 123456789012
            d: 2.5
            whole: 3.0
            b: true
            n: null
            q: '7'
            huge: 1.0e+400
            unicode: "\\u00e9\\u20ac \\U0001F600 \\" quote \\\\ back\\n"
            nested: {list: [1, [2, {x: y}], []], empty: {}}
            """);

    Node decoded = roundTrip(root);

    assertThat(content(decoded)).isEqualTo(content(root));
    Node.MapNode map = (Node.MapNode) decoded;
    assertThat(content(map.get("i").value())).isInstanceOf(Long.class);
    assertThat(content(map.get("whole").value())).isEqualTo(3.0);
    assertThat(content(map.get("huge").value())).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void decode_locatesEveryNodeAtTheStartOfTheFileItIsGiven() throws Exception {
    Node.MapNode decoded =
        (Node.MapNode) TreeCodec.decode(TreeCodec.encode(read("a:\n  b: 1\n"), KEY), "r.yaml");

    Node.MapNode inner = (Node.MapNode) decoded.get("a").value();
    assertThat(decoded.location()).isEqualTo(new Location("r.yaml", 1, 1));
    assertThat(inner.get("b").keyLocation()).isEqualTo(new Location("r.yaml", 1, 1));
  }

  @Test
  void decodedRuleFile_validatesToTheSameRulesAsItsYaml() throws Exception {
    String yaml =
        """
        rules:
          - id: line1-temp
            topic: plant/line1/+/temperature
            comparison: greater_than
            value: 25.0
            deadband: 0.5
            severity: critical
          - id: oven-temp
            topic: plant/oven/temperature
            path: data.value
            comparison: greater_than
            on_delay: 2s
            limits:
              - {level: H,  value: 200, severity: warning}
              - {level: HH, value: 250, severity: critical, deadband: 5}
        PARAMETER_THRESHOLDS:
          production_line.defect_rate:
            name: Defect Rate
            value: 0.1
            comparison: greater_than
            severity: ERROR
        """;
    Node tree = read(yaml);

    RuleFile.Result fromYaml = RuleFile.parse(yaml, "f.yaml", List.of("twin/+/state"));
    RuleFile.Result fromCodec =
        RuleFile.validate(
            new TreeReader.Result(java.util.Optional.of(roundTrip(tree)), List.of()),
            "f.yaml",
            List.of("twin/+/state"));

    assertThat(fromCodec.problems()).isEmpty();
    assertThat(fromCodec.orThrow().rules()).isEqualTo(fromYaml.orThrow().rules());
  }

  @Test
  void key_ofAnotherFormat_isEmpty() throws Exception {
    byte[] bytes = TreeCodec.encode(read("a: 1\n"), KEY);
    String text = new String(bytes, StandardCharsets.UTF_8).replace("\"format\":1", "\"format\":9");

    assertThat(TreeCodec.key(text.getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThatThrownBy(() -> TreeCodec.decode(text.getBytes(StandardCharsets.UTF_8), "f.yaml"))
        .isInstanceOf(TreeCodec.DamagedException.class)
        .hasMessageContaining("format 9");
  }

  @Test
  void decode_aChangedByte_isDamaged() throws Exception {
    byte[] bytes = TreeCodec.encode(read("value: 25.0\nseverity: warning\n"), KEY);
    int last = bytes.length - 5; // inside the document: "warning" becomes "warnhng"
    bytes[last] = (byte) (bytes[last] - 1);

    assertThat(TreeCodec.key(bytes)).contains(KEY);
    assertThatThrownBy(() -> TreeCodec.decode(bytes, "f.yaml"))
        .isInstanceOf(TreeCodec.DamagedException.class)
        .hasMessageContaining("CRC-32C");
  }

  @Test
  void decode_truncatedOrForeignBytes_areDamaged() {
    byte[] bytes = TreeCodec.encode(read("a: [1, 2, 3]\n"), KEY);
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

    assertThatThrownBy(() -> TreeCodec.decode(truncated, "f.yaml"))
        .isInstanceOf(TreeCodec.DamagedException.class)
        .hasMessageContaining("header says");
    assertThatThrownBy(() -> TreeCodec.key("rules: []".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TreeCodec.DamagedException.class)
        .hasMessageContaining("no header line");
    assertThatThrownBy(() -> TreeCodec.key("rules: []\n{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TreeCodec.DamagedException.class);
  }

  @Provide
  Arbitrary<Node> trees() {
    Location at = new Location("f", 1, 1);
    Arbitrary<Node> scalars =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(12).map(s -> new Node.ScalarNode(at, s)),
            Arbitraries.longs().map(l -> new Node.ScalarNode(at, l)),
            Arbitraries.doubles().map(d -> new Node.ScalarNode(at, d)),
            Arbitraries.of(
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e300)
                .map(d -> new Node.ScalarNode(at, d)),
            Arbitraries.of(true, false).map(b -> new Node.ScalarNode(at, b)),
            Arbitraries.just(new Node.ScalarNode(at, null)));
    return Arbitraries.recursive(
        () -> scalars,
        inner ->
            Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(items -> new Node.ListNode(at, List.copyOf(items))),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), inner)
                    .ofMaxSize(4)
                    .map(
                        m -> {
                          Map<String, Node.Entry> entries = new LinkedHashMap<>();
                          m.forEach((k, v) -> entries.put(k, new Node.Entry(k, at, v)));
                          return new Node.MapNode(at, entries);
                        })),
        0,
        4);
  }

  @Property(tries = 500)
  void decode_ofEncode_keepsEveryValueKeyAndOrder(@ForAll("trees") Node tree) throws Exception {
    assertThat(content(roundTrip(tree))).isEqualTo(content(tree));
  }
}
