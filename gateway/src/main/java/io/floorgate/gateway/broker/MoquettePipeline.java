package io.floorgate.gateway.broker;

import io.moquette.broker.MoquetteIdleTimeoutHandler;
import io.moquette.broker.NewNettyMQTTHandler;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.security.IAuthenticator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;

/**
 * Moquette's MQTT protocol handlers, put on a front-door connection once {@link ConnectGate} has
 * admitted it: from then on Moquette serves the client on the very channel it connected on, with
 * the handlers its own listener would have given it (idle timeout, MQTT decoder and encoder, its
 * connection handler). Moquette has no listener of its own in the gateway.
 *
 * <p>Moquette 0.17 builds these handlers only inside its own acceptor: its connection handler's
 * constructor and connection factory are package-private, and the session registry and post office
 * they need are private fields of {@link Server}. So they are reached by reflection, once, after
 * Moquette has started; a Moquette whose internals differ fails the start with a message that says
 * which part is missing, never a connection later.
 */
final class MoquettePipeline {
  /**
   * The name of the MQTT encoder, the last handler before Moquette's connection handler: one added
   * after it sees MQTT packets, decoded, both ways.
   */
  static final String ENCODER = "encoder";

  /** Moquette's own idle limit before the CONNECT is processed (its netty.channel_timeout.seconds). */
  private static final int CONNECT_IDLE_SECONDS = 10;

  private final ChannelHandler connections;
  private final ChannelHandler idleTimeout = new MoquetteIdleTimeoutHandler();
  private final int maxPacketBytes;

  private MoquettePipeline(ChannelHandler connections, int maxPacketBytes) {
    this.connections = connections;
    this.maxPacketBytes = maxPacketBytes;
  }

  /**
   * Moquette's connection handler for {@code server}, started with {@code config} and {@code
   * authenticator}, which every connection handed over shares (it is sharable, as in Moquette's
   * own listener).
   *
   * @throws IllegalStateException naming the Moquette internal that is not where 0.17 has it
   */
  static MoquettePipeline of(Server server, IConfig config, IAuthenticator authenticator, int maxPacketBytes) {
    String step = "Server.sessions";
    Field sessions;
    Object sessionRegistry;
    try {
      sessions = Server.class.getDeclaredField("sessions");
      sessions.setAccessible(true);
      sessionRegistry = sessions.get(server);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw missing(step, e);
    }
    if (sessionRegistry == null) {
      throw new IllegalStateException("Moquette has not started: it has no session registry or post office yet");
    }
    Object postOffice = postOffice(server);
    try {
      step = "BrokerConfiguration(IConfig)";
      Class<?> brokerConfigType = Class.forName("io.moquette.broker.BrokerConfiguration");
      Constructor<?> brokerConfig = brokerConfigType.getDeclaredConstructor(IConfig.class);
      brokerConfig.setAccessible(true);
      step = "MQTTConnectionFactory(BrokerConfiguration, IAuthenticator, SessionRegistry, PostOffice)";
      Class<?> factoryType = Class.forName("io.moquette.broker.MQTTConnectionFactory");
      Constructor<?> factory =
          factoryType.getDeclaredConstructor(
              brokerConfigType, IAuthenticator.class, sessions.getType(), postOffice.getClass());
      factory.setAccessible(true);
      Object connectionFactory =
          factory.newInstance(brokerConfig.newInstance(config), authenticator, sessionRegistry, postOffice);
      step = "NewNettyMQTTHandler(MQTTConnectionFactory)";
      Constructor<NewNettyMQTTHandler> handler = NewNettyMQTTHandler.class.getDeclaredConstructor(factoryType);
      handler.setAccessible(true);
      return new MoquettePipeline(handler.newInstance(connectionFactory), maxPacketBytes);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw missing(step, e);
    }
  }

  /**
   * Moquette's post office, a private field of {@link Server} in 0.17: the hand-over builds
   * Moquette's connection handler on it, and {@link OwnedRetained} takes the place of its
   * retained store.
   *
   * @throws IllegalStateException when Moquette has not started, or the field is not where 0.17
   *     has it
   */
  static Object postOffice(Server server) {
    Object postOffice;
    try {
      Field dispatcher = Server.class.getDeclaredField("dispatcher");
      dispatcher.setAccessible(true);
      postOffice = dispatcher.get(server);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot reach Moquette's post office: Server.dispatcher: " + e
              + " (this build of Floorgate needs Moquette 0.17's internals)",
          e);
    }
    if (postOffice == null) {
      throw new IllegalStateException("Moquette has not started: it has no post office yet");
    }
    return postOffice;
  }

  private static IllegalStateException missing(String step, Exception e) {
    return new IllegalStateException(
        "cannot reach Moquette's connection handler: " + step + ": " + e
            + " (this build of Floorgate needs Moquette 0.17's internals)",
        e);
  }

  /**
   * Adds Moquette's handlers to {@code pipeline} after the handler named {@code after} (TLS, if
   * any, stays in front of them). The caller then fires channelActive and the CONNECT into them
   * from that position, as a socket of Moquette's own would.
   */
  void attach(ChannelPipeline pipeline, String after) {
    // Names as in Moquette's acceptor: it replaces "idleStateHandler" with the client's keep-alive
    // once the CONNECT is processed, and puts its own handlers first by name.
    pipeline.addFirst("idleStateHandler", new IdleStateHandler(CONNECT_IDLE_SECONDS, 0, 0));
    pipeline.addAfter(after, "idleEventHandler", idleTimeout);
    pipeline.addAfter("idleEventHandler", "decoder", new MqttDecoder(maxPacketBytes));
    pipeline.addAfter("decoder", ENCODER, MqttEncoder.INSTANCE);
    pipeline.addAfter(ENCODER, "handler", connections);
  }
}
