package io.floorgate.gateway.bench;

import io.floorgate.gateway.ingest.PayloadDecoder;
import io.floorgate.rules.Rule;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import io.floorgate.rules.eval.Evaluator;
import io.floorgate.rules.eval.Reading;
import io.floorgate.rules.eval.Transition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's per-message hot path on the ingest thread, without the broker around it: decode
 * the payload, find the rules watching the topic, read the value and evaluate it (what {@code
 * Ingest.handle} does for a telemetry message). The messages are the ones {@code floorgate bench}
 * sends (10 devices × 1,000 sensors, 1% breaches, each breach a new excursion), so 1 in 100 ops
 * raises an alarm and the next one on that topic clears it; announcing those transitions
 * (events, journal) is {@code EventManagerPublishBenchmark}'s part.
 *
 * <p>The topic is a fresh String for every message, as the broker decodes it, so its hash is
 * never cached. Run with {@code mvn -B -pl gateway -am -Pbench verify
 * -Djmh.args="IngestPathBenchmark"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class IngestPathBenchmark {
  private static final int POOL = 1 << 16;

  /** Rules: one per device (10) or one per sensor (10,000); each message matches exactly one. */
  @Param({"10", "10000"})
  public int rules;

  private RuleSet ruleSet;
  private PayloadDecoder decoder;
  private Evaluator evaluator;
  private final List<Transition> transitions = new ArrayList<>();
  private byte[][] topics;
  private byte[][] payloads;
  private int next;
  /** The rules one message matches; every rule of the bench's files reads the same path. */
  private List<Rule> watching;

  @Setup(Level.Trial)
  public void setUp() {
    LoadSpec spec = LoadSpec.defaults();
    ruleSet = RuleFile.parse(RuleFiles.yaml(spec, rules), "bench.yaml", List.of()).orThrow();
    decoder = new PayloadDecoder(65_536);
    evaluator = new Evaluator();
    TelemetryPlan plan = new TelemetryPlan(spec);
    TelemetryPlan.Sample sample = new TelemetryPlan.Sample();
    topics = new byte[POOL][];
    payloads = new byte[POOL][];
    long now = System.currentTimeMillis();
    for (int i = 0; i < POOL; i++) {
      plan.next(sample);
      topics[i] = plan.topicName(sample.topic()).getBytes(StandardCharsets.UTF_8);
      payloads[i] = TelemetryPlan.payload(sample, now + i);
    }
    watching = ruleSet.match(topic(0));
  }

  private String topic(int i) {
    return new String(topics[i], StandardCharsets.UTF_8);
  }

  /** Only making the topic String, as the broker does: the floor of the ops below. */
  @Benchmark
  public String topicOnly() {
    return topic(next++ & (POOL - 1));
  }

  /** Payload bytes to a JSON tree. */
  @Benchmark
  public Object decode() {
    int i = next++ & (POOL - 1);
    return decoder.decode(payloads[i]);
  }

  /**
   * Payload bytes to what the rules read (the rule's path, {@code seq}, the timestamp), no tree:
   * how the ingest thread reads telemetry.
   */
  @Benchmark
  public Object readFor() {
    int i = next++ & (POOL - 1);
    return decoder.readFor(payloads[i], watching);
  }

  /** The rules watching the topic. */
  @Benchmark
  public List<Rule> match() {
    return ruleSet.match(topic(next++ & (POOL - 1)));
  }

  /** The whole per-message path: decode, match, read the value, evaluate. */
  @Benchmark
  public int decodeMatchEvaluate() {
    int i = next++ & (POOL - 1);
    String topic = topic(i);
    List<Rule> matched = ruleSet.match(topic);
    PayloadDecoder.Readings.Read read =
        (PayloadDecoder.Readings.Read) decoder.readFor(payloads[i], matched);
    long now = System.currentTimeMillis();
    for (int r = 0; r < matched.size(); r++) {
      double number = ((PayloadDecoder.Value.Found) read.values().get(r)).value();
      evaluator.onReading(
          matched.get(r),
          new Reading(topic, number, read.seq(), read.timestamp(), now),
          now,
          transitions);
    }
    int produced = transitions.size();
    transitions.clear();
    return produced;
  }
}
