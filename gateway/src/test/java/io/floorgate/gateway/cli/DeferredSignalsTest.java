package io.floorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/** The handler is called directly: real signals would stop the test JVM. */
class DeferredSignalsTest {
  private static final Signal TERM = new Signal("TERM");
  private static final Signal INT = new Signal("INT");
  private final List<Signal> passedOn = new ArrayList<>();

  @Test
  void aSignalWhileHolding_isReturnedByRestore_andNotPassedOn() {
    DeferredSignals deferred = DeferredSignals.hold(passedOn::add);

    deferred.received(TERM);

    assertThat(deferred.restore()).isEqualTo(TERM);
    assertThat(passedOn).isEmpty();
  }

  @Test
  void onlyTheFirstOfTwoSignals_isReturned() {
    DeferredSignals deferred = DeferredSignals.hold(passedOn::add);

    deferred.received(INT);
    deferred.received(TERM);

    assertThat(deferred.restore()).isEqualTo(INT);
    assertThat(passedOn).isEmpty();
  }

  @Test
  void aSignalWhoseHandlerRunsAfterRestore_isPassedOn_notLost() {
    DeferredSignals deferred = DeferredSignals.hold(passedOn::add);

    assertThat(deferred.restore()).isNull();
    deferred.received(TERM);

    assertThat(passedOn).containsExactly(TERM);
  }
}
