package io.floorgate.gateway.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link MoquetteLogFilter} adds to the log calls Moquette and Netty make for every message
 * and that the gateway's levels turn off. Logback consults a turbo filter before it looks at the
 * logger's level, so with the filter installed every disabled call reaches it; without turbo
 * filters logback returns at the level check. Moquette's loggers are at WARN, as {@code
 * LogDefaults} sets them. Run with {@code mvn -B -pl gateway -am -Pbench verify
 * -Djmh.args="LogFilterBenchmark"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class LogFilterBenchmark {
  /** none: no turbo filter, as logback starts; floorgate: the gateway's filter installed. */
  @Param({"none", "floorgate"})
  public String filter;

  private Logger postOffice;
  private Logger session;
  private String clientId = "line1-plc";
  private String topic = "plant/line1/sensor7/temperature";

  @Setup
  public void setUp() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.resetTurboFilterList();
    context.getLogger("io.moquette").setLevel(Level.WARN);
    if ("floorgate".equals(filter)) {
      MoquetteLogFilter.install();
    }
    if (context.getTurboFilterList().size() != ("floorgate".equals(filter) ? 1 : 0)) {
      throw new IllegalStateException("turbo filters: " + context.getTurboFilterList());
    }
    postOffice = LoggerFactory.getLogger("io.moquette.broker.PostOffice");
    session = LoggerFactory.getLogger("io.moquette.broker.Session");
  }

  /** A disabled DEBUG line with two arguments, as Moquette logs each publish it routes. */
  @Benchmark
  public void debugTwoArguments() {
    postOffice.debug("Sending PUBLISH message to {} on topic {}", clientId, topic);
  }

  /** A disabled TRACE line with one argument. */
  @Benchmark
  public void traceOneArgument() {
    session.trace("Sending message to {}", clientId);
  }

  /** A level check, as Netty's logger wrapper makes before building a line. */
  @Benchmark
  public boolean isDebugEnabled() {
    return postOffice.isDebugEnabled();
  }

  /**
   * A disabled INFO line on a logger whose lines the filter inspects: the filter's dearest case
   * for a line that is dropped anyway.
   */
  @Benchmark
  public void infoOnAnInspectedLogger() {
    session.info("Session {} has no subscription for topic {}", clientId, topic);
  }
}
