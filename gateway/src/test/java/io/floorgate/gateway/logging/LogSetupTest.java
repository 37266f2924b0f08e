package io.floorgate.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floorgate.gateway.config.LogConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Log format, level and journald detection, on a logger context of the test's own. */
class LogSetupTest {
  private final LoggerContext context = new LoggerContext();

  @AfterEach
  void stop() {
    context.stop();
  }

  private String encode(LogConfig.Format format, boolean journal, ILoggingEvent event) {
    Encoder<ILoggingEvent> encoder = LogSetup.encoder(context, format, journal);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  private LoggingEvent event(Level level, String message, Object... args) {
    Logger logger = context.getLogger("io.floorgate.gateway.Gateway");
    LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, message, null, args);
    event.setThreadName("main");
    return event;
  }

  @Test
  void text_underTheJournal_hasNoTimestamp_andStartsWithThePriority() {
    String line = encode(LogConfig.Format.TEXT, true, event(Level.WARN, "port {} busy", 1883));

    assertThat(line).isEqualTo("<4>WARN  [main] i.f.gateway.Gateway - port 1883 busy\n");
  }

  @Test
  void text_outsideTheJournal_startsWithTheTimestamp_andHasNoPriority() {
    String line = encode(LogConfig.Format.TEXT, false, event(Level.INFO, "started"));

    assertThat(line)
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  .*\n")
        .endsWith(" INFO  [main] i.f.gateway.Gateway - started\n");
  }

  @Test
  void text_underTheJournal_everyLineOfAMultiLineMessageCarriesThePriority() {
    String text =
        encode(
            LogConfig.Format.TEXT,
            true,
            event(Level.ERROR, "c.yaml has 2 problem(s):\n  c.yaml:1:1: a\n  c.yaml:2:1: b"));

    assertThat(text.lines().toList())
        .containsExactly(
            "<3>ERROR [main] i.f.gateway.Gateway - c.yaml has 2 problem(s):",
            "<3>  c.yaml:1:1: a",
            "<3>  c.yaml:2:1: b");
    assertThat(text).endsWith("b\n").doesNotEndWith("<3>");
  }

  @Test
  void priority_followsSyslogLevels() {
    assertThat(JournalPriorityEncoder.prefix(Level.ERROR)).isEqualTo("<3>");
    assertThat(JournalPriorityEncoder.prefix(Level.WARN)).isEqualTo("<4>");
    assertThat(JournalPriorityEncoder.prefix(Level.INFO)).isEqualTo("<6>");
    assertThat(JournalPriorityEncoder.prefix(Level.DEBUG)).isEqualTo("<7>");
    assertThat(JournalPriorityEncoder.prefix(Level.TRACE)).isEqualTo("<7>");
  }

  @Test
  void json_isOneObjectPerLine_withTheFormattedMessage_andNeitherArgumentsNorContext()
      throws Exception {
    context.putProperty("some.context.property", "not for the log");
    String text = encode(LogConfig.Format.JSON, false, event(Level.INFO, "rules={}", 4));

    assertThat(text).endsWith("\n");
    assertThat(text.strip()).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(text);
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("loggerName").asText()).isEqualTo("io.floorgate.gateway.Gateway");
    assertThat(json.get("threadName").asText()).isEqualTo("main");
    assertThat(json.get("formattedMessage").asText()).isEqualTo("rules=4");
    assertThat(json.get("timestamp").asLong()).isPositive();
    List<String> fields = new ArrayList<>();
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      fields.add(names.next());
    }
    assertThat(fields)
        .doesNotContain("context", "arguments", "message", "mdc", "sequenceNumber");
    assertThat(text).doesNotContain("not for the log");
  }

  @Test
  void json_underTheJournal_isPrefixedWithThePriority() throws Exception {
    String text = encode(LogConfig.Format.JSON, true, event(Level.ERROR, "bind failed"));

    assertThat(text).startsWith("<3>{");
    assertThat(new ObjectMapper().readTree(text.substring(3)).get("formattedMessage").asText())
        .isEqualTo("bind failed");
  }

  @Test
  void journal_isDetectedOnlyWhenJournalStreamNamesStdout() {
    assertThat(LogSetup.stdoutIsJournal(Map.of(), Optional.of("8:42"))).isFalse();
    assertThat(LogSetup.stdoutIsJournal(Map.of("JOURNAL_STREAM", ""), Optional.of("8:42")))
        .isFalse();
    assertThat(LogSetup.stdoutIsJournal(Map.of("JOURNAL_STREAM", "8:42"), Optional.of("8:42")))
        .isTrue();
    // stdout was redirected (e.g. `floorgate run > file` inside a unit): not the journal.
    assertThat(LogSetup.stdoutIsJournal(Map.of("JOURNAL_STREAM", "8:42"), Optional.of("8:43")))
        .isFalse();
    // stdout cannot be examined: the variable decides.
    assertThat(LogSetup.stdoutIsJournal(Map.of("JOURNAL_STREAM", "8:42"), Optional.empty()))
        .isTrue();
  }

  @Test
  void stdoutId_isDeviceAndInode() {
    assertThat(LogSetup.stdoutId()).hasValueSatisfying(id -> assertThat(id).matches("\\d+:\\d+"));
  }

  @Test
  void systemProperty_winsOverTheConfiguredLevel() {
    LogConfig config = new LogConfig(LogConfig.Level.WARN, LogConfig.Format.TEXT);

    assertThat(LogSetup.effectiveLevel(config, null)).isEqualTo(LogConfig.Level.WARN);
    assertThat(LogSetup.effectiveLevel(config, " ")).isEqualTo(LogConfig.Level.WARN);
    assertThat(LogSetup.effectiveLevel(config, "DEBUG")).isEqualTo(LogConfig.Level.DEBUG);
  }

  @Test
  void badSystemProperty_isRejectedNamingThePropertyAndTheValue() {
    assertThatThrownBy(() -> LogSetup.effectiveLevel(LogConfig.DEFAULTS, "loud"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "-Dfloorgate.log.level: level must be one of [error, warn, info, debug, trace], but"
                + " was 'loud'");
  }

  @Test
  void apply_setsFloorgatesLevel_leavesLibrariesAlone_andReplacesTheStdoutAppender() {
    context.getLogger("io.moquette").setLevel(Level.WARN);
    context.getLogger("io.moquette.broker.metrics.MQTTMessageLogger").setLevel(Level.OFF);
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    LogSetup.apply(context, LogConfig.Level.TRACE, LogConfig.Format.TEXT, false);
    Appender<ILoggingEvent> first = root.getAppender(LogSetup.APPENDER);
    LogSetup.apply(context, LogConfig.Level.DEBUG, LogConfig.Format.JSON, true);

    assertThat(context.getLogger("io.floorgate").getLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("io.floorgate.gateway.broker").getEffectiveLevel())
        .isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("io.moquette.broker").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.moquette.broker.metrics.MQTTMessageLogger").getLevel())
        .isEqualTo(Level.OFF);
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(appenders::add);
    assertThat(appenders).hasSize(1).doesNotContain(first);
    assertThat(appenders.get(0).getName()).isEqualTo(LogSetup.APPENDER);
    assertThat(appenders.get(0).isStarted()).isTrue();
    assertThat(first.isStarted()).isFalse();
  }
}
