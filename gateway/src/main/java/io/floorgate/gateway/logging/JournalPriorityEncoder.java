package io.floorgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * Prefixes each line with its syslog priority ({@code <3>} for ERROR ... {@code <7>} for DEBUG).
 * journald reads and strips the prefix from a service's stdout, so {@code journalctl -p warning}
 * shows warnings and errors, and errors are highlighted. journald stores each line as its own
 * entry, so every line of a multi-line message (a list of configuration problems, a stack trace)
 * gets the prefix. Only used when stdout is the journal.
 */
final class JournalPriorityEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] ERR = bytes("<3>");
  private static final byte[] WARNING = bytes("<4>");
  private static final byte[] INFO = bytes("<6>");
  private static final byte[] DEBUG = bytes("<7>");

  private final Encoder<ILoggingEvent> delegate;

  JournalPriorityEncoder(Encoder<ILoggingEvent> delegate) {
    this.delegate = delegate;
  }

  /** The prefix for {@code level}, as text (for tests). */
  static String prefix(Level level) {
    return new String(prefixBytes(level), StandardCharsets.US_ASCII);
  }

  private static byte[] prefixBytes(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> ERR;
      case Level.WARN_INT -> WARNING;
      case Level.INFO_INT -> INFO;
      default -> DEBUG;
    };
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    byte[] prefix = prefixBytes(event.getLevel());
    byte[] text = delegate.encode(event);
    if (text.length == 0) {
      return text;
    }
    int lines = 1;
    for (int i = 0; i < text.length - 1; i++) {
      if (text[i] == '\n') {
        lines++;
      }
    }
    byte[] out = new byte[lines * prefix.length + text.length];
    int at = 0;
    boolean lineStart = true;
    for (byte b : text) {
      if (lineStart) {
        System.arraycopy(prefix, 0, out, at, prefix.length);
        at += prefix.length;
      }
      out[at++] = b;
      lineStart = b == '\n';
    }
    return out;
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }

  @Override
  public void start() {
    delegate.start();
    super.start();
  }

  @Override
  public void stop() {
    delegate.stop();
    super.stop();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
