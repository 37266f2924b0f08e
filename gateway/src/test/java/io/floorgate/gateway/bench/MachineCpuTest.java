package io.floorgate.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineCpuTest {
  @Test
  void theCpuLine_splitsIntoBusyIdleAndSteal() {
    // user nice system idle iowait irq softirq steal guest guest_nice
    MachineCpu cpu = MachineCpu.parse("cpu  4251964 39578 641164 5812836 31981 0 126830 239706 0 0");

    assertThat(cpu)
        .isEqualTo(new MachineCpu(4251964 + 39578 + 641164 + 126830, 5812836 + 31981, 239706));
  }

  @Test
  void twoReadings_giveTheSharesOfTheTimeBetweenThem() {
    MachineCpu before = MachineCpu.parse("cpu 1000 0 200 5000 0 0 0 100 0 0");
    MachineCpu after = MachineCpu.parse("cpu 1688 0 375 5504 2 0 2 734 0 0");

    MachineCpu.Share share = before.until(after);

    // busy 688 + 175 + 2, idle 504 + 2, steal 634: 2005 ticks in all
    assertThat(share.busy()).isCloseTo(865 / 2005.0, within(1e-9));
    assertThat(share.steal()).isCloseTo(634 / 2005.0, within(1e-9));
  }

  @Test
  void aKernelWithoutTheStealField_readsAsNoSteal() {
    assertThat(MachineCpu.parse("cpu 10 0 5 100 1 0 2").steal()).isZero();
  }

  @Test
  void noTimeBetweenReadings_isUnknown_notADivisionByZero() {
    MachineCpu cpu = MachineCpu.parse("cpu 10 0 5 100 1 0 2 3");

    assertThat(cpu.until(cpu).steal()).isNaN();
  }

  @Test
  void anotherLine_isRefused_quotingIt() {
    assertThatThrownBy(() -> MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'cpu0 1 2 3 4 5 6 7 8'");
    assertThatThrownBy(() -> MachineCpu.parse("cpu 1 2 x 4 5 6 7 8"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thisLinuxMachine_hasAReading() {
    assertThat(MachineCpu.now()).isPresent();
  }
}
