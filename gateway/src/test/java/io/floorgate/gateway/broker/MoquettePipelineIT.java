package io.floorgate.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moquette 0.17's internals, reached as the gateway reaches them, on a real (listener-less) Moquette. */
class MoquettePipelineIT {
  private static final IAuthenticator NOBODY = (clientId, username, password) -> false;

  @TempDir Path dir;

  private MemoryConfig config() {
    Properties props = new Properties();
    props.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
    props.setProperty(IConfig.PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    props.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    props.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    props.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dir + "/");
    return new MemoryConfig(props);
  }

  @Test
  void handlersOfAStartedMoquette_goBehindTheNamedHandler_withTheIdleHandlerFirst() throws Exception {
    Server server = new Server();
    MemoryConfig config = config();
    server.startServer(config, List.of(), null, NOBODY, null);
    try {
      MoquettePipeline moquette = MoquettePipeline.of(server, config, NOBODY, 4096);
      EmbeddedChannel channel = new EmbeddedChannel();
      channel.pipeline().addLast("tls", new ChannelInboundHandlerAdapter());
      channel.pipeline().addLast("gate", new ChannelInboundHandlerAdapter());

      moquette.attach(channel.pipeline(), "gate");

      assertThat(channel.pipeline().names())
          .startsWith("idleStateHandler", "tls", "gate", "idleEventHandler", "decoder", "encoder", "handler");
      channel.finishAndReleaseAll();
    } finally {
      server.stopServer();
    }
  }

  @Test
  void aMoquetteNotStarted_isRefused_sayingSo() {
    assertThatThrownBy(() -> MoquettePipeline.of(new Server(), config(), NOBODY, 4096))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Moquette has not started: it has no session registry or post office yet");
  }
}
