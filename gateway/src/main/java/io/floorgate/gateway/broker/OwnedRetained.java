package io.floorgate.gateway.broker;

import io.moquette.broker.IRetainedRepository;
import io.moquette.broker.RetainedMessage;
import io.moquette.broker.Server;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Moquette's retained messages, with those the gateway publishes itself (its alarm states) held
 * in memory instead of Moquette's store.
 *
 * <p>The gateway publishes those again at every start, from the journal, so a persistent copy
 * adds nothing. It was most of an alarm's cost: with persistence on, Moquette 0.17 keeps retained
 * messages in H2, where every change Java-serializes the message on the publishing thread (the
 * ingest thread, for alarm states) and the commit every second serializes the changed pages
 * again (docs/benchmarks.md). What clients retain (a device's status, for example) stays in
 * Moquette's store and survives a restart as before.
 *
 * <p>The latest retained message on a topic wins, whoever published it: a client's retain or
 * removal also drops the gateway's message on that topic, and the gateway's message hides what
 * the store holds on the same topic (removing it when the gateway removes its own). The store's
 * topics are read once, at {@link #install}, and followed from then on, so the gateway's
 * publishes do not touch the store unless a client retained on the same topic.
 */
final class OwnedRetained implements IRetainedRepository {
  private final IRetainedRepository store;
  private final Map<Topic, RetainedMessage> memory = new ConcurrentHashMap<>();
  /** The topics {@link #store} holds a message on. */
  private final Set<Topic> stored = ConcurrentHashMap.newKeySet();
  /** True on a thread inside {@link #asGateway}. */
  private final ThreadLocal<Boolean> gatewayPublishing = ThreadLocal.withInitial(() -> false);

  OwnedRetained(IRetainedRepository store) {
    this.store = store;
    for (RetainedMessage message : store.retainedOnTopic("#")) {
      stored.add(message.getTopic());
    }
  }

  /**
   * Puts an {@code OwnedRetained} in front of {@code server}'s retained store. Called after
   * Moquette has started and before any client can connect.
   *
   * @throws IllegalStateException naming the Moquette internal that is not where 0.17 has it
   */
  static OwnedRetained install(Server server) {
    Object postOffice = MoquettePipeline.postOffice(server);
    try {
      Field field = postOffice.getClass().getDeclaredField("retainedRepository");
      field.setAccessible(true);
      OwnedRetained owned = new OwnedRetained((IRetainedRepository) field.get(postOffice));
      field.set(postOffice, owned);
      return owned;
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "cannot reach Moquette's retained store: PostOffice.retainedRepository: " + e
              + " (this build of Floorgate needs Moquette 0.17's internals)",
          e);
    }
  }

  /**
   * Runs {@code publish}, an internal publish of the gateway's. Moquette 0.17 stores the retained
   * message of an internal publish on the calling thread, before it returns, so what it stores
   * meanwhile on this thread is the gateway's.
   */
  <T> T asGateway(Supplier<T> publish) {
    gatewayPublishing.set(true);
    try {
      return publish.get();
    } finally {
      gatewayPublishing.set(false);
    }
  }

  @Override
  public void retain(Topic topic, MqttPublishMessage msg) {
    if (gatewayPublishing.get()) {
      ByteBuf payload = msg.content();
      byte[] copy = new byte[payload.readableBytes()];
      payload.getBytes(payload.readerIndex(), copy);
      memory.put(topic, new RetainedMessage(topic, msg.fixedHeader().qosLevel(), copy));
    } else {
      store.retain(topic, msg);
      stored.add(topic);
      memory.remove(topic);
    }
  }

  @Override
  public void cleanRetained(Topic topic) {
    memory.remove(topic);
    if (!gatewayPublishing.get() || stored.contains(topic)) {
      store.cleanRetained(topic);
      stored.remove(topic);
    }
  }

  @Override
  public boolean isEmpty() {
    return memory.isEmpty() && store.isEmpty();
  }

  @Override
  public List<RetainedMessage> retainedOnTopic(String filter) {
    List<RetainedMessage> matching = new ArrayList<>();
    for (RetainedMessage message : store.retainedOnTopic(filter)) {
      if (!memory.containsKey(message.getTopic())) {
        matching.add(message);
      }
    }
    Topic subscription = new Topic(filter);
    for (Map.Entry<Topic, RetainedMessage> entry : memory.entrySet()) {
      if (entry.getKey().match(subscription)) {
        matching.add(entry.getValue());
      }
    }
    return matching;
  }

  /** Retained messages held in memory: the gateway's own. */
  int inMemory() {
    return memory.size();
  }
}
