package io.floorgate.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The binary form of a record inside one Chronicle Queue document (see {@code README.md} beside
 * this class):
 *
 * <pre>
 * u8  version (1)
 * u8  type    ('E' event, 'A' ack, 'C' clear)
 * u32 CRC32C of the body
 * body:
 *   E: i64 timestamp micros, str event_id, str category, str severity, u32 length, JSON bytes
 *   A: i64 at micros, str event_id
 *   C: i64 at micros, i64 cutoff micros (Long.MAX_VALUE = all)
 *   R: i64 at micros, str who, str sha256, u32 length, rule file text (UTF-8)
 * str = u16 length + UTF-8 bytes; numbers big-endian
 * </pre>
 *
 * <p>The checksum catches a torn or overwritten record that Chronicle's own framing would pass.
 * Encoding goes into a per-thread {@link Scratch} buffer so that appending allocates nothing.
 */
final class RecordCodec {
  static final byte VERSION = 1;
  static final byte EVENT = 'E';
  static final byte ACK = 'A';
  static final byte CLEAR = 'C';
  static final byte RULES = 'R';
  private static final int HEADER = 6;

  private RecordCodec() {}

  /** A reusable encoding buffer; one per thread. */
  static final class Scratch {
    byte[] buf = new byte[1024];
    int pos;
    final CRC32C crc = new CRC32C();

    void ensure(int more) {
      if (pos + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
      }
    }

    void u8(int v) {
      ensure(1);
      buf[pos++] = (byte) v;
    }

    void i32(int v) {
      ensure(4);
      buf[pos++] = (byte) (v >>> 24);
      buf[pos++] = (byte) (v >>> 16);
      buf[pos++] = (byte) (v >>> 8);
      buf[pos++] = (byte) v;
    }

    void i64(long v) {
      i32((int) (v >>> 32));
      i32((int) v);
    }

    void bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    void str(String s) {
      int n = s.length();
      ensure(2 + n);
      int lengthAt = pos;
      pos += 2;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          // Not ASCII: start this string over the slow way.
          pos = lengthAt;
          byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
          if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string of " + utf8.length + " bytes is too long");
          }
          ensure(2 + utf8.length);
          buf[pos++] = (byte) (utf8.length >>> 8);
          buf[pos++] = (byte) utf8.length;
          bytes(utf8);
          return;
        }
        buf[pos++] = (byte) c;
      }
      if (n > 0xFFFF) {
        throw new IllegalArgumentException("string of " + n + " bytes is too long");
      }
      buf[lengthAt] = (byte) (n >>> 8);
      buf[lengthAt + 1] = (byte) n;
    }
  }

  /** Encodes {@code record} into {@code out} from position 0; returns the length. */
  static int encodeInto(JournalRecord record, Scratch out) {
    out.pos = HEADER;
    byte type;
    if (record instanceof JournalRecord.EventRecord event) {
      out.i64(event.timestampMicros());
      out.str(event.eventId());
      out.str(event.category());
      out.str(event.severity());
      out.i32(event.json().length);
      out.bytes(event.json());
      type = EVENT;
    } else if (record instanceof JournalRecord.AckRecord ack) {
      out.i64(ack.atMicros());
      out.str(ack.eventId());
      type = ACK;
    } else if (record instanceof JournalRecord.RulesRecord rules) {
      out.i64(rules.atMicros());
      out.str(rules.who());
      out.str(rules.sha256());
      out.i32(rules.text().length);
      out.bytes(rules.text());
      type = RULES;
    } else {
      JournalRecord.ClearRecord clear = (JournalRecord.ClearRecord) record;
      out.i64(clear.atMicros());
      out.i64(clear.cutoffMicros());
      type = CLEAR;
    }
    int length = out.pos;
    out.crc.reset();
    out.crc.update(out.buf, HEADER, length - HEADER);
    out.pos = 0;
    out.u8(VERSION);
    out.u8(type);
    out.i32((int) out.crc.getValue());
    out.pos = length;
    return length;
  }

  /** The encoded record as a new array. */
  static byte[] encode(JournalRecord record) {
    Scratch scratch = new Scratch();
    int length = encodeInto(record, scratch); // before reading scratch.buf, which it may replace
    return Arrays.copyOf(scratch.buf, length);
  }

  static JournalRecord decode(byte[] bytes) {
    if (bytes.length < HEADER) {
      throw new CorruptRecordException("record of " + bytes.length + " bytes is too short");
    }
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version != VERSION) {
      throw new CorruptRecordException("unknown record version " + version);
    }
    byte type = in.get();
    int expected = in.getInt();
    CRC32C crc = new CRC32C();
    crc.update(bytes, HEADER, bytes.length - HEADER);
    if ((int) crc.getValue() != expected) {
      throw new CorruptRecordException("checksum mismatch (torn or overwritten record)");
    }
    try {
      return switch (type) {
        case EVENT -> {
          long ts = in.getLong();
          String id = getString(in);
          String category = getString(in);
          String severity = getString(in);
          byte[] json = new byte[in.getInt()];
          in.get(json);
          yield new JournalRecord.EventRecord(ts, id, category, severity, json);
        }
        case ACK -> new JournalRecord.AckRecord(in.getLong(), getString(in));
        case CLEAR -> new JournalRecord.ClearRecord(in.getLong(), in.getLong());
        case RULES -> {
          long at = in.getLong();
          String who = getString(in);
          String sha = getString(in);
          byte[] text = new byte[in.getInt()];
          in.get(text);
          yield new JournalRecord.RulesRecord(at, who, sha, text);
        }
        default -> throw new CorruptRecordException("unknown record type " + type);
      };
    } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
      throw new CorruptRecordException("truncated record of type " + (char) type);
    }
  }

  private static String getString(java.nio.ByteBuffer in) {
    byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
