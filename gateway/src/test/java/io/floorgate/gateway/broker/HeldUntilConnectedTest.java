package io.floorgate.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeldUntilConnectedTest {

  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  private static String text(ByteBuf buffer) {
    try {
      return buffer.toString(StandardCharsets.US_ASCII);
    } finally {
      buffer.release();
    }
  }

  @Test
  void holdsWhatTheClientSends_untilReleased_thenPassesItOnInOrder_andLeaves() {
    ByteBuf behindConnect = bytes("SUB");
    HeldUntilConnected hold = new HeldUntilConnected(behindConnect);
    EmbeddedChannel channel = new EmbeddedChannel(hold);
    channel.config().setAutoRead(false);

    channel.writeInbound(bytes("SCRIBE"));
    assertThat((Object) channel.readInbound()).as("nothing passes while held").isNull();

    hold.release();

    assertThat(text(channel.readInbound())).isEqualTo("SUBSCRIBE");
    assertThat(channel.pipeline().get(HeldUntilConnected.class)).as("left the pipeline").isNull();
    assertThat(channel.config().isAutoRead()).isTrue();
    channel.writeInbound(bytes("PUBLISH"));
    assertThat(text(channel.readInbound())).isEqualTo("PUBLISH");
    assertThat(behindConnect.refCnt()).isZero();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void releaseWithNothingHeld_justReadsOn_andASecondReleaseDoesNothing() {
    HeldUntilConnected hold = new HeldUntilConnected(null);
    EmbeddedChannel channel = new EmbeddedChannel(hold);
    channel.config().setAutoRead(false);

    hold.release();
    hold.release();

    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.config().isAutoRead()).isTrue();
    assertThat(channel.pipeline().get(HeldUntilConnected.class)).isNull();
  }

  @Test
  void releasesItself_afterTheFallback_whenMoquetteNeverAnnouncesTheConnection() {
    HeldUntilConnected hold = new HeldUntilConnected(bytes("PINGREQ"));
    EmbeddedChannel channel = new EmbeddedChannel(hold);
    channel.config().setAutoRead(false);

    channel.advanceTimeBy(HeldUntilConnected.FALLBACK_MILLIS - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat((Object) channel.readInbound()).isNull();

    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(text(channel.readInbound())).isEqualTo("PINGREQ");
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void closingWhileHeld_freesWhatWasHeld() {
    ByteBuf behindConnect = bytes("SUB");
    ByteBuf more = bytes("SCRIBE");
    HeldUntilConnected hold = new HeldUntilConnected(behindConnect);
    EmbeddedChannel channel = new EmbeddedChannel(hold);
    channel.writeInbound(more);

    channel.close();
    hold.release();

    assertThat(behindConnect.refCnt()).isZero();
    assertThat(more.refCnt()).isZero();
    assertThat((Object) channel.readInbound()).isNull();
  }
}
