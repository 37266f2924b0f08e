package io.floorgate.journal;

/** A journal record that cannot be decoded: bad checksum, unknown version or type, truncated. */
public final class CorruptRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CorruptRecordException(String message) {
    super(message);
  }
}
