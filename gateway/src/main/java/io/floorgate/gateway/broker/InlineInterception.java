package io.floorgate.gateway.broker;

import io.moquette.broker.Server;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Has Moquette tell the gateway's interceptor what happened on the thread where it happened,
 * instead of on an interceptor thread of its own.
 *
 * <p>Moquette 0.17's {@code BrokerInterceptor} hands every notification, each publish included,
 * to a thread pool (one thread here), with or without a handler to run. At 5,000 msg/s from 10
 * devices that thread woke for nearly every message: 2.6-3.7 CPU s of a measured minute in bare
 * Moquette, which runs nothing on it, and 3.9-4.1 s in the gateway (docs/benchmarks.md). The
 * gateway's handler never blocks (it copies the payload, offers the copy to the ingest queue,
 * which drops and counts when full, and releases Moquette's buffer), so it can run on the calling
 * thread: the session loop that routed the publish, or the network thread that sent the CONNACK.
 * A client's messages keep their order: Moquette routes them all on one session loop, and the
 * ingest queue takes offers from any thread.
 *
 * <p>The pool is a private final field of {@code BrokerInterceptor} in 0.17, so it is replaced by
 * reflection, once, after Moquette has started and before any client can reach it; a Moquette
 * whose internals differ fails the start, naming the part it could not find.
 */
final class InlineInterception {
  private InlineInterception() {}

  /**
   * Replaces the interceptor pool of {@code server}, started and with no client yet, by {@link
   * CallerRuns}, and shuts the pool down.
   *
   * @throws IllegalStateException naming the Moquette internal that is not where 0.17 has it
   */
  static void install(Server server) {
    String step = "Server.interceptor";
    try {
      Field interceptorField = Server.class.getDeclaredField("interceptor");
      interceptorField.setAccessible(true);
      Object interceptor = interceptorField.get(server);
      if (interceptor == null) {
        throw new IllegalStateException("Moquette has not started: it has no interceptor yet");
      }
      step = "BrokerInterceptor.executor";
      Field executorField = interceptor.getClass().getDeclaredField("executor");
      executorField.setAccessible(true);
      ExecutorService pool = (ExecutorService) executorField.get(interceptor);
      executorField.set(interceptor, new CallerRuns());
      // Nothing has been queued (no client has connected), so this ends the pool at once.
      pool.shutdown();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "cannot reach Moquette's interceptor: " + step + ": " + e
              + " (this build of Floorgate needs Moquette 0.17's internals)",
          e);
    }
  }

  /**
   * Runs each task on the thread that submits it. Shut down, it refuses new tasks as Moquette's
   * pool would and is terminated once the tasks under way on other threads have returned.
   */
  static final class CallerRuns extends AbstractExecutorService {
    private final Object lock = new Object();
    private int running;
    private boolean shutdown;

    @Override
    public void execute(Runnable task) {
      synchronized (lock) {
        if (shutdown) {
          throw new RejectedExecutionException("Moquette's interceptor has stopped");
        }
        running++;
      }
      try {
        task.run();
      } finally {
        synchronized (lock) {
          if (--running == 0 && shutdown) {
            lock.notifyAll();
          }
        }
      }
    }

    @Override
    public void shutdown() {
      synchronized (lock) {
        shutdown = true;
        if (running == 0) {
          lock.notifyAll();
        }
      }
    }

    /** Nothing is queued, so there is nothing to return; tasks under way run to their end. */
    @Override
    public List<Runnable> shutdownNow() {
      shutdown();
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      synchronized (lock) {
        return shutdown;
      }
    }

    @Override
    public boolean isTerminated() {
      synchronized (lock) {
        return shutdown && running == 0;
      }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      long deadline = System.nanoTime() + unit.toNanos(timeout);
      synchronized (lock) {
        while (!(shutdown && running == 0)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        }
        return true;
      }
    }
  }
}
