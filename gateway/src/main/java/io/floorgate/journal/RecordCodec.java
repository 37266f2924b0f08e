package io.floorgate.journal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * str = u16 length + UTF-8 bytes
 * </pre>
 *
 * <p>The checksum catches a torn or overwritten record that Chronicle's own framing would pass.
 */
final class RecordCodec {
  static final byte VERSION = 1;
  static final byte EVENT = 'E';
  static final byte ACK = 'A';
  static final byte CLEAR = 'C';
  private static final int HEADER = 6;

  private RecordCodec() {}

  static byte[] encode(JournalRecord record) {
    ByteBuffer body;
    byte type;
    if (record instanceof JournalRecord.EventRecord event) {
      byte[] id = utf8(event.eventId());
      byte[] category = utf8(event.category());
      byte[] severity = utf8(event.severity());
      body =
          ByteBuffer.allocate(
              8 + 2 + id.length + 2 + category.length + 2 + severity.length + 4
                  + event.json().length);
      body.putLong(event.timestampMicros());
      putString(body, id);
      putString(body, category);
      putString(body, severity);
      body.putInt(event.json().length).put(event.json());
      type = EVENT;
    } else if (record instanceof JournalRecord.AckRecord ack) {
      byte[] id = utf8(ack.eventId());
      body = ByteBuffer.allocate(8 + 2 + id.length);
      body.putLong(ack.atMicros());
      putString(body, id);
      type = ACK;
    } else {
      JournalRecord.ClearRecord clear = (JournalRecord.ClearRecord) record;
      body = ByteBuffer.allocate(16);
      body.putLong(clear.atMicros()).putLong(clear.cutoffMicros());
      type = CLEAR;
    }
    byte[] bytes = new byte[HEADER + body.capacity()];
    System.arraycopy(body.array(), 0, bytes, HEADER, body.capacity());
    CRC32C crc = new CRC32C();
    crc.update(bytes, HEADER, body.capacity());
    ByteBuffer.wrap(bytes).put(VERSION).put(type).putInt((int) crc.getValue());
    return bytes;
  }

  static JournalRecord decode(byte[] bytes) {
    if (bytes.length < HEADER) {
      throw new CorruptRecordException("record of " + bytes.length + " bytes is too short");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
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
        default -> throw new CorruptRecordException("unknown record type " + type);
      };
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new CorruptRecordException("truncated record of type " + (char) type);
    }
  }

  private static byte[] utf8(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0xFFFF) {
      throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long");
    }
    return bytes;
  }

  private static void putString(ByteBuffer out, byte[] utf8) {
    out.putShort((short) utf8.length).put(utf8);
  }

  private static String getString(ByteBuffer in) {
    byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
