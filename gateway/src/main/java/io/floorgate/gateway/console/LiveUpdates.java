package io.floorgate.gateway.console;

import com.sun.net.httpserver.HttpExchange;
import io.floorgate.events.Event;
import io.floorgate.events.EventHandler;
import io.floorgate.events.EventJson;
import io.floorgate.gateway.ingest.Ingest;
import io.floorgate.rules.eval.AlarmSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's live stream ({@code GET /console/api/stream}, server-sent events): the whole alarm
 * board whenever it may have changed ({@code event: alarms}), every new event ({@code event:
 * event}), and {@code event: logout} when the session ends.
 *
 * <p>Threads. The admin server has two request threads; a stream must not hold one. So:
 *
 * <ul>
 *   <li>The event manager's handler (on whichever thread publishes) only {@code offer}s the event
 *       to an inbox; a full inbox drops it and counts.
 *   <li>{@code floorgate-console-live} takes from the inbox, writes each event's JSON once, and
 *       after events (every alarm transition publishes one) fetches the board from the ingest
 *       thread ({@link Ingest#alarms()}), at most every {@link #BOARD_INTERVAL}, handing both to
 *       every stream's own bounded queue.
 *   <li>Each stream has a thread of its own, {@code floorgate-console-stream-N}, at most {@link
 *       #MAX_STREAMS}; a further stream is refused with 503. It writes its queue to the socket and
 *       a comment every {@link #HEARTBEAT}, which is how a closed browser tab is noticed: the write
 *       fails and the stream is cleaned up. A stream whose queue overflows (a client that stopped
 *       reading) is closed; the browser reconnects and gets the board afresh.
 * </ul>
 *
 * None of these threads touches the journal, and none is ever interrupted.
 */
final class LiveUpdates implements EventHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
  static final int MAX_STREAMS = 8;
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  static final Duration BOARD_INTERVAL = Duration.ofMillis(100);
  /** Refresh the board this often even without events (a safety net), while streams exist. */
  static final Duration BOARD_REFRESH = Duration.ofSeconds(10);
  private static final int STREAM_QUEUE = 256;
  private static final Object BOARD_WANTED = new Object();
  private static final byte[] CLOSE = new byte[0];

  private final Ingest ingest;
  private final Sessions sessions;
  private final Function<AlarmSnapshot, Map<String, @Nullable Object>> alarmJson;
  private final BlockingQueue<Object> inbox = new ArrayBlockingQueue<>(4096);
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final ThreadPoolExecutor writers;
  private final Thread live;
  private final AtomicLong droppedEvents = new AtomicLong();
  private final AtomicLong boardVersion = new AtomicLong();
  private volatile byte @Nullable [] lastBoard;
  private volatile boolean running = true;

  LiveUpdates(
      Ingest ingest,
      Sessions sessions,
      Function<AlarmSnapshot, Map<String, @Nullable Object>> alarmJson) {
    this.ingest = ingest;
    this.sessions = sessions;
    this.alarmJson = alarmJson;
    AtomicInteger n = new AtomicInteger();
    this.writers =
        new ThreadPoolExecutor(
            0,
            MAX_STREAMS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> named(new Thread(r, "floorgate-console-stream-" + n.incrementAndGet())),
            new ThreadPoolExecutor.AbortPolicy());
    this.live = named(new Thread(this::run, "floorgate-console-live"));
    live.setDaemon(true);
    live.start();
  }

  private static Thread named(Thread thread) {
    thread.setUncaughtExceptionHandler(
        (t, e) -> LOG.error("{} died: {}", t.getName(), e.toString()));
    return thread;
  }

  /** From the event manager, on the publishing thread: never blocks. */
  @Override
  public void handle(Event event) {
    if (!running || streams.isEmpty()) {
      return;
    }
    if (!inbox.offer(event)) {
      droppedEvents.incrementAndGet();
    }
  }

  /** Events not streamed because the inbox was full. */
  long droppedEvents() {
    return droppedEvents.get();
  }

  /** Streams open now. */
  int streams() {
    return streams.size();
  }

  /**
   * Takes over {@code exchange} for a stream of {@code session}: on return the request thread is
   * free and the exchange belongs to the stream's thread.
   *
   * @return false when {@link #MAX_STREAMS} streams are open (the caller answers 503)
   */
  boolean open(HttpExchange exchange, Sessions.Session session) {
    if (!running) {
      return false;
    }
    Stream stream = new Stream(exchange, session);
    try {
      writers.execute(stream);
    } catch (RejectedExecutionException e) {
      return false;
    }
    return true;
  }

  // ---- the live thread ----

  private void run() {
    long lastBoardMillis = 0;
    boolean boardWanted = true;
    while (running) {
      Object item;
      try {
        long wait =
            boardWanted
                ? Math.max(0, lastBoardMillis + BOARD_INTERVAL.toMillis() - System.currentTimeMillis())
                : BOARD_REFRESH.toMillis();
        item = inbox.poll(wait, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      try {
        if (item instanceof Event event) {
          broadcast(frame("event", EventJson.toBytes(event)));
          boardWanted = true;
        } else if (item == BOARD_WANTED) {
          boardWanted = true;
        } else if (item == null && !boardWanted && !streams.isEmpty()) {
          boardWanted = true; // the periodic refresh
        }
        long now = System.currentTimeMillis();
        if (boardWanted
            && !streams.isEmpty()
            && now - lastBoardMillis >= BOARD_INTERVAL.toMillis()
            && inbox.peek() == null) {
          boardWanted = false;
          lastBoardMillis = now;
          byte[] board = fetchBoard();
          if (board != null) {
            lastBoard = board;
            broadcast(board);
          }
        } else if (streams.isEmpty()) {
          boardWanted = false;
        }
      } catch (RuntimeException e) {
        LOG.error("console live updates: {}", e.toString());
        LOG.debug("console live updates failed", e);
      }
    }
  }

  private byte @Nullable [] fetchBoard() {
    List<AlarmSnapshot> alarms;
    try {
      alarms = ingest.alarms().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      LOG.warn("console: cannot read the alarms for the live board: {}", e.toString());
      return null;
    }
    List<Map<String, @Nullable Object>> list = alarms.stream().map(alarmJson).toList();
    Map<String, Object> board =
        Map.of("version", boardVersion.incrementAndGet(), "alarms", list);
    return frame("alarms", EventJson.writeValue(board));
  }

  private void broadcast(byte[] frame) {
    for (Stream stream : streams) {
      stream.offer(frame);
    }
  }

  private static byte[] frame(String event, byte[] json) {
    byte[] head = ("event: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[head.length + json.length + 2];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(json, 0, frame, head.length, json.length);
    frame[frame.length - 2] = '\n';
    frame[frame.length - 1] = '\n';
    return frame;
  }

  // ---- one stream ----

  private final class Stream implements Runnable {
    private final HttpExchange exchange;
    private final Sessions.Session session;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(STREAM_QUEUE);
    private volatile boolean overflowed;

    Stream(HttpExchange exchange, Sessions.Session session) {
      this.exchange = exchange;
      this.session = session;
    }

    void offer(byte[] frame) {
      if (!queue.offer(frame)) {
        overflowed = true;
      }
    }

    @Override
    public void run() {
      streams.add(this);
      try (exchange) {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII));
        byte[] board = lastBoard;
        if (board != null) {
          out.write(board);
        }
        out.flush();
        inbox.offer(BOARD_WANTED); // a fresh board for the newcomer (and everyone)
        pump(out);
      } catch (IOException e) {
        LOG.debug("console stream of {} ended: {}", session.user(), e.toString());
      } finally {
        streams.remove(this);
      }
    }

    private void pump(OutputStream out) throws IOException {
      byte[] ping = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
      while (running) {
        byte[] frame;
        try {
          frame = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          return;
        }
        if (frame == CLOSE || overflowed) {
          return;
        }
        if (!sessions.touch(session)) {
          out.write("event: logout\ndata: {}\n\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return;
        }
        out.write(frame == null ? ping : frame);
        out.flush();
      }
    }
  }

  /** Ends every stream and stops the threads (no interrupts). Idempotent. */
  @Override
  public void close() {
    running = false;
    for (Stream stream : streams) {
      stream.queue.clear();
      stream.queue.offer(CLOSE);
    }
    inbox.offer(BOARD_WANTED); // wakes the live thread
    writers.shutdown();
    try {
      if (!writers.awaitTermination(3, TimeUnit.SECONDS)) {
        LOG.warn("console streams did not end within 3 s");
      }
      live.join(TimeUnit.SECONDS.toMillis(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
