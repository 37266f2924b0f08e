package io.floorgate.gateway.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Holds back stop signals while the gateway starts. A JVM that begins shutting down mid-start
 * leaves libraries half-initialised (Chronicle registers its shutdown hook lazily and fails
 * with "Shutdown in progress") and has no gateway to close yet, so the journal is not closed
 * cleanly. Instead the first signal is remembered and honoured once the start has finished.
 */
final class DeferredSignals {
  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
  private final AtomicReference<Signal> received = new AtomicReference<>();

  private DeferredSignals() {}

  /** From now until {@link #restore()}, {@code names} (such as "TERM") are only recorded. */
  static DeferredSignals hold(String... names) {
    DeferredSignals deferred = new DeferredSignals();
    for (String name : names) {
      Signal signal = new Signal(name);
      deferred.previous.put(
          signal, Signal.handle(signal, s -> deferred.received.compareAndSet(null, s)));
    }
    return deferred;
  }

  /** Puts the previous handlers back; returns the first signal that arrived meanwhile, or null. */
  Signal restore() {
    previous.forEach(Signal::handle);
    return received.get();
  }
}
