package io.floorgate.gateway.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the gateway logs (the {@code log} section). Lines always go to stdout, one per message;
 * under systemd journald stores them.
 *
 * @param level the level of Floorgate's own loggers ({@code io.floorgate}); libraries stay at
 *     WARN whatever this says, so raising it never makes the broker log packets or passwords
 * @param format text lines or JSON lines
 */
public record LogConfig(Level level, Format format) {
  /** INFO, text. */
  public static final LogConfig DEFAULTS = new LogConfig(Level.INFO, Format.TEXT);

  /** {@code log.level}. */
  public enum Level {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace} in any
     * case.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Level parse(String text) {
      for (Level level : values()) {
        if (level.value().equalsIgnoreCase(text.trim())) {
          return level;
        }
      }
      throw new IllegalArgumentException(
          "level must be one of "
              + Arrays.stream(values()).map(Level::value).toList()
              + ", but was '"
              + text
              + "'");
    }

    @Override
    public String toString() {
      return value();
    }
  }

  /** {@code log.format}. */
  public enum Format {
    /** One human-readable line per message. */
    TEXT,
    /** One JSON object per line, for log shippers. */
    JSON;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code text} or {@code json} in any case.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Format parse(String text) {
      for (Format format : values()) {
        if (format.value().equalsIgnoreCase(text.trim())) {
          return format;
        }
      }
      throw new IllegalArgumentException(
          "format must be one of [text, json], but was '" + text + "'");
    }

    @Override
    public String toString() {
      return value();
    }
  }
}
