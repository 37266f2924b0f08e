package io.floorgate.gateway.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.events.EventJson;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventPublisherBase;
import io.floorgate.events.EventSeverity;
import io.floorgate.events.EventTimestamps;
import io.floorgate.events.UserActionEvent;
import io.floorgate.gateway.alerts.AlarmBoard;
import io.floorgate.gateway.console.Console;
import io.floorgate.gateway.console.ConsoleRefusal;
import io.floorgate.gateway.console.Sessions;
import io.floorgate.gateway.ingest.Ingest;
import io.floorgate.gateway.reload.RuleReloader;
import io.floorgate.journal.JournalUnavailableException;
import io.floorgate.rules.Limit;
import io.floorgate.rules.Rule;
import io.floorgate.rules.eval.AlarmSnapshot;
import io.floorgate.rules.eval.Shelf;
import io.floorgate.rules.eval.Transition;
import io.floorgate.rules.tree.MapReader;
import io.floorgate.rules.tree.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API. Every {@code /api/...} request needs HTTP Basic credentials; without valid
 * ones it gets 401. {@code /health} needs none (it reveals nothing but readiness). Answers are
 * JSON; errors are {@code {"error": "..."}} naming what is wrong. {@code /metrics} needs none either
 * (counts only, nothing secret; bind the admin port to loopback, as by default).
 *
 * <pre>
 * GET    /health                                   readiness; 503 when not ready
 * GET    /metrics                                  Prometheus text format
 * GET    /api/events?category=&amp;severity=&amp;limit=    the seed's get_events (limit 100; 0 = all)
 * POST   /api/events/{id}/ack                      acknowledge_event, as the caller
 * DELETE /api/events?older_than_days=N             clear_events (all without N)
 * GET    /api/alarms                               alarms that are not normal, and shelvings
 * POST   /api/alarms/{rule}/shelve                 {"duration": "30m", "reason": "...", "topic"?}
 * POST   /api/alarms/{rule}/unshelve               {"topic"?}
 * POST   /api/alarms/{rule}/reset                  {"topic"?}  (latched alarms)
 * GET    /api/rules                                the rule file in force and its rules
 * PUT    /api/rules                                a new rule file: validated, written, applied
 * GET    /api/bridge                               the upstream bridge's state
 * </pre>
 *
 * <p>The web console ({@link Console}), when given, is served at {@code /}; its pages call this API
 * with their login session instead of HTTP Basic, and state-changing calls then need the session's
 * CSRF token (see {@link Console#sessionUser}).
 *
 * <p>Threads: {@code floorgate-admin-N}, at most two, with a short queue; requests beyond it get
 * 503. Operator actions run on the ingest thread (see {@link Ingest}); each publishes a {@code
 * UserActionEvent} naming the user.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final int MAX_BODY = 1 << 20;
  private static final Duration MAX_SHELVE = Duration.ofDays(7);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private static final String SOURCE = "floorgate-admin";

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final Credentials credentials;
  private final EventManager events;
  private final EventPublisherBase actions;
  private final Ingest ingest;
  private final RuleReloader reloader;
  private final AlarmBoard board;
  private final Supplier<Map<String, Object>> health;
  private final Supplier<? extends Map<String, ?>> bridge;
  private final @Nullable GatewayMetrics metrics;
  private final @Nullable Console console;
  private final Clock clock;
  private final AtomicLong failedLogins = new AtomicLong();

  /** An error answer. */
  private static final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final transient @Nullable Object extra;

    HttpError(int status, String message) {
      this(status, message, null);
    }

    HttpError(int status, String message, @Nullable Object extra) {
      super(message);
      this.status = status;
      this.extra = extra;
    }
  }

  /**
   * Binds and starts the server.
   *
   * @param health readiness checks; {@code "ready": false} answers 503
   * @param bridge the upstream bridge's state, for {@code GET /api/bridge}
   * @param console the web console to serve at {@code /}, or null for none
   * @throws IllegalStateException naming the address when it cannot bind
   */
  public AdminServer(
      String host,
      int port,
      Credentials credentials,
      EventManager events,
      Ingest ingest,
      RuleReloader reloader,
      AlarmBoard board,
      Supplier<Map<String, Object>> health,
      Supplier<? extends Map<String, ?>> bridge,
      @Nullable GatewayMetrics metrics,
      @Nullable Console console,
      Clock clock) {
    this.credentials = credentials;
    this.events = events;
    this.actions = new EventPublisherBase(SOURCE, events);
    this.ingest = ingest;
    this.reloader = reloader;
    this.board = board;
    this.health = health;
    this.bridge = bridge;
    this.metrics = metrics;
    this.console = console;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(32),
            r -> new Thread(r, "floorgate-admin-" + n.incrementAndGet()),
            new ThreadPoolExecutor.AbortPolicy());
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      executor.shutdown();
      throw new IllegalStateException(
          "cannot listen for the admin API on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    server.setExecutor(executor);
    server.createContext("/health", this::health);
    server.createContext("/metrics", this::metrics);
    server.createContext("/api/", this::api);
    if (console != null) {
      console.mount(server);
    }
    server.start();
    LOG.info("admin API on http://{}:{}/", host, port());
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests and console logins refused for bad credentials since start. */
  public long failedLogins() {
    return failedLogins.get() + (console == null ? 0 : console.failedLogins());
  }

  // ---- /health ----

  private void health(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, Object> checks = health.get();
      boolean ready = Boolean.TRUE.equals(checks.get("ready"));
      send(exchange, ready ? 200 : 503, checks);
    }
  }

  // ---- /metrics ----

  private void metrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (metrics == null) {
        send(exchange, 404, Map.of("error", "metrics are off"));
        return;
      }
      java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(16_384);
      metrics.write(body);
      exchange.getResponseHeaders().set("Content-Type", metrics.contentType());
      exchange.sendResponseHeaders(200, body.size());
      try (OutputStream out = exchange.getResponseBody()) {
        body.writeTo(out);
      }
    }
  }

  // ---- /api ----

  private void api(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        String user = authenticate(exchange);
        route(exchange, user);
      } catch (HttpError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        if (e.extra != null) {
          body.put("problems", e.extra);
        }
        // No Basic challenge for the console's own calls: the browser would pop up a dialog.
        if (e.status == 401 && !(console != null && Sessions.hasCookie(exchange))) {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"floorgate\"");
        }
        send(exchange, e.status, body);
      } catch (RuntimeException e) {
        LOG.error(
            "admin API {} {} failed: {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            e.toString());
        send(exchange, 500, Map.of("error", "internal error: " + e.getMessage()));
      }
    }
  }

  private String authenticate(HttpExchange exchange) {
    // A browser that once answered the Basic challenge sends those credentials with any request
    // to this server, a form another site posts included: so a state-changing call that the
    // browser marks as coming from elsewhere is refused, however it authenticates. Scripts and
    // the CLI send no Origin and are not affected.
    if (!List.of("GET", "HEAD").contains(exchange.getRequestMethod().toUpperCase(Locale.ROOT))) {
      try {
        Sessions.checkSameOrigin(exchange);
      } catch (ConsoleRefusal e) {
        throw new HttpError(e.status(), e.getMessage());
      }
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null && console != null) {
      try {
        String user = console.sessionUser(exchange);
        if (user != null) {
          return user;
        }
      } catch (ConsoleRefusal e) {
        throw new HttpError(e.status(), e.getMessage());
      }
    }
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new HttpError(401, "credentials required (HTTP Basic)");
    }
    String decoded;
    try {
      decoded =
          new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpError(401, "malformed Basic credentials");
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    char[] password = colon < 0 ? new char[0] : decoded.substring(colon + 1).toCharArray();
    try {
      if (!credentials.verify(user, password)) {
        failedLogins.incrementAndGet();
        LOG.warn(
            "admin API: refused user '{}' from {} (bad credentials)",
            user,
            exchange.getRemoteAddress().getAddress().getHostAddress());
        throw new HttpError(401, "bad credentials");
      }
    } finally {
      Arrays.fill(password, '\0');
    }
    return user;
  }

  private void route(HttpExchange exchange, String user) throws IOException {
    String method = exchange.getRequestMethod();
    String[] parts = exchange.getRequestURI().getPath().substring("/api/".length()).split("/");
    String resource = parts.length > 0 ? parts[0] : "";
    switch (resource) {
      case "events" -> {
        if (parts.length == 1 && method.equals("GET")) {
          getEvents(exchange);
        } else if (parts.length == 1 && method.equals("DELETE")) {
          clearEvents(exchange, user);
        } else if (parts.length == 3 && parts[2].equals("ack") && method.equals("POST")) {
          acknowledge(exchange, decode(parts[1]), user);
        } else {
          throw notFound(exchange);
        }
      }
      case "alarms" -> {
        if (parts.length == 1 && method.equals("GET")) {
          getAlarms(exchange);
        } else if (parts.length == 3 && method.equals("POST")) {
          alarmAction(exchange, decode(parts[1]), parts[2], user);
        } else {
          throw notFound(exchange);
        }
      }
      case "rules" -> {
        if (parts.length == 1 && method.equals("GET")) {
          getRules(exchange);
        } else if (parts.length == 1 && method.equals("PUT")) {
          putRules(exchange, user);
        } else {
          throw notFound(exchange);
        }
      }
      case "bridge" -> {
        if (parts.length == 1 && method.equals("GET")) {
          send(exchange, 200, bridge.get());
        } else {
          throw notFound(exchange);
        }
      }
      default -> throw notFound(exchange);
    }
  }

  private static HttpError notFound(HttpExchange exchange) {
    return new HttpError(
        404,
        "no such endpoint: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
  }

  // ---- events ----

  private void getEvents(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange);
    EventCategory category = null;
    EventSeverity severity = null;
    int limit = 100;
    try {
      if (query.containsKey("category")) {
        category = EventCategory.parse(query.get("category"));
      }
      if (query.containsKey("severity")) {
        severity = EventSeverity.parse(query.get("severity"));
      }
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
    if (query.containsKey("limit")) {
      limit = intParam(query, "limit", 0, Integer.MAX_VALUE);
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (Event event : events.getEvents(category, severity, limit)) {
      list.add(event.toMap());
    }
    send(exchange, 200, list);
  }

  private void acknowledge(HttpExchange exchange, String eventId, String user) throws IOException {
    Ingest.AckOutcome outcome = await(ingest.acknowledge(eventId, user, "http"));
    if (outcome == Ingest.AckOutcome.UNKNOWN_EVENT) {
      throw new HttpError(404, ingest.unknownEvent(eventId));
    }
    send(exchange, 200, Map.of("event_id", eventId, "acknowledged", true, "user_id", user));
  }

  private void clearEvents(HttpExchange exchange, String user) throws IOException {
    Map<String, String> query = query(exchange);
    Integer days =
        query.containsKey("older_than_days")
            ? intParam(query, "older_than_days", 0, 100_000)
            : null;
    int cleared = events.clearEvents(days);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("older_than_days", days == null ? "all" : days);
    details.put("cleared", cleared);
    actions.publish(new UserActionEvent(user, "clear_events", details));
    send(exchange, 200, Map.of("cleared", cleared));
  }

  // ---- alarms ----

  private void getAlarms(HttpExchange exchange) throws IOException {
    List<AlarmSnapshot> alarms = await(ingest.alarms());
    List<Map<String, @Nullable Object>> list = new ArrayList<>();
    for (AlarmSnapshot alarm : alarms) {
      list.add(board.toMap(alarm));
    }
    send(exchange, 200, Map.of("alarms", list));
  }

  private void alarmAction(HttpExchange exchange, String ruleId, String action, String user)
      throws IOException {
    Rule rule =
        ingest
            .rules()
            .get(ruleId)
            .orElseThrow(() -> new HttpError(404, "no rule '" + ruleId + "'"));
    Map<String, Object> body = jsonBody(exchange);
    String topic = optionalString(body, "topic");
    List<Transition> done;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rule_id", rule.id());
    if (topic != null) {
      details.put("topic", topic);
    }
    switch (action) {
      case "shelve" -> {
        String durationText = optionalString(body, "duration");
        Duration duration = durationText == null ? null : MapReader.parseDuration(durationText);
        if (duration == null || duration.isZero() || duration.compareTo(MAX_SHELVE) > 0) {
          throw new HttpError(
              400,
              "duration must be a duration such as 30m or 8h, up to 7 days, but was "
                  + (durationText == null ? "missing" : "'" + durationText + "'"));
        }
        String reason = optionalString(body, "reason");
        if (reason == null || reason.isBlank()) {
          throw new HttpError(400, "reason is required to shelve an alarm");
        }
        Instant until = clock.instant().plus(duration);
        done = await(ingest.shelve(new Shelf(rule.id(), topic, until.toEpochMilli(), reason, user)));
        details.put("until", EventTimestamps.format(until));
        details.put("reason", reason);
      }
      case "unshelve" -> {
        done = await(ingest.unshelve(rule.id(), topic, user));
        if (done.isEmpty()) {
          throw new HttpError(404, "nothing of rule '" + rule.id() + "' is shelved");
        }
      }
      case "reset" -> {
        done = await(ingest.reset(rule.id(), topic, user));
        if (done.isEmpty()) {
          throw new HttpError(409, "no alarm of rule '" + rule.id() + "' is latched");
        }
      }
      default -> throw notFound(exchange);
    }
    List<Map<String, @Nullable Object>> states = new ArrayList<>();
    for (Transition transition : done) {
      states.add(board.toMap(transition.alarm()));
    }
    details.put("alarms", states);
    actions.publish(new UserActionEvent(user, action + "_alarm", details));
    send(exchange, 200, details);
  }

  // ---- rules ----

  private void getRules(HttpExchange exchange) throws IOException {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Rule rule : ingest.rules().rules()) {
      rules.add(summary(rule));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("file", reloader.file().toString());
    body.put("sha256", reloader.appliedSha256());
    body.put("text", reloader.appliedText());
    body.put("rules", rules);
    send(exchange, 200, body);
  }

  private static Map<String, Object> summary(Rule rule) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", rule.id());
    map.put("name", rule.name());
    map.put("topics", rule.topics());
    map.put("path", rule.path());
    map.put("comparison", rule.comparison().value());
    List<Map<String, Object>> limits = new ArrayList<>();
    for (Limit limit : rule.limits()) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("level", limit.level());
      l.put("value", limit.threshold());
      l.put("severity", limit.severity() == null ? "default" : limit.severity().value());
      l.put("deadband", limit.deadband());
      limits.add(l);
    }
    map.put("limits", limits);
    map.put("on_delay_ms", rule.onDelay().toMillis());
    map.put("off_delay_ms", rule.offDelay().toMillis());
    map.put("mode", rule.mode().value());
    map.put("latch", rule.latch());
    map.put("out_of_service", rule.outOfService());
    return map;
  }

  private void putRules(HttpExchange exchange, String user) throws IOException {
    String text = new String(body(exchange), StandardCharsets.UTF_8);
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null && contentType.startsWith("application/json") && text.strip().startsWith("{")) {
      Object wrapped = jsonObject(text).get("text");
      if (!(wrapped instanceof String s)) {
        throw new HttpError(400, "a JSON body must be {\"text\": \"<the rule file>\"}");
      }
      text = s;
    }
    RuleReloader.Outcome outcome;
    try {
      outcome = reloader.write(text, user);
    } catch (JournalUnavailableException e) {
      throw new HttpError(
          503,
          "the journal refuses writes, so nothing was changed (the rule file neither); ask again"
              + " once it takes them: "
              + e.getMessage());
    } catch (RuleReloader.NotAppliedException e) {
      throw new HttpError(503, e.getMessage() + "; nothing was changed, ask again");
    }
    if (outcome.status() == RuleReloader.Status.REJECTED) {
      throw new HttpError(
          400,
          outcome.problems().size() + " problem(s) in the rules; nothing was changed",
          outcome.problems().stream().map(Problem::toString).toList());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
    body.put("sha256", outcome.sha256());
    if (outcome.change() != null) {
      body.put("added", outcome.change().added());
      body.put("removed", outcome.change().removed());
      body.put("changed", outcome.change().changed());
      body.put("alarms_cleared", outcome.change().alarmsDropped());
    }
    send(exchange, 200, body);
  }

  // ---- plumbing ----

  /**
   * Waits for what the ingest thread was asked; when it does not answer in time, withdraws the
   * request if it has not begun, so that the answer says truly whether anything was done.
   */
  private static <T> T await(Ingest.Pending<T> future) {
    try {
      return future.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.withdraw();
      throw new HttpError(503, "interrupted");
    } catch (ExecutionException e) {
      throw new HttpError(503, "the gateway could not do it now: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      long seconds = COMMAND_TIMEOUT.toSeconds();
      if (future.withdraw()) {
        throw new HttpError(
            503,
            "the gateway did not take this up within " + seconds + " s (it is busy, or waiting"
                + " for the journal: see /health); nothing was done, ask again");
      }
      throw new HttpError(
          503,
          "the gateway began this but did not finish it within " + seconds + " s (it is waiting"
              + " for the journal: see /health); it will finish by itself once the journal takes"
              + " writes again");
    }
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new HttpError(413, "request body larger than " + MAX_BODY + " bytes");
      }
      return bytes;
    }
  }

  private static Map<String, Object> jsonBody(HttpExchange exchange) throws IOException {
    byte[] bytes = body(exchange);
    if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      return Map.of();
    }
    return jsonObject(new String(bytes, StandardCharsets.UTF_8));
  }

  private static Map<String, Object> jsonObject(String text) {
    try {
      return EventJson.readObject(text.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "the body is not a JSON object: " + e.getMessage());
    }
  }

  private static @Nullable String optionalString(Map<String, Object> body, String key) {
    Object value = body.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    throw new HttpError(400, key + " must be a string, but was " + value);
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.put(key, value);
    }
    return query;
  }

  private static int intParam(Map<String, String> query, String name, int min, int max) {
    String text = query.get(name);
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new HttpError(
          400, name + " must be an integer in [" + min + ", " + max + "], but was '" + text + "'");
    }
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = EventJson.writeValue(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops answering (in-flight requests get up to 1 s) and the worker threads. Idempotent. */
  @Override
  public void close() {
    if (console != null) {
      console.close(); // ends the live streams, which would otherwise hold stop() for its delay
    }
    server.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
