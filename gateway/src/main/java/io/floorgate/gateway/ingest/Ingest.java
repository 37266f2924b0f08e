package io.floorgate.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.floorgate.events.DigitalTwinPublisher;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventPublisherBase;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.OptimizationEvent;
import io.floorgate.events.UserActionEvent;
import io.floorgate.gateway.alerts.AlarmBoard;
import io.floorgate.gateway.broker.InboundMessage;
import io.floorgate.gateway.broker.MessageSink;
import io.floorgate.gateway.broker.Refusal;
import io.floorgate.gateway.broker.RefusalSink;
import io.floorgate.gateway.config.IngestConfig;
import io.floorgate.journal.JournalUnavailableException;
import io.floorgate.rules.Rule;
import io.floorgate.rules.RuleSet;
import io.floorgate.rules.eval.AlarmSnapshot;
import io.floorgate.rules.eval.Evaluator;
import io.floorgate.rules.eval.Reading;
import io.floorgate.rules.eval.Shelf;
import io.floorgate.rules.eval.Transition;
import io.floorgate.rules.topic.TopicFilter;
import io.floorgate.rules.topic.TopicIndex;
import io.floorgate.rules.topic.TopicName;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes what devices and SCADA publish and turns it into events: telemetry through the rules,
 * twin state changes, simulation results, optimization opportunities and acknowledgements.
 *
 * <p>Threads: {@link #offer} runs on the broker's session loops and only enqueues (a full queue
 * drops and counts); {@link #refused} runs on the broker's threads and only counts. One thread,
 * {@code floorgate-ingest}, owns everything else: decoding, the evaluator and its alarm states,
 * publishing events and alarm states. It also fires delayed raises and clears on time ({@code
 * on_delay}, {@code off_delay}, shelving ends). Commands from other threads (a new rule set,
 * operator actions, queries) go through the same queue as the messages, so a rule set is swapped
 * between two messages: no message is evaluated against a half-applied set. Messages and commands
 * are bounded apart ({@code queue_capacity} and {@code queue_bytes}, {@link #COMMAND_ROOM}), so a
 * flood of telemetry never turns an admin or an operator away; their commands still run after the
 * messages queued before them. While messages keep arriving, the thread takes what came in the last
 * two milliseconds at once rather than being woken for each ({@link #gather}).
 *
 * <p>An event it has decided to publish is never dropped because the journal refuses it (a full
 * disk): the thread holds it and tries again ({@link #durably}) while the queue fills, since the
 * alarm states, the twin's last status or a journaled acknowledgement have already moved on. The
 * same holds for an acknowledgement whose sender hears nothing back (on the ack topic, from the
 * upstream); one through the admin API fails instead, and its caller is told.
 */
public final class Ingest implements MessageSink, RefusalSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);
  /** The source of the acknowledgement's {@code UserActionEvent}. */
  public static final String ACK_SOURCE = "floorgate";
  private static final long IDLE_POLL_MILLIS = 250;
  /**
   * See {@link #gather}. Each wake-up costs the thread ~35 µs beyond its messages (measured at
   * 5,000 msg/s: 2 ms took a quarter off its CPU against 1 ms, for 0.5 ms more at the median);
   * docs/benchmarks.md, "After the twentieth run: the ingest thread wakes half as often". Measured
   * again on later code ("The gathering, measured again"): 1 ms cost the thread 13% more, took 0.7
   * ms off the median and did not move the p99.
   */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** The most the ingest thread takes from the queue at once; see {@link #next}. */
  static final int TAKE_AT_ONCE = 32;
  /**
   * The most commands queued at once, apart from the messages' bound. Were they bounded together,
   * a command would contend with the broker's threads for every place the ingest thread frees
   * while telemetry overflows the queue, and {@link ArrayBlockingQueue}'s lock favours no one: a
   * rule change or an operator's acknowledgement failed after 5 s, and one from the upstream
   * waited for as long as the flood lasted. Commands come a few at a time (one rule change, the
   * bridge's acknowledgements one by one, an admin's requests), so this many waiting means ingest
   * is stuck.
   */
  static final int COMMAND_ROOM = 256;

  private final IngestConfig config;
  private final String ackTopic;
  private final EventManager events;
  private final DigitalTwinPublisher twin;
  private final EventPublisherBase commands;
  private final AlarmBoard board;
  private final AlarmEvents announcer;
  private final RejectionReporter rejections;
  private final PayloadDecoder decoder;
  private final Clock clock;
  private final TopicIndex<Kind> special = new TopicIndex<>();
  private final TopicIndex<Boolean> stateTopics = new TopicIndex<>();
  /**
   * Client messages and commands (a {@link Command}), in arrival order; room for both bounds, so
   * an offer within them always finds a place.
   */
  private final BlockingQueue<Object> queue;
  /** A permit for each command that may be queued; taken by its sender, given back when taken. */
  private final Semaphore commandRoom = new Semaphore(COMMAND_ROOM);
  /** What the ingest thread has taken from {@link #queue} and not handled yet; its own. */
  private final ArrayDeque<Object> taken = new ArrayDeque<>(TAKE_AT_ONCE);
  /** {@code taken.size()}, for other threads ({@link #backlog}). */
  private final AtomicInteger takenCount = new AtomicInteger();
  private final Evaluator evaluator = new Evaluator();
  private final Map<String, String> lastStatus = new HashMap<>();
  private final List<Transition> transitions = new ArrayList<>();
  private final Set<String> outOfService = new HashSet<>();
  private final Thread thread;

  private final AtomicLong received = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicLongArray byClass =
      new java.util.concurrent.atomic.AtomicLongArray(MessageClass.values().length);
  private volatile int activeAlarms;
  private volatile boolean journalBlocked;
  /** Alarm transitions whose announcement failed for a reason other than the journal. */
  private final AtomicLong failedAnnouncements = new AtomicLong();
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong overruns = new AtomicLong();
  /** Estimated memory of the queued messages; see {@link #offer}. */
  private final AtomicLong queuedBytes = new AtomicLong();
  /** Messages queued, bounded by {@code queue_capacity}; see {@link #offer}. */
  private final AtomicInteger queuedMessages = new AtomicInteger();
  private long overrunsReported;

  private volatile RuleSet rules;
  private volatile boolean running = true;
  private volatile @Nullable ReadingObserver readingObserver;

  private enum Kind {
    SIMULATION,
    OPTIMIZATION
  }

  /** What a message was, for counting. */
  public enum MessageClass {
    /** Watched by at least one rule. */
    TELEMETRY,
    /** Digital-twin state (rules.state_topics). */
    STATE,
    /** An acknowledgement on the ack topic. */
    ACK,
    /** A simulation result. */
    SIMULATION,
    /** An optimization opportunity. */
    OPTIMIZATION,
    /** On a topic nothing watches. */
    UNWATCHED;

    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Sees every value a rule evaluates (the web console's trends). Called on the ingest thread for
   * each reading: it must be quick and must not block.
   */
  @FunctionalInterface
  public interface ReadingObserver {
    /**
     * @param topic the telemetry topic
     * @param path the rule's path the value was read at
     * @param value the value
     * @param millis when ingest evaluated it (epoch milliseconds)
     */
    void reading(String topic, String path, double value, long millis);
  }

  /** Work for the ingest thread from another thread. */
  private record Command(Runnable action) {}

  /** What applying a new rule set did. */
  public record RuleChange(
      List<String> added, List<String> removed, List<String> changed, int alarmsDropped) {
    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
  }

  /** How an acknowledgement went. */
  public enum AckOutcome {
    /** The event was acknowledged (now or before). */
    ACKNOWLEDGED,
    /** No event with that id in the window, and no alarm it raised awaits acknowledgement. */
    UNKNOWN_EVENT
  }

  /**
   * Creates the ingest stage; {@link #start()} starts its thread.
   *
   * @param stateTopics topic filters of digital-twin state
   * @param ackTopic where acknowledgements arrive
   */
  public Ingest(
      IngestConfig config,
      List<String> stateTopics,
      String ackTopic,
      int maxPayloadBytes,
      RuleSet rules,
      EventManager events,
      AlarmBoard board,
      Clock clock) {
    this.config = config;
    this.ackTopic = ackTopic;
    this.events = events;
    this.twin = new DigitalTwinPublisher(events);
    this.commands = new EventPublisherBase(ACK_SOURCE, events);
    this.board = board;
    this.announcer = new AlarmEvents(twin, board, evaluator);
    this.rejections = new RejectionReporter(twin, config.errorReportInterval());
    this.decoder =
        new PayloadDecoder(maxPayloadBytes, config.maxJsonDepth(), config.maxJsonTokens());
    this.clock = clock;
    this.rules = rules;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity() + COMMAND_ROOM);
    for (String filter : config.simulationTopics()) {
      special.add(filter, Kind.SIMULATION);
    }
    for (String filter : config.optimizationTopics()) {
      special.add(filter, Kind.OPTIMIZATION);
    }
    for (String filter : stateTopics) {
      this.stateTopics.add(filter, Boolean.TRUE);
    }
    this.thread = new Thread(this::run, "floorgate-ingest");
  }

  public void start() {
    thread.start();
  }

  /**
   * Who is told if the ingest thread ends by what its loop does not catch (an {@link Error}: the
   * loop logs and survives every {@link RuntimeException}). Set before {@link #start}.
   */
  public void onDeath(Thread.UncaughtExceptionHandler handler) {
    thread.setUncaughtExceptionHandler(handler);
  }

  /** Whether the ingest thread runs: false before {@link #start}, after {@link #close} or its death. */
  public boolean alive() {
    return thread.isAlive();
  }

  /**
   * Before {@link #start()}: puts back the alarms the journal left active or unacknowledged (what
   * an {@link AlarmHistory} fed the journal holds, from its checkpoint on), for rules that still
   * exist and still watch the alarm's topic.
   *
   * @return how many were restored
   */
  public int restoreAlarms(Collection<AlarmHistory.Entry> alarms) {
    int restored = 0;
    for (AlarmHistory.Entry entry : alarms) {
      Optional<Rule> rule = rules.get(entry.ruleId());
      if (rule.isEmpty()
          || rule.get().topics().stream().noneMatch(f -> TopicFilter.matches(f, entry.topic()))) {
        LOG.warn(
            "alarm of rule '{}' on '{}' was {} before the restart, but that rule no longer"
                + " watches that topic; its retained state is left as it was",
            entry.ruleId(),
            entry.topic(),
            entry.state());
        continue;
      }
      evaluator.restore(
          rule.get(),
          entry.topic(),
          entry.state(),
          entry.level(),
          entry.latched(),
          entry.value(),
          entry.sinceMillis(),
          entry.eventId(),
          entry.acknowledgedBy());
      restored++;
    }
    return restored;
  }

  /**
   * After the broker started: publishes every alarm's retained state and shows the rules out of
   * service (on the ingest thread).
   */
  public void publishAlarmStates() {
    submit(
        () -> {
          evaluator.alarms().forEach(board::publish);
          showOutOfService(RuleSet.empty(), rules);
          return null;
        });
  }

  /**
   * Called by the broker for every client publish; never blocks. Dropped (and counted) when the
   * queue holds {@code queue_capacity} messages or the message would take it past {@code
   * queue_bytes}. Queued commands take none of that room.
   */
  @Override
  public boolean offer(InboundMessage message) {
    received.incrementAndGet();
    if (queuedMessages.incrementAndGet() <= config.queueCapacity()) {
      long size = footprint(message);
      if (queuedBytes.addAndGet(size) <= config.queueBytes() && queue.offer(message)) {
        return true;
      }
      queuedBytes.addAndGet(-size);
    }
    queuedMessages.decrementAndGet();
    overruns.incrementAndGet();
    rejections.count(Rejection.QUEUE_FULL);
    return false;
  }

  /** What a queued message takes in memory, estimated (Latin-1 strings: a byte a character). */
  static long footprint(InboundMessage message) {
    return (long) message.payload().length
        + message.topic().length()
        + message.clientId().length()
        + IngestConfig.MESSAGE_OVERHEAD_BYTES;
  }

  /** The messages queued now and not yet evaluated (commands not counted). */
  public int queuedMessages() {
    return queuedMessages.get();
  }

  /** The estimated memory of the messages queued now ({@link #footprint}). */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  /** Sets who sees every evaluated value (null: nobody); see {@link ReadingObserver}. */
  public void onReading(@Nullable ReadingObserver observer) {
    this.readingObserver = observer;
  }

  /**
   * Called by the broker for every refused connection, login, publish or subscription, on its
   * threads: counts, and leaves the rate-limited report to the ingest thread. Never blocks.
   */
  @Override
  public void refused(Refusal reason, @Nullable String topic, String clientId, String detail) {
    rejections.countLater(rejectionOf(reason), topic, clientId, detail);
  }

  /** The rejection reason a broker refusal is counted as (same name). */
  public static Rejection rejectionOf(Refusal reason) {
    return Rejection.valueOf(reason.name());
  }

  /** The rules in force. */
  public RuleSet rules() {
    return rules;
  }

  // ---- commands from other threads ----

  /**
   * What a command handed to the ingest thread will return. A caller that stops waiting withdraws
   * it ({@link #withdraw}): if the ingest thread has not begun it, it never will, so the caller
   * can say "nothing was done" and be right. (While the journal refuses writes the thread can be
   * held for long, and the command would otherwise run whenever it gets to it.)
   */
  public static final class Pending<T> extends CompletableFuture<T> {
    private static final int WAITING = 0;
    private static final int BEGUN = 1;
    private static final int WITHDRAWN = 2;
    private final AtomicInteger state = new AtomicInteger(WAITING);

    /**
     * Withdraws the command unless the ingest thread has begun it.
     *
     * @return true if it will never run; false if it has begun, and then it completes by itself
     */
    public boolean withdraw() {
      if (state.compareAndSet(WAITING, WITHDRAWN)) {
        cancel(false);
        return true;
      }
      return state.get() == WITHDRAWN;
    }

    private boolean begin() {
      return state.compareAndSet(WAITING, BEGUN);
    }
  }

  /**
   * Runs {@code work} on the ingest thread, between two messages, unless withdrawn before. Queued
   * at once, telemetry flood or not (behind the messages already queued), unless {@link
   * #COMMAND_ROOM} commands are waiting already; then it waits up to 5 s for room, and the future
   * fails when there was none or ingest stopped.
   */
  private <T> Pending<T> submit(Supplier<T> work) {
    return submit(work, false);
  }

  /**
   * The same; when {@code untilRoom}, waits for room as long as ingest runs (interruptibly), for
   * work whose sender is told nothing and would lose it.
   */
  private <T> Pending<T> submit(Supplier<T> work, boolean untilRoom) {
    Pending<T> result = new Pending<>();
    Command command =
        new Command(
            () -> {
              if (!result.begin()) {
                return; // withdrawn: its caller has been told it was not done
              }
              try {
                result.complete(work.get());
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    try {
      boolean queued = running && commandRoom.tryAcquire(5, TimeUnit.SECONDS);
      while (!queued && untilRoom && running) {
        queued = commandRoom.tryAcquire(1, TimeUnit.SECONDS);
      }
      if (queued && !queue.offer(command)) { // never full: the permit is its place
        commandRoom.release();
        queued = false;
      }
      if (!queued) {
        result.completeExceptionally(
            new IllegalStateException(running ? "ingest is overloaded" : "ingest is stopping"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.completeExceptionally(e);
    }
    return result;
  }

  /**
   * Swaps in {@code next}: alarms of unchanged rules keep their state, alarms of removed or
   * changed rules are cleared with an event saying why (see {@link Evaluator#replaceRules}).
   */
  public Pending<RuleChange> replaceRules(RuleSet next) {
    return submit(() -> applyRules(next));
  }

  private RuleChange applyRules(RuleSet next) {
    RuleSet previous = rules;
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Rule rule : next.rules()) {
      Optional<Rule> before = previous.get(rule.id());
      if (before.isEmpty()) {
        added.add(rule.id());
      } else if (!before.get().equals(rule)) {
        changed.add(rule.id());
      }
    }
    List<String> removed =
        previous.rules().stream()
            .map(Rule::id)
            .filter(id -> next.get(id).isEmpty())
            .toList();
    List<Transition> dropped = new ArrayList<>();
    evaluator.replaceRules(next, clock.millis(), dropped);
    rules = next;
    // The alarms are gone from the evaluator: their clears must reach the journal.
    dropped.forEach(this::announceDurably);
    showOutOfService(previous, next);
    return new RuleChange(List.copyOf(added), removed, List.copyOf(changed), dropped.size());
  }

  private void showOutOfService(RuleSet previous, RuleSet next) {
    for (Rule rule : next.rules()) {
      if (rule.outOfService() && outOfService.add(rule.id())) {
        board.publishOutOfService(rule, clock.millis());
      } else if (!rule.outOfService() && outOfService.remove(rule.id())) {
        board.removeRuleState(rule);
      }
    }
    for (Rule rule : previous.rules()) {
      if (next.get(rule.id()).isEmpty() && outOfService.remove(rule.id())) {
        board.removeRuleState(rule);
      }
    }
  }

  /** The alarms that are not normal, now. */
  public Pending<List<AlarmSnapshot>> alarms() {
    return submit(() -> List.copyOf(evaluator.alarms()));
  }

  /** Shelves a rule's alarms (one topic's when {@code shelf.topic()} is set). */
  public Pending<List<Transition>> shelve(Shelf shelf) {
    return submit(() -> operatorAction(evaluator.shelve(shelf, clock.millis())));
  }

  /** Ends a shelving early; an alarm still active is announced again. */
  public Pending<List<Transition>> unshelve(
      String ruleId, @Nullable String topic, String user) {
    return submit(() -> operatorAction(evaluator.unshelve(ruleId, topic, user, clock.millis())));
  }

  /** Resets latched alarms of a rule. */
  public Pending<List<Transition>> reset(
      String ruleId, @Nullable String topic, String user) {
    return submit(() -> operatorAction(evaluator.reset(ruleId, topic, user, clock.millis())));
  }

  private List<Transition> operatorAction(List<Transition> done) {
    done.forEach(t -> announceDurably(t, announcer::announceOperatorAction));
    return done;
  }

  /**
   * Acknowledges event {@code eventId} as {@code user} (from HTTP or the CLI): as an ack on the
   * ack topic does, including the {@code UserActionEvent} and the alarm's state. While the journal
   * refuses the acknowledgement's own record, this fails with a {@link
   * JournalUnavailableException} and nothing is acknowledged: the person asking is told and can
   * ask again.
   */
  public Pending<AckOutcome> acknowledge(String eventId, String user, String via) {
    return submit(() -> acknowledgeNow(eventId, user, via, null));
  }

  /**
   * Acknowledges as {@link #acknowledge} does, for an acknowledgement whose sender is told nothing
   * of how it went (one from the upstream broker), rather than lose it: were the queue's room for
   * commands full, this would wait for it (as long as ingest runs; an interrupt ends the wait), and
   * while the journal refuses its record the ingest thread holds it and tries again, as it does an
   * ack on the ack topic.
   */
  public Pending<AckOutcome> acknowledgeHeld(String eventId, String user, String via) {
    return submit(() -> acknowledgeHeldNow(eventId, user, via, null), true);
  }

  /** Why an acknowledgement of {@code eventId} came back {@link AckOutcome#UNKNOWN_EVENT}. */
  public String unknownEvent(String eventId) {
    return "event '"
        + eventId
        + "' is not among the last "
        + events.config().maxEvents()
        + " events, nor did it raise an alarm that is still active or unacknowledged";
  }

  private AckOutcome acknowledgeHeldNow(
      String eventId, String user, String via, @Nullable String clientId) {
    // Nothing has changed when the journal refuses the ack's own record: trying again is safe.
    AckOutcome[] outcome = new AckOutcome[1];
    if (!durably(
        () -> "the acknowledgement of event " + eventId + " by '" + user + "'",
        () -> outcome[0] = acknowledgeNow(eventId, user, via, clientId))) {
      throw new IllegalStateException(
          "ingest stopped before the journal took the acknowledgement of event " + eventId);
    }
    return outcome[0];
  }

  private AckOutcome acknowledgeNow(
      String eventId, String user, String via, @Nullable String clientId) {
    if (!events.acknowledgeEvent(eventId)) {
      // The window keeps the last max_events events, but an alarm can await acknowledgement far
      // longer: its raising event is acknowledged all the same, journaled for the next start.
      if (!evaluator.holdsAlarmRaisedBy(eventId)) {
        return AckOutcome.UNKNOWN_EVENT;
      }
      // Acknowledged before (a retry, a QoS 1 redelivery): answered as a repeat in the window is.
      if (evaluator.awaitsAcknowledgement(eventId)) {
        events.journalAcknowledgement(eventId);
      }
    }
    Optional<Transition> alarm = evaluator.acknowledge(eventId, user, clock.millis());
    Map<String, Object> actionDetails = new LinkedHashMap<>();
    actionDetails.put("event_id", eventId);
    actionDetails.put("via", via);
    if (clientId != null) {
      actionDetails.put("client_id", clientId);
    }
    alarm.ifPresent(
        t -> {
          actionDetails.put("rule_id", t.rule().id());
          actionDetails.put("topic", t.alarm().topic());
          actionDetails.put("alarm_state", t.alarm().state().value());
        });
    // The acknowledgement is journaled already: what follows from it must not be lost.
    durably(
        () -> "the user action of the acknowledgement of event " + eventId,
        () -> commands.publish(new UserActionEvent(user, "acknowledge_event", actionDetails)));
    alarm.ifPresent(this::announceDurably);
    return AckOutcome.ACKNOWLEDGED;
  }

  // ---- the ingest thread ----

  private void run() {
    boolean arriving = false;
    while (running || !queue.isEmpty() || !taken.isEmpty()) {
      try {
        Object next = next();
        if (next == null) {
          next = arriving ? gather() : queue.poll(pollMillis(), TimeUnit.MILLISECONDS);
          arriving = next != null;
        }
        if (next instanceof InboundMessage message) {
          queuedBytes.addAndGet(-footprint(message));
          queuedMessages.decrementAndGet();
          handleSafely(message);
        } else if (next instanceof Command command) {
          commandRoom.release();
          command.action().run();
        }
        long now = clock.millis();
        evaluator.advance(now, transitions);
        announce();
        activeAlarms = evaluator.size();
        reportOverruns(now);
        rejections.flush(now);
      } catch (InterruptedException e) {
        // close() asks us to finish: drain what is queued, then stop.
        running = false;
      } catch (RuntimeException e) {
        transitions.clear();
        LOG.error("ingest loop: {}", e.toString(), e);
      }
    }
    // Stopping: what was rejected since the last report is reported now, not lost with us.
    try {
      long now = clock.millis();
      reportOverruns(now);
      rejections.flushAll(now);
    } catch (RuntimeException e) {
      LOG.error("reporting rejections at shutdown failed: {}", e.toString());
    }
  }

  /**
   * The next message or command, or null when none is queued. Takes up to {@link #TAKE_AT_ONCE}
   * from the queue under one acquisition of its lock, which the broker's threads offering into it
   * share: taken one at a time, each take could find such a thread waiting on the lock and have
   * to wake it (a profile at 5,000 msg/s put 8% of this thread's time there).
   */
  private @Nullable Object next() {
    if (taken.isEmpty()) {
      queue.drainTo(taken, TAKE_AT_ONCE);
    }
    Object next = taken.poll();
    takenCount.lazySet(taken.size()); // a gauge: no need to order it with anything
    return next;
  }

  /**
   * While messages keep arriving, waits up to {@link #GATHER_NANOS} for the next without asking
   * to be woken: the producer then neither signals nor wakes this thread for every message, and
   * the messages of that time are handled in one go, with warm caches. Costs at most that long
   * of latency; when nothing came within it, the loop waits to be woken again.
   */
  private @Nullable Object gather() {
    LockSupport.parkNanos(Math.min(GATHER_NANOS, TimeUnit.MILLISECONDS.toNanos(pollMillis())));
    return next();
  }

  private long pollMillis() {
    if (!running) {
      return 0;
    }
    OptionalLong next = evaluator.nextDeadline();
    if (next.isEmpty()) {
      return IDLE_POLL_MILLIS;
    }
    return Math.max(0, Math.min(IDLE_POLL_MILLIS, next.getAsLong() - clock.millis()));
  }

  private void handleSafely(InboundMessage message) {
    try {
      handle(message);
    } catch (RuntimeException e) {
      transitions.clear();
      LOG.debug("handling message on {} failed", message.topic(), e);
      rejections.reject(
          Rejection.INTERNAL_ERROR,
          message.topic(),
          message.clientId(),
          e.toString(),
          clock.millis());
    }
  }

  private void handle(InboundMessage message) {
    String topic = message.topic();
    if (topic.equals(ackTopic)) {
      count(MessageClass.ACK);
      acknowledge(message);
      return;
    }
    TopicName name = TopicName.of(topic); // its levels found once, for the three lookups
    List<Kind> kinds = special.match(name);
    if (!kinds.isEmpty()) {
      if (kinds.contains(Kind.SIMULATION)) {
        count(MessageClass.SIMULATION);
        simulation(message);
      } else {
        count(MessageClass.OPTIMIZATION);
        optimization(message);
      }
      return;
    }
    boolean state = !stateTopics.match(name).isEmpty();
    List<Rule> matched = rules.match(name);
    if (matched.isEmpty() && !state) {
      count(MessageClass.UNWATCHED);
      return; // nobody watches this topic
    }
    count(state ? MessageClass.STATE : MessageClass.TELEMETRY);
    PayloadDecoder.Readings readings;
    if (!state) {
      readings = decoder.readFor(message.payload(), matched); // no tree: only what rules read
    } else {
      PayloadDecoder.Decoded decoded = decoder.decode(message.payload()); // twin state: the tree
      if (decoded instanceof PayloadDecoder.Decoded.Json json) {
        stateChange(topic, json.root());
        readings = PayloadDecoder.readings(json.root(), matched);
      } else {
        readings = (PayloadDecoder.Decoded.Rejected) decoded;
      }
    }
    if (readings instanceof PayloadDecoder.Decoded.Rejected rejected) {
      reject(message, rejected.reason(), rejected.detail());
      return;
    }
    PayloadDecoder.Readings.Read read = (PayloadDecoder.Readings.Read) readings;
    long now = clock.millis();
    ReadingObserver observer = readingObserver;
    for (int i = 0; i < matched.size(); i++) {
      Rule rule = matched.get(i);
      if (rule.outOfService()) {
        continue;
      }
      PayloadDecoder.Value value = read.values().get(i);
      if (value instanceof PayloadDecoder.Value.Missing missing) {
        if (!state || missing.reason() != Rejection.MISSING_VALUE) {
          reject(message, missing.reason(), "rule '" + rule.id() + "': " + missing.detail());
        }
        // A twin state message may carry only some parameters: absent is not an error there.
        continue;
      }
      evaluations.incrementAndGet();
      double number = ((PayloadDecoder.Value.Found) value).value();
      if (observer != null) {
        observer.reading(topic, rule.path(), number, now);
      }
      evaluator.onReading(
          rule,
          new Reading(topic, number, read.seq(), read.timestamp(), message.receivedMillis()),
          now,
          transitions);
    }
    announce();
  }

  private void reject(InboundMessage message, Rejection reason, String detail) {
    rejections.reject(reason, message.topic(), message.clientId(), detail, clock.millis());
  }

  /** Announces what the evaluator decided, in order. */
  private void announce() {
    if (transitions.isEmpty()) {
      return;
    }
    List<Transition> batch = List.copyOf(transitions);
    transitions.clear();
    batch.forEach(this::announceDurably);
  }

  private void announceDurably(Transition transition) {
    announceDurably(transition, announcer::announce);
  }

  /**
   * Announces a transition, {@code how}, holding it while the journal refuses (the alarm state
   * already moved on). Any other failure loses this transition only, with one error line: the
   * others of its batch are still announced.
   */
  private void announceDurably(Transition transition, Consumer<Transition> how) {
    Supplier<String> what = () -> "alarm " + transition.alarm().key() + " " + transition.kind();
    try {
      durably(what, () -> how.accept(transition));
    } catch (RuntimeException e) {
      failedAnnouncements.incrementAndGet();
      LOG.error("announcing {} failed: {}", what.get(), e.toString());
      LOG.debug("announcing {} failed", what.get(), e);
    }
  }

  /**
   * Publishes what the ingest thread decided to publish, {@code what} naming it for the log; when
   * the journal cannot take it, waits and tries again rather than lose it. Meanwhile telemetry
   * and commands queue up, and what the queue cannot hold is counted and reported.
   *
   * @return false only when the gateway stopped before the journal took it
   */
  private boolean durably(Supplier<String> what, Runnable publish) {
    long backoffMillis = 100;
    long lastLog = 0;
    while (true) {
      try {
        publish.run();
        journalBlocked = false;
        return true;
      } catch (JournalUnavailableException e) {
        journalBlocked = true;
        if (!running) {
          LOG.error(
              "{} was not journaled: the journal is unavailable and the gateway is stopping ({})",
              what.get(),
              e.getMessage());
          return false;
        }
        long now = System.nanoTime();
        if (now - lastLog > TimeUnit.SECONDS.toNanos(30) || lastLog == 0) {
          lastLog = now;
          LOG.error(
              "holding {} until the journal takes it again; telemetry waits in the queue: {}",
              what.get(),
              e.getMessage());
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
        backoffMillis = Math.min(2_000, backoffMillis * 2);
      }
    }
  }

  /**
   * True while the ingest thread holds what it decided to publish (an alarm transition, a twin
   * state change, an acknowledgement) until the journal takes writes again.
   */
  public boolean journalBlocked() {
    return journalBlocked;
  }

  /**
   * Alarm transitions since the start whose announcement (events, alarm state) failed partway for
   * a reason other than the journal refusing (which is held instead); each was logged.
   */
  public long failedAnnouncements() {
    return failedAnnouncements.get();
  }

  private void stateChange(String topic, JsonNode root) {
    JsonNode status = root.get("system_status");
    if (status == null || !status.isValueNode() || status.isNull()) {
      return;
    }
    String now = status.asText();
    String before = lastStatus.get(topic);
    if (now.equals(before)) {
      return;
    }
    Map<String, Object> previous = before == null ? Map.of() : Map.of("system_status", before);
    // Remembered once published: a change that failed is published again with the next message.
    if (durably(
        () -> "the state change of '" + topic + "' to '" + now + "'",
        () -> twin.publishStateUpdate(previous, Map.of("system_status", now)))) {
      lastStatus.put(topic, now);
    }
  }

  private void simulation(InboundMessage message) {
    JsonNode root = command(message, "simulation result");
    if (root == null) {
      return;
    }
    JsonNode id = root.get("simulation_id");
    JsonNode improvement = root.get("improvement");
    if (id == null || !id.isValueNode() || id.isNull()
        || improvement == null || !improvement.isNumber() || !Double.isFinite(improvement.doubleValue())) {
      reject(
          message,
          Rejection.BAD_COMMAND,
          "a simulation result needs simulation_id (string) and improvement (number)");
      return;
    }
    JsonNode parameters = root.get("parameters");
    if (parameters != null && !parameters.isObject()) {
      reject(message, Rejection.BAD_COMMAND, "simulation parameters must be an object");
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> params =
        parameters == null ? Map.of() : (Map<String, Object>) decoder.toJava(parameters);
    JsonNode results = root.get("results");
    Object resultValue = results == null ? Map.of() : decoder.toJava(results);
    Object result = resultValue == null ? Map.of() : resultValue;
    durably(
        () -> "simulation result '" + id.asText() + "'",
        () -> twin.publishSimulationResult(id.asText(), params, result, improvement.doubleValue()));
  }

  private void optimization(InboundMessage message) {
    JsonNode root = command(message, "optimization opportunity");
    if (root == null) {
      return;
    }
    JsonNode type = root.get("optimization_type");
    JsonNode improvement = root.get("potential_improvement");
    JsonNode action = root.get("recommended_action");
    if (type == null || !type.isTextual()
        || improvement == null || !improvement.isNumber() || !Double.isFinite(improvement.doubleValue())
        || action == null || !action.isTextual()) {
      reject(
          message,
          Rejection.BAD_COMMAND,
          "an optimization opportunity needs optimization_type (string), potential_improvement"
              + " (number) and recommended_action (string)");
      return;
    }
    OptimizationEvent.Builder event =
        OptimizationEvent.builder(type.asText(), improvement.doubleValue(), action.asText());
    JsonNode severity = root.get("severity");
    if (severity != null) {
      try {
        event.severity(EventSeverity.parse(severity.asText()));
      } catch (IllegalArgumentException e) {
        reject(message, Rejection.BAD_COMMAND, e.getMessage());
        return;
      }
    }
    OptimizationEvent opportunity = event.build();
    durably(
        () -> "optimization opportunity '" + type.asText() + "'", () -> twin.publish(opportunity));
  }

  private void acknowledge(InboundMessage message) {
    JsonNode root = command(message, "acknowledgement");
    if (root == null) {
      return;
    }
    JsonNode eventId = root.get("event_id");
    JsonNode userId = root.get("user_id");
    if (eventId == null || !eventId.isTextual() || eventId.asText().isBlank()
        || userId == null || !userId.isTextual() || userId.asText().isBlank()) {
      reject(
          message,
          Rejection.BAD_COMMAND,
          "an acknowledgement needs {\"event_id\": \"...\", \"user_id\": \"...\"}");
      return;
    }
    String id = eventId.asText();
    if (acknowledgeHeldNow(id, userId.asText(), "mqtt", message.clientId())
        == AckOutcome.UNKNOWN_EVENT) {
      reject(message, Rejection.UNKNOWN_EVENT, unknownEvent(id));
    }
  }

  private @Nullable JsonNode command(InboundMessage message, String what) {
    PayloadDecoder.Decoded decoded = decoder.decode(message.payload());
    if (decoded instanceof PayloadDecoder.Decoded.Rejected rejected) {
      reject(message, rejected.reason(), what + ": " + rejected.detail());
      return null;
    }
    JsonNode root = ((PayloadDecoder.Decoded.Json) decoded).root();
    if (!root.isObject()) {
      reject(message, Rejection.BAD_COMMAND, what + " must be a JSON object");
      return null;
    }
    return root;
  }

  private void reportOverruns(long now) {
    long total = overruns.get();
    long fresh = total - overrunsReported;
    if (fresh > 0) {
      overrunsReported = total;
      rejections.noteCounted(
          Rejection.QUEUE_FULL,
          fresh,
          "the ingest queue ("
              + config.queueCapacity()
              + " messages, "
              + config.queueBytes()
              + " bytes) was full; messages dropped",
          now);
    }
  }

  private void count(MessageClass kind) {
    byClass.incrementAndGet(kind.ordinal());
  }

  /** Messages handled since start, of {@code kind}. */
  public long handled(MessageClass kind) {
    return byClass.get(kind.ordinal());
  }

  /** Alarms held (not normal, or waiting out a delay), as of the last message handled. */
  public int activeAlarms() {
    return activeAlarms;
  }

  /** Messages the broker handed over since start. */
  public long received() {
    return received.get();
  }

  /** Rule evaluations since start. */
  public long evaluations() {
    return evaluations.get();
  }

  /** Messages dropped because the queue was full. */
  public long overruns() {
    return overruns.get();
  }

  /**
   * Messages and commands waiting: in the queue, and taken from it by the ingest thread but not yet
   * handled (at most {@link #TAKE_AT_ONCE}).
   */
  public int backlog() {
    return queue.size() + takenCount.get();
  }

  public RejectionReporter rejections() {
    return rejections;
  }

  /**
   * Stops taking messages, evaluates what is queued (up to 5 s), then stops the thread.
   * Idempotent.
   */
  @Override
  public void close() {
    // No interrupt: the thread may be writing the journal, and an interrupt during file I/O closes
    // the channel. It polls at most every 250 ms and drains quickly once running is false.
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("ingest did not drain its queue within 5 s; {} item(s) left", backlog());
    }
  }
}
