package io.floorgate.gateway.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Rewrites Moquette's terse refusal of an MQTT 5 client ("MQTT protocol version is not valid") as
 * a line an operator can act on. Moquette 0.17 answers such a CONNECT with "unacceptable protocol
 * version" and closes the connection; nothing else tells the operator why the device cannot
 * connect.
 */
final class MoquetteLogFilter extends TurboFilter {
  static final String NAME = "floorgate-moquette";
  private static final String CONNECTION_LOGGER = "io.moquette.broker.MQTTConnection";
  private static final String HANDLER_LOGGER = "io.moquette.broker.NewNettyMQTTHandler";
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(Broker.class);

  MoquetteLogFilter() {
    setName(NAME);
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format != null
        && CONNECTION_LOGGER.equals(logger.getName())
        && format.startsWith("MQTT protocol version is not valid")) {
      Object clientId = params != null && params.length > 0 ? params[0] : "?";
      LOG.warn(
          "refused MQTT client '{}': it asked for a protocol other than MQTT 3.1/3.1.1 (most"
              + " likely MQTT 5); Floorgate's embedded broker (Moquette 0.17) speaks MQTT 3.1 and"
              + " 3.1.1 only, so set the client to MQTT 3.1.1",
          clientId);
      return FilterReply.DENY;
    }
    if (format != null
        && HANDLER_LOGGER.equals(logger.getName())
        && format.startsWith("Unexpected exception while processing MQTT message")) {
      // Moquette logs a multi-line stack trace for every malformed or oversized packet; one line
      // with the reason is what an operator needs.
      Object clientId = params != null && params.length > 0 ? params[0] : "?";
      Throwable cause = t;
      if (cause == null && params != null && params[params.length - 1] instanceof Throwable last) {
        cause = last; // slf4j passes the exception as the last argument
      }
      LOG.warn(
          "closed the connection of MQTT client '{}': {}",
          clientId,
          cause == null ? "malformed packet" : rootCause(cause));
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  private static String rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** Installs the filter once, when logback is the logging backend. */
  static void install() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      synchronized (context) {
        boolean present =
            context.getTurboFilterList().stream().anyMatch(f -> NAME.equals(f.getName()));
        if (!present) {
          MoquetteLogFilter filter = new MoquetteLogFilter();
          filter.start();
          context.addTurboFilter(filter);
        }
      }
    }
  }
}
