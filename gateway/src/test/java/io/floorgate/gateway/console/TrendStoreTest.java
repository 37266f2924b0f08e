package io.floorgate.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TrendStoreTest {
  private static final long T0 = 1_800_000_000_000L;

  @Test
  void points_areThoseWithinTheWindowBeforeNow_oldestFirst() {
    TrendStore store = new TrendStore(Duration.ofMinutes(15), 100, 10);
    store.reading("a/t", "value", 1.0, T0);
    store.reading("a/t", "value", 2.0, T0 + 60_000);
    store.reading("a/t", "value", 3.0, T0 + 120_000);

    assertThat(store.points("a/t", "value", T0 + 120_000))
        .extracting(TrendStore.Point::value)
        .containsExactly(1.0, 2.0, 3.0);
    // 16 minutes after the first: it left the window.
    assertThat(store.points("a/t", "value", T0 + 16 * 60_000))
        .extracting(TrendStore.Point::value)
        .containsExactly(2.0, 3.0);
    assertThat(store.points("a/t", "other.path", T0)).isEmpty();
    assertThat(store.points("b/t", "value", T0)).isEmpty();
  }

  @Test
  void aSeries_keepsItsNewestMaxPoints() {
    TrendStore store = new TrendStore(Duration.ofHours(1), 4, 10);
    for (int i = 0; i < 10; i++) {
      store.reading("a/t", "value", i, T0 + i);
    }
    assertThat(store.points("a/t", "value", T0 + 10))
        .extracting(TrendStore.Point::value)
        .containsExactly(6.0, 7.0, 8.0, 9.0);
    assertThat(store.series())
        .containsExactly(new TrendStore.SeriesInfo("a/t", "value", T0 + 9, 9.0));
  }

  @Test
  void aNewSeriesBeyondTheBound_isRefused_unlessOneWasIdleForAWholeWindow() {
    TrendStore store = new TrendStore(Duration.ofMinutes(1), 10, 2);
    store.reading("a", "value", 1, T0);
    store.reading("b", "value", 1, T0 + 30_000);
    store.reading("c", "value", 1, T0 + 40_000);
    assertThat(store.refused()).isEqualTo(1);
    assertThat(store.series()).extracting(TrendStore.SeriesInfo::topic).containsExactlyInAnyOrder("a", "b");

    // "a" saw nothing for more than a minute: "c" takes its place.
    store.reading("c", "value", 2, T0 + 61_000);
    assertThat(store.series()).extracting(TrendStore.SeriesInfo::topic).containsExactlyInAnyOrder("b", "c");
    assertThat(store.points("c", "value", T0 + 61_000)).extracting(TrendStore.Point::value).containsExactly(2.0);
    assertThat(store.refused()).isEqualTo(1);
  }

  @Test
  void afterARefusal_theSeriesThatFallsIdleFirst_isReplacedAsSoonAsItIsIdle() {
    TrendStore store = new TrendStore(Duration.ofMinutes(1), 10, 2);
    store.reading("a", "value", 1, T0);
    store.reading("b", "value", 1, T0 + 30_000);
    store.reading("c", "value", 1, T0 + 40_000); // refused: none idle
    store.reading("a", "value", 2, T0 + 50_000); // "a" is busy again; "b" is now the oldest

    store.reading("c", "value", 2, T0 + 61_000); // "a" would have been idle, but was not
    assertThat(store.refused()).isEqualTo(2);
    store.reading("c", "value", 3, T0 + 90_000); // "b": exactly a window, not more
    assertThat(store.refused()).isEqualTo(3);

    store.reading("c", "value", 4, T0 + 90_001);
    assertThat(store.refused()).isEqualTo(3);
    assertThat(store.series()).extracting(TrendStore.SeriesInfo::topic).containsExactlyInAnyOrder("a", "c");
    assertThat(store.points("c", "value", T0 + 90_001)).extracting(TrendStore.Point::value).containsExactly(4.0);
  }

  @Test
  void aWantedSeries_takesThePlaceOfTheStalestUnwantedOne_evenWhenAllAreBusy() {
    TrendStore store = new TrendStore(Duration.ofMinutes(1), 10, 2);
    store.reading("a", "value", 1, T0);
    store.reading("b", "value", 1, T0 + 1_000);
    store.reading("c", "value", 1, T0 + 2_000); // refused: both busy
    assertThat(store.refused()).isEqualTo(1);

    store.want("c", "value", T0 + 3_000); // the trend page opens for "c"
    store.reading("c", "value", 2, T0 + 4_000);
    assertThat(store.series()).extracting(TrendStore.SeriesInfo::topic).containsExactlyInAnyOrder("b", "c");
    assertThat(store.points("c", "value", T0 + 4_000)).extracting(TrendStore.Point::value).containsExactly(2.0);

    // "c" is looked at: another wanted series takes "b"'s place, not "c"'s; a third finds none.
    store.want("d", "value", T0 + 5_000);
    store.reading("d", "value", 3, T0 + 6_000);
    assertThat(store.series()).extracting(TrendStore.SeriesInfo::topic).containsExactlyInAnyOrder("c", "d");
    store.want("e", "value", T0 + 7_000);
    store.reading("e", "value", 4, T0 + 8_000);
    assertThat(store.series()).extracting(TrendStore.SeriesInfo::topic).containsExactlyInAnyOrder("c", "d");
    assertThat(store.refused()).isEqualTo(2);

    // Nobody looked at "c" for a whole window: "e", still wanted, takes its place.
    store.want("e", "value", T0 + 64_000);
    store.reading("d", "value", 5, T0 + 64_500); // "d" was wanted until T0 + 65,000
    store.reading("c", "value", 5, T0 + 64_500);
    store.reading("e", "value", 6, T0 + 64_600);
    assertThat(store.series()).extracting(TrendStore.SeriesInfo::topic).containsExactlyInAnyOrder("d", "e");
  }

  @Test
  void badBounds_areRefused_namingTheValue() {
    assertThatThrownBy(() -> new TrendStore(Duration.ZERO, 10, 1))
        .hasMessage("window must be positive, but was PT0S");
    assertThatThrownBy(() -> new TrendStore(Duration.ofMinutes(1), 1, 1))
        .hasMessage("maxPoints must be >= 2, but was 1");
    assertThatThrownBy(() -> new TrendStore(Duration.ofMinutes(1), 2, 0))
        .hasMessage("maxSeries must be >= 1, but was 0");
  }

  @Test
  void aReaderWhileTheWriterWraps_neverSeesATornOrStalePoint() throws Exception {
    TrendStore store = new TrendStore(Duration.ofDays(1), 16, 1);
    int total = 500_000;
    AtomicBoolean done = new AtomicBoolean();
    List<String> wrong = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get() && wrong.isEmpty()) {
                List<TrendStore.Point> points = store.points("t", "v", T0 + total);
                for (int k = 0; k < points.size(); k++) {
                  TrendStore.Point p = points.get(k);
                  // The writer stores value == offset of the time; a torn point breaks that.
                  if (p.value() != p.millis() - T0
                      || (k > 0 && p.millis() != points.get(k - 1).millis() + 1)) {
                    wrong.add(points.toString());
                    break;
                  }
                }
              }
            },
            "trend-reader");
    reader.start();
    for (int i = 0; i < total; i++) {
      store.reading("t", "v", i, T0 + i);
    }
    done.set(true);
    reader.join();
    assertThat(wrong).isEmpty();
    assertThat(store.points("t", "v", T0 + total)).hasSize(16);
  }
}
