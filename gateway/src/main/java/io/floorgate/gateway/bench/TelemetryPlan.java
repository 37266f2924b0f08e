package io.floorgate.gateway.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * What the devices send, message by message: deterministic for a {@link LoadSpec} (the same seed
 * gives the same topics, values and breaches).
 *
 * <p>Message {@code k} goes to device {@code k mod D}, and each device goes round its sensors, so
 * every topic gets its next sample after {@code D × S} messages. Breaches are spread evenly: the
 * plan owes {@code breachFraction} of a breach per message and pays when it owes a whole one.
 *
 * <p><b>Every breach is a new excursion.</b> The rules are alarms (DESIGN §5): one event when the
 * value crosses the threshold, nothing more until it has returned past the deadband. So a breach
 * is never sent on a topic whose previous sample was a breach (the plan pays it on the next
 * message instead), and every normal value is below {@code threshold − 1}, past any deadband the
 * generated rules use. Each breach then raises exactly one alert, and the sample after it clears
 * it: the pairing breach → alert is exact without {@code every_sample}.
 *
 * <p>Not thread-safe: the load thread owns it.
 */
final class TelemetryPlan {
  private final LoadSpec spec;
  private final String[] topics;
  private final long[] seqs;
  private final boolean[] lastWasBreach;
  private final SplittableRandom random;
  private final long thresholdHundredths;
  private long next;
  private double owed;

  /** One planned message. Reused: valid until the next call of {@link #next}. */
  static final class Sample {
    int topic;
    long seq;
    long hundredths;
    boolean breach;
    boolean afterBreach;

    /** Index of its topic, in [0, topics). */
    int topic() {
      return topic;
    }

    long seq() {
      return seq;
    }

    /** The value in hundredths. */
    long hundredths() {
      return hundredths;
    }

    boolean breach() {
      return breach;
    }

    /** True when the previous sample on this topic was a breach (this one clears it). */
    boolean afterBreach() {
      return afterBreach;
    }
  }

  TelemetryPlan(LoadSpec spec) {
    this.spec = spec;
    this.topics = new String[spec.topics()];
    for (int d = 0; d < spec.devices(); d++) {
      for (int s = 0; s < spec.sensorsPerDevice(); s++) {
        topics[d * spec.sensorsPerDevice() + s] = topic(d, s);
      }
    }
    this.seqs = new long[topics.length];
    this.lastWasBreach = new boolean[topics.length];
    this.random = new SplittableRandom(spec.seed());
    this.thresholdHundredths = Math.round(spec.threshold() * 100);
  }

  /** The topic of device {@code d} (0-based), sensor {@code s} (0-based). */
  static String topic(int d, int s) {
    return "plant/line" + (d + 1) + "/sensor" + (s + 1) + "/temperature";
  }

  int topicCount() {
    return topics.length;
  }

  String topicName(int index) {
    return topics[index];
  }

  /** The device (0-based) that publishes message {@code k}. */
  int deviceOf(long k) {
    return (int) (k % spec.devices());
  }

  /** Plans the next message into {@code into}. */
  Sample next(Sample into) {
    long k = next++;
    int device = (int) (k % spec.devices());
    int sensor = (int) ((k / spec.devices()) % spec.sensorsPerDevice());
    int topic = device * spec.sensorsPerDevice() + sensor;
    owed += spec.breachFraction();
    boolean breach = owed >= 1 && !lastWasBreach[topic];
    if (breach) {
      owed -= 1;
      // Above the threshold by 0.01 to 5.00.
      into.hundredths = thresholdHundredths + 1 + random.nextInt(500);
    } else {
      // 1.00 to 5.00 below the threshold: past the deadband, so the alarm clears.
      into.hundredths = thresholdHundredths - 100 - random.nextInt(401);
    }
    into.topic = topic;
    into.seq = ++seqs[topic];
    into.breach = breach;
    into.afterBreach = lastWasBreach[topic];
    lastWasBreach[topic] = breach;
    return into;
  }

  /** {@code {"value": 23.41, "ts": "2026-11-30T01:02:03.456Z", "seq": 17}}, as a sensor sends. */
  static byte[] payload(Sample sample, long epochMillis) {
    long h = sample.hundredths;
    StringBuilder json = new StringBuilder(72);
    json.append("{\"value\": ");
    if (h < 0) {
      json.append('-');
      h = -h;
    }
    json.append(h / 100).append('.');
    long cents = h % 100;
    if (cents < 10) {
      json.append('0');
    }
    json.append(cents)
        .append(", \"ts\": \"")
        .append(Instant.ofEpochMilli(epochMillis))
        .append("\", \"seq\": ")
        .append(sample.seq)
        .append('}');
    return json.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
