package io.floorgate.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

class LogDefaultsTest {
  @Test
  void withNoFile_floorgateLogsAtInfo_librariesAtWarn_moquettePacketsNever_toStdout() {
    LoggerContext context = new LoggerContext();

    assertThat(LogDefaults.configure(context, false, null))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    assertThat(context.getLogger("io.floorgate.gateway.Gateway").getEffectiveLevel())
        .isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.moquette.broker.PostOffice").getEffectiveLevel())
        .isEqualTo(Level.WARN);
    assertThat(
            context.getLogger("io.moquette.broker.metrics.MQTTMessageLogger").getEffectiveLevel())
        .isEqualTo(Level.OFF);
    assertThat(context.getLogger("io.netty.channel.nio.NioEventLoop").getEffectiveLevel())
        .isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.h2.mvstore").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(LogSetup.APPENDER))
        .isInstanceOf(ConsoleAppender.class)
        .matches(a -> a.isStarted());
  }

  @Test
  void theLevelProperty_setsFloorgatesLevel_only() {
    LoggerContext context = new LoggerContext();

    LogDefaults.configure(context, false, "DEBUG");

    assertThat(context.getLogger("io.floorgate.gateway.Gateway").getEffectiveLevel())
        .isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("io.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void aConfigurationFile_isLeftToLogback() {
    LoggerContext context = new LoggerContext();

    assertThat(LogDefaults.configure(context, true, null))
        .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(LogSetup.APPENDER))
        .isNull();
  }
}
