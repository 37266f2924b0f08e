package io.floorgate.gateway.broker;

import io.floorgate.gateway.broker.security.Acl;
import io.floorgate.gateway.broker.security.PasswordFile;
import io.floorgate.gateway.broker.security.TlsContexts;
import io.floorgate.rules.topic.TopicFilter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;

/**
 * The front door's first handler on every connection: it reads the CONNECT (and nothing else),
 * decides who the client is, and either refuses it with a CONNACK return code or hands the
 * connection to Moquette, on this same channel ({@link MoquettePipeline}), with a CONNECT that
 * carries the established user name and a one-time ticket; then it leaves the pipeline.
 *
 * <p>Who the client is: the CN of its verified client certificate (TLS listener with client
 * authentication), else the user name whose password the password file confirms (checked on the
 * login thread), else anonymous where the listener allows it. Before that: the connection limit,
 * the CONNECT deadline, the packet size, the protocol version (MQTT 3.1/3.1.1 only), the client-id
 * length, and the will topic (valid, not too long, allowed by the ACL: Moquette 0.17 would publish
 * a will without asking the ACL).
 *
 * <p>Runs on one network thread per connection; never blocks it.
 */
final class ConnectGate extends ChannelInboundHandlerAdapter {
  private final Gatekeeper gate;
  private final FrontDoor.Listener listener;
  private @Nullable ByteBuf cumulation;
  private boolean connectRead;
  private boolean acquired;
  private String peer = "?";
  private io.netty.util.concurrent.@Nullable ScheduledFuture<?> deadline;

  ConnectGate(Gatekeeper gate, FrontDoor.Listener listener) {
    this.gate = gate;
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    peer = describe(ctx.channel().remoteAddress());
    if (!gate.acquireConnection()) {
      gate.refused(
          Refusal.TOO_MANY_CONNECTIONS,
          null,
          peer,
          "connection from " + peer + " closed: " + gate.maxConnections + " connections are open");
      ctx.close();
      return;
    }
    acquired = true;
    ctx.channel().closeFuture().addListener(f -> gate.releaseConnection());
    // A hard deadline, not an idle timer: a client trickling one byte a second must not hold a
    // connection slot for ever.
    deadline =
        ctx.executor()
            .schedule(
                () -> {
                  if (!connectRead && ctx.channel().isActive()) {
                    gate.refused(
                        Refusal.CONNECT_TIMEOUT,
                        null,
                        peer,
                        "connection from "
                            + peer
                            + " sent no complete CONNECT within "
                            + gate.connectTimeout.toMillis()
                            + " ms");
                    connectRead = true;
                    ctx.close();
                  }
                },
                gate.connectTimeout.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!acquired) {
      bytes.release();
      return;
    }
    if (cumulation == null) {
      cumulation = ctx.alloc().buffer(Math.min(1024, gate.maxPacketBytes + 5));
    }
    try {
      if (!connectRead && cumulation.readableBytes() + bytes.readableBytes() > gate.maxPacketBytes + 5) {
        malformed(ctx, "CONNECT larger than " + gate.maxPacketBytes + " bytes");
        return;
      }
      cumulation.writeBytes(bytes);
    } finally {
      bytes.release();
    }
    if (!connectRead) {
      tryConnect(ctx);
    }
  }

  private void tryConnect(ChannelHandlerContext ctx) {
    ByteBuf in = cumulation;
    if (in == null || in.readableBytes() < 2) {
      return;
    }
    int first = in.getUnsignedByte(in.readerIndex());
    if (first >> 4 != 1 || (first & 0x0F) != 0) {
      malformed(ctx, "the first packet must be CONNECT, but its header byte was 0x" + Integer.toHexString(first));
      return;
    }
    int remaining = 0;
    int multiplier = 1;
    int headerLength = 1;
    while (true) {
      if (headerLength > 4) {
        malformed(ctx, "the CONNECT's remaining length is longer than 4 bytes");
        return;
      }
      if (in.readableBytes() <= headerLength) {
        return; // more to come
      }
      int b = in.getUnsignedByte(in.readerIndex() + headerLength);
      remaining += (b & 0x7F) * multiplier;
      multiplier *= 128;
      headerLength++;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (remaining > gate.maxPacketBytes) {
      malformed(ctx, "CONNECT of " + remaining + " bytes is larger than " + gate.maxPacketBytes);
      return;
    }
    if (in.readableBytes() < headerLength + remaining) {
      return;
    }
    ByteBuf frame = in.readRetainedSlice(headerLength + remaining);
    connectRead = true;
    ctx.channel().config().setAutoRead(false);
    MqttMessage decoded = decode(frame);
    if (decoded == null) {
      malformed(ctx, "the CONNECT could not be decoded");
      return;
    }
    try {
      if (decoded.decoderResult().isFailure()) {
        Throwable cause = decoded.decoderResult().cause();
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
          // Not MQTT 3.1/3.1.1/5 at all: counted, but not worth a log line per connection.
          gate.refused(Refusal.UNSUPPORTED_PROTOCOL, null, peer,
              "CONNECT with an unknown protocol name or level refused: " + cause.getMessage());
          refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        } else {
          malformed(ctx, "malformed CONNECT: " + cause.getMessage());
        }
        return;
      }
      if (!(decoded instanceof MqttConnectMessage connect)) {
        malformed(ctx, "the first packet must be CONNECT");
        return;
      }
      inspect(ctx, connect);
    } finally {
      ReferenceCountUtil.release(decoded);
    }
  }

  private static @Nullable MqttMessage decode(ByteBuf frame) {
    EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(Integer.MAX_VALUE, 65_535));
    try {
      decoder.writeInbound(frame);
      return decoder.readInbound();
    } catch (RuntimeException e) {
      return null;
    } finally {
      decoder.finishAndReleaseAll();
    }
  }

  private void inspect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
    MqttConnectVariableHeader header = connect.variableHeader();
    MqttConnectPayload payload = connect.payload();
    String clientId = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
    if (header.version() != 3 && header.version() != 4) {
      unsupportedProtocol(ctx, clientId);
      return;
    }
    if (clientId.length() > gate.maxClientIdLength) {
      String shown = AccessPolicy.shorten(clientId);
      gate.refused(
          Refusal.CLIENT_ID_TOO_LONG,
          null,
          shown,
          "client id of " + clientId.length() + " characters refused (at most " + gate.maxClientIdLength + ")");
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
      return;
    }
    Optional<X509Certificate> certificate = peerCertificate(ctx);
    if (certificate.isPresent()) {
      Optional<String> cn = TlsContexts.commonName(certificate.get());
      if (cn.isEmpty() || cn.get().isEmpty()) {
        gate.refusedLogin(
            Refusal.CERTIFICATE_WITHOUT_CN, listener.name(), peer, clientId, null,
            "the client certificate (" + certificate.get().getSubjectX500Principal() + ") has no CN");
        refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        return;
      }
      admit(ctx, connect, clientId, cn.get());
      return;
    }
    if (header.hasUserName()) {
      String user = payload.userName() == null ? "" : payload.userName();
      if (gate.passwords.isEmpty()) {
        gate.refusedLogin(
            Refusal.UNVERIFIABLE_USER, listener.name(), peer, clientId, user,
            "no password_file is configured, so user names cannot be verified (connect without"
                + " one, or set security.password_file)");
        refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        return;
      }
      if (!header.hasPassword()) {
        gate.refusedLogin(
            Refusal.UNVERIFIABLE_USER, listener.name(), peer, clientId, user, "no password sent");
        refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        return;
      }
      checkPassword(ctx, connect, clientId, user, payload.passwordInBytes());
      return;
    }
    if (!listener.anonymous()) {
      gate.refusedLogin(
          Refusal.ANONYMOUS_REFUSED, listener.name(), peer, clientId, null,
          "this listener requires a user name"
              + (listener.certificates() ? " or a client certificate" : "")
              + " (security.allow_anonymous)");
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
      return;
    }
    admit(ctx, connect, clientId, "");
  }

  private void checkPassword(
      ChannelHandlerContext ctx, MqttConnectMessage connect, String clientId, String user, byte[] password) {
    PasswordFile passwords = gate.passwords.orElseThrow();
    boolean queued =
        gate.submitLogin(
            () -> {
              PasswordFile.Verdict verdict;
              try {
                verdict = passwords.check(user, password);
              } catch (RuntimeException e) {
                Gatekeeper.LOG.error("checking the password of user '{}' failed: {}", user, e.toString());
                verdict = PasswordFile.Verdict.WRONG_PASSWORD;
              }
              PasswordFile.Verdict result = verdict;
              ctx.executor().execute(() -> {
                  if (!ctx.channel().isActive()) {
                    return;
                  }
                  switch (result) {
                    case ACCEPTED -> admit(ctx, connect, clientId, user);
                    case UNKNOWN_USER -> {
                      gate.refusedLogin(Refusal.UNKNOWN_USER, listener.name(), peer, clientId, user,
                          "unknown user");
                      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
                    }
                    case WRONG_PASSWORD -> {
                      gate.refusedLogin(Refusal.WRONG_PASSWORD, listener.name(), peer, clientId, user,
                          "wrong password");
                      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
                    }
                  }
              });
            });
    if (!queued) {
      gate.refusedLogin(
          Refusal.LOGIN_OVERLOAD, listener.name(), peer, clientId, user,
          "too many logins waiting to be checked; try again");
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
    }
  }

  /** The client is who {@code user} says ({@code ""} = anonymous): check its will, then forward. */
  private void admit(ChannelHandlerContext ctx, MqttConnectMessage connect, String clientId, String user) {
    MqttConnectVariableHeader header = connect.variableHeader();
    MqttConnectPayload payload = connect.payload();
    if (header.isWillFlag()) {
      String willTopic = payload.willTopic() == null ? "" : payload.willTopic();
      String error = TopicFilter.topicError(willTopic);
      if (error != null) {
        malformed(ctx, "will topic: " + error);
        return;
      }
      if (gate.policy.tooLong(willTopic)) {
        gate.refused(Refusal.TOPIC_TOO_LONG, AccessPolicy.shorten(willTopic), clientId,
            "CONNECT with a will topic longer than the limit refused");
        refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        return;
      }
      Acl.Verdict verdict = gate.policy.willVerdict(willTopic, user, clientId);
      if (verdict != Acl.Verdict.ALLOWED) {
        gate.refusedLogin(Refusal.WILL_DENIED, listener.name(), peer, clientId, user.isEmpty() ? null : user,
            "its will topic '" + AccessPolicy.shorten(willTopic) + "' is not writable for it ("
                + AccessPolicy.reason(verdict) + ")");
        refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        return;
      }
    }
    byte[] ticket = gate.tickets.issue(user);
    MqttConnectMessage forwarded =
        new MqttConnectMessage(
            connect.fixedHeader(),
            new MqttConnectVariableHeader(
                header.name(),
                header.version(),
                true,
                true,
                header.isWillRetain(),
                header.willQos(),
                header.isWillFlag(),
                header.isCleanSession(),
                header.keepAliveTimeSeconds()),
            new MqttConnectPayload(
                payload.clientIdentifier(),
                payload.willProperties(),
                payload.willTopic(),
                payload.willMessageInBytes(),
                user,
                ticket));
    // Moquette takes the connection over on this channel: its handlers go behind this one (and
    // behind TLS), and see channelActive and the CONNECT as from a socket of its own. What the
    // client sent behind its CONNECT, and anything it sends next, waits until Moquette counts the
    // connection as connected (HeldUntilConnected).
    Channel client = ctx.channel();
    ChannelPipeline pipeline = ctx.pipeline();
    HeldUntilConnected hold = new HeldUntilConnected(cumulation);
    cumulation = null;
    gate.tickets.onConnected(ticket, () -> client.eventLoop().execute(hold::release));
    client.closeFuture().addListener(c -> gate.tickets.forget(ticket));
    gate.moquette().attach(pipeline, ctx.name());
    if (SlowConsumerGuard.enabled(gate)) {
      pipeline.addAfter(
          MoquettePipeline.ENCODER,
          SlowConsumerGuard.NAME,
          new SlowConsumerGuard(gate, clientId, peer));
    }
    pipeline.replace(this, "held", hold);
    Gatekeeper.LOG.debug(
        "client '{}' from {} on {} admitted as {}",
        clientId, peer, listener.name(), user.isEmpty() ? "anonymous" : "'" + user + "'");
    ChannelHandlerContext held = pipeline.context(hold);
    held.fireChannelActive();
    // As bytes, not as the decoded message: Netty's MQTT decoder records the protocol version on
    // the channel from the CONNECT it decodes, and its encoder writes every later packet for it.
    held.fireChannelRead(encode(forwarded));
    held.fireChannelReadComplete();
  }

  private static ByteBuf encode(MqttMessage message) {
    EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    try {
      encoder.writeOutbound(message);
      return encoder.readOutbound();
    } finally {
      encoder.finishAndReleaseAll();
    }
  }

  private Optional<X509Certificate> peerCertificate(ChannelHandlerContext ctx) {
    if (!listener.certificates()) {
      return Optional.empty();
    }
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509
          ? Optional.of(x509)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException none) {
      return Optional.empty();
    }
  }

  private void unsupportedProtocol(ChannelHandlerContext ctx, String clientId) {
    Gatekeeper.LOG.warn(
        "refused MQTT client '{}' from {}: it asked for a protocol other than MQTT 3.1/3.1.1 (most"
            + " likely MQTT 5); Floorgate's embedded broker (Moquette 0.17) speaks MQTT 3.1 and"
            + " 3.1.1 only, so set the client to MQTT 3.1.1",
        clientId,
        peer);
    gate.refused(Refusal.UNSUPPORTED_PROTOCOL, null, clientId,
        "MQTT 5 CONNECT refused (MQTT 3.1 and 3.1.1 only)");
    refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
  }

  private void malformed(ChannelHandlerContext ctx, String why) {
    gate.refused(Refusal.MALFORMED_PACKET, null, peer, "connection from " + peer + " closed: " + why);
    connectRead = true;
    ctx.close();
  }

  /** Answers with a CONNACK carrying {@code code} (MQTT 3.1.1 form) and closes. */
  private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
    MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
    ctx.writeAndFlush(encode(ack)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
      String why = rootMessage(handshake.cause());
      Gatekeeper.LOG.warn("TLS handshake on {} with {} failed: {}", listener.name(), peer, why);
      gate.refused(Refusal.TLS_FAILED, null, peer, "TLS handshake with " + peer + " failed: " + why);
      connectRead = true;
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // TLS failures also arrive as a handshake event (counted there); the rest is a broken peer.
    Gatekeeper.LOG.debug("connection from {} on {} closed: {}", peer, listener.name(), cause.toString());
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  private static String describe(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress() == null
          ? inet.getHostString() + ":" + inet.getPort()
          : inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
