package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayStartExceptionTest {
  @Test
  void aFailureWithAnExplanation_keepsItsMessage_andIsNoBug() {
    IllegalStateException cause = new IllegalStateException("cannot listen for mqtt on 127.0.0.1:1883");

    GatewayStartException e = GatewayStartException.of(cause);

    assertThat(e.getMessage()).isEqualTo("cannot listen for mqtt on 127.0.0.1:1883");
    assertThat(e.bug()).isFalse();
    assertThat(e.getCause()).isSameAs(cause);
  }

  @Test
  void aProgrammingError_orOneWithoutAMessage_isABug_soItsTraceIsLogged() {
    assertThat(GatewayStartException.of(new NullPointerException()).bug()).isTrue();
    assertThat(GatewayStartException.of(new NullPointerException()).getMessage())
        .isEqualTo("java.lang.NullPointerException");
    assertThat(GatewayStartException.of(new ClassCastException("A cannot be cast to B")).bug()).isTrue();
    assertThat(GatewayStartException.of(new IndexOutOfBoundsException("Index 3 out of bounds")).bug()).isTrue();
    assertThat(GatewayStartException.of(new IllegalArgumentException()).bug()).isTrue();
    assertThat(new GatewayStartException("journal directory is not writable").bug()).isFalse();
  }
}
