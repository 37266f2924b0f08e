package io.floorgate.gateway.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Holds back stop signals while the gateway starts. A JVM that begins shutting down mid-start
 * leaves libraries half-initialised (Chronicle registers its shutdown hook lazily and fails
 * with "Shutdown in progress") and has no gateway to close yet, so the journal is not closed
 * cleanly. Instead the first signal is remembered and honoured once the start has finished.
 *
 * <p>The JVM runs a signal's handler on a thread of its own, so the handler may run only after
 * {@link #restore()} although the signal came before it. Such a late signal is not lost: it is
 * raised again, for the handlers {@link #restore()} put back.
 */
final class DeferredSignals {
  /** The state before a signal arrives, and after {@link #restore()}. */
  private static final Object HOLDING = new Object();
  private static final Object RELEASED = new Object();

  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
  /** HOLDING, then the first signal received, or RELEASED. */
  private final AtomicReference<Object> state = new AtomicReference<>(HOLDING);
  private final Consumer<Signal> late;

  private DeferredSignals(Consumer<Signal> late) {
    this.late = late;
  }

  /** From now until {@link #restore()}, {@code names} (such as "TERM") are only recorded. */
  static DeferredSignals hold(String... names) {
    return hold(Signal::raise, names);
  }

  /** {@link #hold(String...)}; {@code late} gets a signal whose handler ran after restore. */
  static DeferredSignals hold(Consumer<Signal> late, String... names) {
    DeferredSignals deferred = new DeferredSignals(late);
    for (String name : names) {
      Signal signal = new Signal(name);
      deferred.previous.put(signal, Signal.handle(signal, deferred::received));
    }
    return deferred;
  }

  /** The handler: records the first signal; after {@link #restore()}, passes it on. */
  void received(Signal signal) {
    if (!state.compareAndSet(HOLDING, signal) && state.get() == RELEASED) {
      late.accept(signal);
    }
  }

  /** Puts the previous handlers back; returns the first signal that arrived meanwhile, or null. */
  Signal restore() {
    previous.forEach(Signal::handle);
    Object was = state.getAndSet(RELEASED);
    return was instanceof Signal signal ? signal : null;
  }
}
