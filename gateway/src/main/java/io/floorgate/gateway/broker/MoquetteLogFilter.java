package io.floorgate.gateway.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Turns Moquette's per-input log lines into counted refusals. Moquette 0.17 logs a multi-line
 * stack trace for every malformed packet and an ERROR for every publish the ACL refuses; a client
 * (or a fuzzer) sending garbage would flood the log and the disk. Instead: malformed packets are
 * counted as {@link Refusal#MALFORMED_PACKET} (and reported, rate-limited, like every other bad
 * input) and logged at DEBUG; ACL refusals are already counted by {@link AccessPolicy} and their
 * Moquette lines are dropped. Moquette's refusal of an MQTT 5 CONNECT (normally answered by the
 * front door already) becomes a line an operator can act on.
 *
 * <p>Logback filters are JVM-wide, so refusals are handed to every running broker's sink (one in
 * production).
 */
final class MoquetteLogFilter extends TurboFilter {
  static final String NAME = "floorgate-moquette";
  private static final String CONNECTION_LOGGER = "io.moquette.broker.MQTTConnection";
  private static final String HANDLER_LOGGER = "io.moquette.broker.NewNettyMQTTHandler";
  private static final String POST_OFFICE_LOGGER = "io.moquette.broker.PostOffice";
  private static final String AUTHORIZATOR_LOGGER = "io.moquette.broker.Authorizator";
  private static final String SESSION_LOGGER = "io.moquette.broker.Session";
  private static final String PROMISE_LOGGER = "io.netty.util.concurrent.DefaultPromise";
  private static final String PIPELINE_LOGGER = "io.netty.channel.DefaultChannelPipeline";
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(Broker.class);
  private static final List<RefusalSink> SINKS = new CopyOnWriteArrayList<>();

  /** Per-input lines from the access policy's refusals (already counted) and protocol noise. */
  private static final Set<String> DROPPED_PREFIXES =
      Set.of(
          "client is not authorized to publish on topic",
          "MQTT client: {} is not authorized to publish on topic",
          "MQTT client is not authorized to publish on topic",
          "Client does not have read permissions on the topic",
          "Received a PUBACK with not matching packetId",
          "Received a PUBREC with not matching packetId",
          "Received a PUBCOMP with not matching packetId",
          "DISCONNECT received on already closed connection",
          "SUBSCRIBE received on already closed connection");

  MoquetteLogFilter() {
    setName(NAME);
  }

  static void register(RefusalSink sink) {
    SINKS.add(sink);
  }

  static void unregister(RefusalSink sink) {
    SINKS.remove(sink);
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null || level.toInt() < Level.INFO_INT) {
      return FilterReply.NEUTRAL;
    }
    String name = logger.getName();
    if (CONNECTION_LOGGER.equals(name) && format.startsWith("MQTT protocol version is not valid")) {
      Object clientId = params != null && params.length > 0 ? params[0] : "?";
      LOG.warn(
          "refused MQTT client '{}': it asked for a protocol other than MQTT 3.1/3.1.1 (most"
              + " likely MQTT 5); Floorgate's embedded broker (Moquette 0.17) speaks MQTT 3.1 and"
              + " 3.1.1 only, so set the client to MQTT 3.1.1",
          clientId);
      return FilterReply.DENY;
    }
    if ((POST_OFFICE_LOGGER.equals(name)
            || AUTHORIZATOR_LOGGER.equals(name)
            || SESSION_LOGGER.equals(name)
            || CONNECTION_LOGGER.equals(name))
        && DROPPED_PREFIXES.stream().anyMatch(format::startsWith)) {
      return FilterReply.DENY;
    }
    if (PROMISE_LOGGER.equals(name) && format.startsWith("An exception was thrown by io.moquette.")) {
      // Moquette 0.17 throws SessionCorruptedException from its CONNACK listener when the client
      // vanished while connecting; Netty logs that with a stack trace. Nothing to act on.
      LOG.debug("Moquette: {}", t == null ? format : t.toString());
      return FilterReply.DENY;
    }
    if (PIPELINE_LOGGER.equals(name)
        && format.startsWith("An exceptionCaught() event was fired, and it reached at the tail")
        && exception(t, params) instanceof java.nio.channels.ClosedChannelException) {
      // Moquette 0.17 answers (PUBACK, SUBACK) on connections that the client already closed.
      return FilterReply.DENY;
    }
    boolean malformed =
        (HANDLER_LOGGER.equals(name)
                && (format.startsWith("Unexpected exception while processing MQTT message")
                    || format.startsWith("Error processing protocol message")))
            || (CONNECTION_LOGGER.equals(name) && format.startsWith("Unknown MessageType"))
            || (POST_OFFICE_LOGGER.equals(name)
                && (format.startsWith("Invalid topic format") || format.startsWith("Topic filter is not valid")))
            || (AUTHORIZATOR_LOGGER.equals(name) && format.startsWith("Topic filter is not valid"));
    if (malformed) {
      Throwable cause = t;
      if (cause == null && params != null && params.length > 0
          && params[params.length - 1] instanceof Throwable last) {
        cause = last; // slf4j passes the exception as the last argument
      }
      String why = cause == null ? format : rootCause(cause);
      LOG.debug("closed an MQTT connection: {}", why);
      if (cause != null && root(cause) instanceof java.io.IOException) {
        return FilterReply.DENY; // the peer went away (connection reset): not bad input
      }
      for (RefusalSink sink : SINKS) {
        try {
          sink.refused(Refusal.MALFORMED_PACKET, null, "?", "MQTT connection closed: " + why);
        } catch (RuntimeException e) {
          // counting must never break Moquette's thread
        }
      }
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  private static @org.jspecify.annotations.Nullable Throwable exception(
      @org.jspecify.annotations.Nullable Throwable t, Object @org.jspecify.annotations.Nullable [] params) {
    if (t != null) {
      return t;
    }
    return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last
        ? last
        : null;
  }

  private static Throwable root(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String rootCause(Throwable t) {
    Throwable root = root(t);
    String message = root.getMessage();
    if (message != null && message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    return root.getClass().getSimpleName() + ": " + message;
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
