package io.floorgate.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InlineInterceptionTest {
  private final InlineInterception.CallerRuns executor = new InlineInterception.CallerRuns();

  @Test
  void aTask_runsOnTheThreadThatSubmitsIt() {
    Thread[] ranOn = new Thread[1];

    executor.execute(() -> ranOn[0] = Thread.currentThread());

    assertThat(ranOn[0]).isSameAs(Thread.currentThread());
  }

  @Test
  void shutDown_refusesNewTasks_likeMoquettesPool() {
    executor.shutdown();

    assertThatThrownBy(() -> executor.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessage("Moquette's interceptor has stopped");
    assertThat(executor.isShutdown()).isTrue();
    assertThat(executor.isTerminated()).isTrue();
  }

  @Test
  void termination_waitsForATaskUnderWayOnAnotherThread() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread worker =
        new Thread(
            () ->
                executor.execute(
                    () -> {
                      started.countDown();
                      awaitQuietly(finish);
                    }),
            "test-session-loop");
    worker.start();
    started.await();

    executor.shutdown();

    assertThat(executor.isTerminated()).isFalse();
    assertThat(executor.awaitTermination(50, TimeUnit.MILLISECONDS)).isFalse();
    finish.countDown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(executor.isTerminated()).isTrue();
    worker.join();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
