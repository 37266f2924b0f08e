package io.floorgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.floorgate.gateway.config.LogConfig;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Logback's configuration until {@code floorgate run} applies the configured one ({@link
 * LogSetup}), and for the other commands: one line per event on stdout; {@code io.floorgate} at
 * INFO (or {@code -Dfloorgate.log.level}); the libraries at WARN and Moquette's packet logger off,
 * whatever {@code log.level} says later, so raising it never logs payloads or passwords.
 *
 * <p>It is built in code, found through {@code META-INF/services}, rather than read from a {@code
 * logback.xml}: Joran, logback's XML configurator, cost about a quarter of a second of every
 * start. A {@code logback-test.xml} on the class path, or {@code -Dlogback.configurationFile},
 * is still Joran's.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogDefaults extends ContextAwareBase implements Configurator {
  /** Library loggers and their fixed levels (Moquette logs every packet at INFO). */
  static final Map<String, Level> LIBRARIES =
      Map.of(
          "io.moquette", Level.WARN,
          "io.moquette.broker.metrics.MQTTMessageLogger", Level.OFF,
          "net.openhft", Level.WARN,
          "io.netty", Level.WARN,
          "com.hivemq", Level.WARN);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    boolean fileGiven =
        System.getProperty("logback.configurationFile") != null
            || LogDefaults.class.getClassLoader().getResource("logback-test.xml") != null;
    return configure(context, fileGiven, System.getProperty(LogSetup.LEVEL_PROPERTY));
  }

  /** {@code fileGiven}: a configuration file is there for Joran; {@code level}: the property. */
  static ExecutionStatus configure(
      LoggerContext context, boolean fileGiven, @Nullable String level) {
    if (fileGiven) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogSetup.install(context, LogConfig.Format.TEXT, false);
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    context.getLogger("io.floorgate").setLevel(Level.toLevel(level, Level.INFO));
    LIBRARIES.forEach((name, fixed) -> context.getLogger(name).setLevel(fixed));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
