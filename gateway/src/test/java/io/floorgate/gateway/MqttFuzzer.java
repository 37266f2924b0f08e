package io.floorgate.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * Makes MQTT 3.1.1 packets, well-formed and broken, from a seeded {@link Random}: the same seed
 * gives the same packets. Broken means: random bytes, bits flipped, frames truncated, a remaining
 * length far larger than what follows (up to the 268 MB maximum), packet types a client must not
 * send, topics with invalid UTF-8, NUL or wildcards, and payloads that are almost JSON.
 */
final class MqttFuzzer {
  /** What kind of packet was made (counted for the report). */
  enum Kind {
    VALID_PUBLISH,
    VALID_SUBSCRIBE,
    PING,
    JSON_MUTANT_PUBLISH,
    INVALID_UTF8_TOPIC,
    WILDCARD_TOPIC,
    BIT_FLIPPED,
    TRUNCATED,
    HUGE_REMAINING_LENGTH,
    WRONG_TYPE,
    RANDOM_BYTES,
    BROKEN_CONNECT
  }

  private final Random random;
  private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
  private int packetId = 1;

  MqttFuzzer(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  Map<Kind, Long> counts() {
    return counts;
  }

  /** A valid MQTT 3.1.1 CONNECT (clean session), with credentials when {@code user} is set. */
  static byte[] connect(String clientId, String user, String password) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(4);
    int flags = 0x02;
    if (user != null) {
      flags |= 0x80 | 0x40;
    }
    body.write(flags);
    body.write(0);
    body.write(60);
    writeString(body, clientId);
    if (user != null) {
      writeString(body, user);
      writeString(body, password);
    }
    return frame(0x10, body.toByteArray());
  }

  /** A CONNECT with damage (for the front door's first-packet parser). */
  byte[] brokenConnect(String clientId) {
    counts.merge(Kind.BROKEN_CONNECT, 1L, Long::sum);
    byte[] good = connect(clientId, random.nextBoolean() ? "press-1" : null, "press-1-pw");
    return switch (random.nextInt(6)) {
      case 0 -> flip(good);
      case 1 -> Arrays.copyOf(good, 1 + random.nextInt(good.length - 1));
      case 2 -> hugeLength(good);
      case 3 -> {
        byte[] b = good.clone();
        b[4] = (byte) random.nextInt(256); // protocol name
        yield b;
      }
      case 4 -> {
        byte[] b = good.clone();
        b[8] = (byte) random.nextInt(256); // protocol level
        yield b;
      }
      default -> randomBytes(1 + random.nextInt(64));
    };
  }

  /**
   * The next packet after a successful CONNECT, for a device allowed under {@code prefix}: one the
   * broker must answer and keep the connection for (valid packets, payloads that are almost JSON),
   * or, with {@code broken}, one after which it may close the connection (malformed frames).
   */
  byte[] next(String prefix, boolean broken) {
    Kind kind;
    byte[] packet;
    int pick = random.nextInt(100);
    if (!broken) {
      if (pick < 45) {
        kind = Kind.VALID_PUBLISH;
        packet = publish(prefix + "/temperature", numberPayload(), random.nextInt(2));
      } else if (pick < 80) {
        kind = Kind.JSON_MUTANT_PUBLISH;
        packet = publish(prefix + "/temperature", mutantJson(), random.nextInt(2));
      } else if (pick < 92) {
        kind = Kind.VALID_SUBSCRIBE;
        packet = subscribe(random.nextBoolean() ? "#" : prefix + "/+");
      } else {
        kind = Kind.PING;
        packet = new byte[] {(byte) 0xC0, 0};
      }
    } else if (pick < 15) {
      kind = Kind.INVALID_UTF8_TOPIC;
      packet = publishRawTopic(invalidUtf8(prefix), numberPayload());
    } else if (pick < 25) {
      kind = Kind.WILDCARD_TOPIC;
      packet = publish(prefix + (random.nextBoolean() ? "/+" : "/#"), numberPayload(), 0);
    } else if (pick < 45) {
      kind = Kind.BIT_FLIPPED;
      packet = flip(publish(prefix + "/temperature", numberPayload(), random.nextInt(3)));
    } else if (pick < 65) {
      kind = Kind.TRUNCATED;
      byte[] p = publish(prefix + "/temperature", mutantJson(), 1);
      packet = Arrays.copyOf(p, 1 + random.nextInt(p.length - 1));
    } else if (pick < 80) {
      kind = Kind.HUGE_REMAINING_LENGTH;
      packet = hugeLength(publish(prefix + "/temperature", numberPayload(), 0));
    } else if (pick < 90) {
      kind = Kind.WRONG_TYPE;
      // CONNACK, SUBACK, UNSUBACK, PINGRESP, a second CONNECT, type 0 and 15 (reserved)
      int[] types = {0x20, 0x90, 0xB0, 0xD0, 0x10, 0x00, 0xF0};
      packet = frame(types[random.nextInt(types.length)], randomBytes(random.nextInt(16)));
    } else {
      kind = Kind.RANDOM_BYTES;
      packet = randomBytes(1 + random.nextInt(128));
    }
    counts.merge(kind, 1L, Long::sum);
    return packet;
  }

  byte[] publish(String topic, byte[] payload, int qos) {
    return publishRawTopic(topic.getBytes(StandardCharsets.UTF_8), payload, qos);
  }

  private byte[] publishRawTopic(byte[] topic, byte[] payload) {
    return publishRawTopic(topic, payload, 0);
  }

  private byte[] publishRawTopic(byte[] topic, byte[] payload, int qos) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(topic.length >> 8);
    body.write(topic.length & 0xFF);
    body.writeBytes(topic);
    if (qos > 0) {
      int id = nextId();
      body.write(id >> 8);
      body.write(id & 0xFF);
    }
    body.writeBytes(payload);
    return frame(0x30 | (qos << 1), body.toByteArray());
  }

  private byte[] subscribe(String filter) {
    return subscribe(nextId(), filter, random.nextInt(2));
  }

  /** A valid SUBSCRIBE to one filter. */
  static byte[] subscribe(int packetId, String filter, int qos) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId & 0xFF);
    writeString(body, filter);
    body.write(qos);
    return frame(0x82, body.toByteArray());
  }

  private int nextId() {
    packetId = packetId == 65_535 ? 1 : packetId + 1;
    return packetId;
  }

  private byte[] numberPayload() {
    return switch (random.nextInt(4)) {
      case 0 -> Double.toString(random.nextGaussian() * 10 + 20).getBytes(StandardCharsets.UTF_8);
      case 1 -> ("{\"value\": " + (random.nextInt(40) + 5) + ", \"seq\": " + random.nextInt(1000) + "}")
          .getBytes(StandardCharsets.UTF_8);
      case 2 -> new byte[0];
      default -> randomBytes(random.nextInt(32));
    };
  }

  private static final String[] JSON_PIECES = {
    "{", "}", "[", "]", "\"value\"", ":", ",", "1e999", "-0", "NaN", "null", "true", "\"",
    "\\u0000", "\\ud800", "26.5", "{\"a\":", "99999999999999999999999", " ", "\"seq\""
  };

  private byte[] mutantJson() {
    StringBuilder json = new StringBuilder();
    int n = random.nextInt(20);
    for (int i = 0; i < n; i++) {
      json.append(JSON_PIECES[random.nextInt(JSON_PIECES.length)]);
    }
    if (random.nextInt(10) == 0) {
      json.append("[".repeat(random.nextInt(200)));
    }
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] invalidUtf8(String prefix) {
    byte[] base = (prefix + "/x").getBytes(StandardCharsets.UTF_8);
    byte[] bad =
        switch (random.nextInt(4)) {
          case 0 -> new byte[] {(byte) 0xC3, 0x28}; // broken two-byte sequence
          case 1 -> new byte[] {(byte) 0xFF};
          case 2 -> new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // a surrogate
          default -> new byte[] {0}; // NUL is forbidden in topics
        };
    byte[] topic = Arrays.copyOf(base, base.length + bad.length);
    System.arraycopy(bad, 0, topic, base.length, bad.length);
    return topic;
  }

  private byte[] flip(byte[] packet) {
    byte[] b = packet.clone();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(b.length);
      b[at] ^= (byte) (1 << random.nextInt(8));
    }
    return b;
  }

  /** The same packet announcing a remaining length of up to 268,435,455 bytes. */
  private byte[] hugeLength(byte[] packet) {
    int headerEnd = 1;
    while (headerEnd < packet.length && (packet[headerEnd] & 0x80) != 0) {
      headerEnd++;
    }
    byte[] huge =
        random.nextBoolean()
            ? new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}
            : new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}; // 5 bytes: invalid
    byte[] out = new byte[1 + huge.length + Math.max(0, packet.length - headerEnd - 1)];
    out[0] = packet[0];
    System.arraycopy(huge, 0, out, 1, huge.length);
    if (packet.length > headerEnd + 1) {
      System.arraycopy(packet, headerEnd + 1, out, 1 + huge.length, packet.length - headerEnd - 1);
    }
    return out;
  }

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }

  static byte[] frame(int header, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
    out.write(header);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }
}
