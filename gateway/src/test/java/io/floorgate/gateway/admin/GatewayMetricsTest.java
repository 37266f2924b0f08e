package io.floorgate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GatewayMetricsTest {
  @Test
  void jvmMetrics_thatTheJvmCannotRead_areLeftOut_withOneWarning_andTheGatewayGoesOn() {
    Logger log = (Logger) LoggerFactory.getLogger(GatewayMetrics.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    try {
      PrometheusRegistry registry = new PrometheusRegistry();

      // What Java 17's cgroup v1 code throws where controllers are listed but not mounted.
      boolean registered =
          GatewayMetrics.registerJvmMetrics(registry, r -> {
            throw new NullPointerException();
          });

      assertThat(registered).isFalse();
      assertThat(appender.list).singleElement().satisfies(event -> {
        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getFormattedMessage())
            .isEqualTo("JVM and process metrics (jvm_*, process_*) are left out: the JVM cannot"
                + " read them here: java.lang.NullPointerException");
      });
    } finally {
      log.detachAppender(appender);
    }
  }

  @Test
  void jvmMetrics_areRegistered_whereTheJvmCanReadThem() {
    PrometheusRegistry registry = new PrometheusRegistry();

    boolean registered =
        GatewayMetrics.registerJvmMetrics(registry, r -> JvmMetrics.builder().register(r));

    assertThat(registered).isTrue();
    assertThat(registry.scrape().stream().map(s -> s.getMetadata().getName()))
        .contains("jvm_memory_used_bytes", "process_cpu_seconds");
  }
}
