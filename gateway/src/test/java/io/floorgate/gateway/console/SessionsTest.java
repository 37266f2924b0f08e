package io.floorgate.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.gateway.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final ManualClock clock = new ManualClock();
  private final Sessions sessions = new Sessions(clock);

  @Test
  void aSession_endsAfter30MinutesWithoutUse() {
    Sessions.Session session = sessions.create("op-7");
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.touch(session)).isTrue(); // used: another 30 minutes
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.touch(session)).isTrue();
    clock.advance(Duration.ofMinutes(30));
    assertThat(sessions.touch(session)).isFalse();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void aSessionInUse_endsAnyway12HoursAfterLogin() {
    Sessions.Session session = sessions.create("op-7");
    for (int i = 0; i < 12 * 3 - 1; i++) {
      clock.advance(Duration.ofMinutes(20));
      assertThat(sessions.touch(session)).as("after %d min", (i + 1) * 20).isTrue();
    }
    clock.advance(Duration.ofMinutes(20)); // 12 h
    assertThat(sessions.touch(session)).isFalse();
  }

  @Test
  void aLoginBeyondTheBound_endsTheSessionIdleLongest() {
    List<Sessions.Session> all = new ArrayList<>();
    for (int i = 0; i < Sessions.MAX_SESSIONS; i++) {
      all.add(sessions.create("user-" + i));
      clock.advance(Duration.ofSeconds(1));
    }
    sessions.touch(all.get(0)); // now user-1's is the one idle longest
    Sessions.Session newest = sessions.create("late");
    assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
    assertThat(sessions.touch(all.get(1))).isFalse();
    assertThat(sessions.touch(all.get(0))).isTrue();
    assertThat(sessions.touch(newest)).isTrue();
  }

  @Test
  void logout_endsTheSession_andTokensAreRandom256Bits() {
    Sessions.Session session = sessions.create("op-7");
    sessions.end(session);
    assertThat(sessions.touch(session)).isFalse();

    Sessions.Session other = sessions.create("op-7");
    assertThat(other.id()).hasSize(43).isNotEqualTo(session.id()).isNotEqualTo(other.csrfToken());
    assertThat(other.csrfToken()).hasSize(43).isNotEqualTo(session.csrfToken());
    assertThat(Sessions.constantTimeEquals(other.csrfToken(), other.csrfToken())).isTrue();
    assertThat(Sessions.constantTimeEquals(other.csrfToken(), session.csrfToken())).isFalse();
  }
}
