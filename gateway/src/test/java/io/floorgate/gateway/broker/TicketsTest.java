package io.floorgate.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.gateway.ingest.Ingest;
import io.floorgate.gateway.ingest.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The one-time passes from the front door to Moquette, and refusal names. */
class TicketsTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final Tickets tickets = new Tickets(now::get);

  @Test
  void ticket_admitsItsUserOnce() {
    byte[] ticket = tickets.issue("press-7");

    assertThat(tickets.redeem("press-7", ticket)).isTrue();
    assertThat(tickets.redeem("press-7", ticket)).as("single use").isFalse();
  }

  @Test
  void ticket_isBoundToItsUser_andSpentByAWrongOne() {
    byte[] ticket = tickets.issue("press-7");

    assertThat(tickets.redeem("admin", ticket)).isFalse();
    assertThat(tickets.redeem("press-7", ticket)).isFalse();
  }

  @Test
  void connectedAnnouncement_runsTheWaitingActionOnce_andOnlyForItsTicket() {
    byte[] mine = tickets.issue("press-7");
    byte[] other = tickets.issue("press-8");
    AtomicLong runs = new AtomicLong();
    tickets.onConnected(mine, runs::incrementAndGet);

    tickets.connected(other);
    tickets.connected(null);
    assertThat(runs).hasValue(0);

    tickets.connected(mine.clone());
    tickets.connected(mine);
    assertThat(runs).hasValue(1);
    assertThat(tickets.waiting()).isZero();
  }

  @Test
  void forgottenTicket_runsNothingWhenAnnouncedLater() {
    byte[] ticket = tickets.issue("press-7");
    AtomicLong runs = new AtomicLong();
    tickets.onConnected(ticket, runs::incrementAndGet);

    tickets.forget(ticket);
    tickets.connected(ticket);

    assertThat(runs).hasValue(0);
    assertThat(tickets.waiting()).isZero();
  }

  @Test
  void anonymousTicket_isForTheEmptyUserName() {
    byte[] ticket = tickets.issue("");

    assertThat(tickets.redeem("", ticket)).isTrue();
  }

  @Test
  void expiredTicket_isRefused() {
    byte[] ticket = tickets.issue("u");
    now.addAndGet(TimeUnit.SECONDS.toNanos(31));

    assertThat(tickets.redeem("u", ticket)).isFalse();
  }

  @Test
  void guessesAndGarbage_areRefused() {
    tickets.issue("u");

    assertThat(tickets.redeem("u", null)).isFalse();
    assertThat(tickets.redeem("u", new byte[0])).isFalse();
    assertThat(tickets.redeem("u", "A".repeat(43).getBytes(StandardCharsets.US_ASCII))).isFalse();
    assertThat(tickets.redeem("u", "password".getBytes(StandardCharsets.US_ASCII))).isFalse();
  }

  @Test
  void expiredTickets_arePurged_soUnredeemedOnesDoNotAccumulate() {
    for (int i = 0; i < 255; i++) {
      tickets.issue("u" + i);
    }
    now.addAndGet(TimeUnit.SECONDS.toNanos(31));
    tickets.issue("last");

    assertThat(tickets.outstanding()).isEqualTo(1);
  }

  @Test
  void everyRefusal_isCountedAsTheRejectionOfTheSameName() {
    for (Refusal refusal : Refusal.values()) {
      Rejection rejection = Ingest.rejectionOf(refusal);
      assertThat(rejection.name()).isEqualTo(refusal.name());
    }
  }
}
