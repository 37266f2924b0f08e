package io.floorgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.floorgate.gateway.config.LogConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Points logback's stdout appender at the configured format and sets Floorgate's level. Called
 * on the main thread before the gateway starts (nothing else logs yet).
 *
 * <ul>
 *   <li>Text: {@code 2026-11-29T23:12:11.163Z INFO  [main] i.f.gateway.Gateway - message}. When
 *       stdout is the journal (systemd's {@code JOURNAL_STREAM} names it), the timestamp is left
 *       out (journald adds its own) and each line starts with its syslog priority, which journald
 *       strips and stores, so {@code journalctl -p warning} works.
 *   <li>JSON: one object per line with {@code timestamp} (ms), {@code level}, {@code threadName},
 *       {@code loggerName}, {@code formattedMessage} and, for an exception, {@code throwable}.
 *       Neither the logback context nor the raw arguments are written.
 * </ul>
 *
 * <p>The level applies to {@code io.floorgate} only; library loggers stay at WARN (and Moquette's
 * packet logger off) whatever it says, so raising it never logs payloads or passwords.
 */
public final class LogSetup {
  /** The system property that overrides {@code log.level} (e.g. in a systemd drop-in). */
  public static final String LEVEL_PROPERTY = "floorgate.log.level";

  static final String APPENDER = "STDOUT";
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n";
  static final String JOURNAL_PATTERN = "%-5level [%thread] %logger{24} - %msg%n";

  private LogSetup() {}

  /**
   * Before the configuration is read: journald conventions when stdout is the journal, so that
   * configuration problems are logged the same way as everything after.
   */
  public static void early() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      install(context, LogConfig.Format.TEXT, stdoutIsJournal(System.getenv(), stdoutId()));
    }
  }

  /**
   * Applies {@code config}; the {@value #LEVEL_PROPERTY} system property, when set, wins over
   * {@code log.level}.
   *
   * @return what was applied, for the start-up log: {@code "info, text, journald"}
   * @throws IllegalArgumentException when the system property is not a level; it names the
   *     property and the value
   */
  public static String apply(LogConfig config) {
    LogConfig.Level level = effectiveLevel(config, System.getProperty(LEVEL_PROPERTY));
    boolean journal = stdoutIsJournal(System.getenv(), stdoutId());
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      apply(context, level, config.format(), journal);
    }
    return level + ", " + config.format() + (journal ? ", journald" : "");
  }

  /** The level to use: the system property's when set, else {@code log.level}. */
  static LogConfig.Level effectiveLevel(LogConfig config, @Nullable String property) {
    if (property == null || property.isBlank()) {
      return config.level();
    }
    try {
      return LogConfig.Level.parse(property);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-D" + LEVEL_PROPERTY + ": " + e.getMessage(), e);
    }
  }

  static void apply(
      LoggerContext context, LogConfig.Level level, LogConfig.Format format, boolean journal) {
    context.getLogger("io.floorgate").setLevel(Level.toLevel(level.name()));
    install(context, format, journal);
  }

  /** Replaces the stdout appender with one using {@code format}. */
  static void install(LoggerContext context, LogConfig.Format format, boolean journal) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.setEncoder(encoder(context, format, journal));
    appender.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> old = root.getAppender(APPENDER);
    root.addAppender(appender);
    if (old != null) {
      root.detachAppender(old);
      old.stop();
    }
  }

  /** The encoder for {@code format}; {@code journal}: stdout is journald. */
  static Encoder<ILoggingEvent> encoder(
      LoggerContext context, LogConfig.Format format, boolean journal) {
    Encoder<ILoggingEvent> encoder;
    if (format == LogConfig.Format.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithMDC(false);
      json.setWithKVPList(false);
      json.setWithMarkers(false);
      json.setWithFormattedMessage(true);
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(journal ? JOURNAL_PATTERN : TEXT_PATTERN);
      text.setCharset(StandardCharsets.UTF_8);
      encoder = text;
    }
    encoder.setContext(context);
    if (journal) {
      encoder = new JournalPriorityEncoder(encoder);
      encoder.setContext(context);
    }
    encoder.start();
    return encoder;
  }

  /**
   * True when stdout is the journal: systemd sets {@code JOURNAL_STREAM=DEV:INODE} of the stream
   * it connected, which a redirected stdout no longer is. When stdout cannot be examined, the
   * variable alone decides.
   */
  static boolean stdoutIsJournal(Map<String, String> env, Optional<String> stdoutId) {
    String stream = env.get("JOURNAL_STREAM");
    if (stream == null || stream.isBlank()) {
      return false;
    }
    return stdoutId.map(stream.trim()::equals).orElse(true);
  }

  /** {@code DEV:INODE} of this process's stdout, when the platform tells. */
  static Optional<String> stdoutId() {
    try {
      Map<String, Object> attributes =
          Files.readAttributes(Path.of("/proc/self/fd/1"), "unix:dev,ino");
      return Optional.of(attributes.get("dev") + ":" + attributes.get("ino"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
