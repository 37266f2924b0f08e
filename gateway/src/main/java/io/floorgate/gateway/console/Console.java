package io.floorgate.gateway.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.floorgate.events.Event;
import io.floorgate.events.EventCategory;
import io.floorgate.events.EventJson;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventSeverity;
import io.floorgate.gateway.admin.Credentials;
import io.floorgate.gateway.admin.GatewayMetrics;
import io.floorgate.gateway.alerts.AlarmBoard;
import io.floorgate.gateway.ingest.Ingest;
import io.floorgate.gateway.reload.RuleReloader;
import io.floorgate.journal.Journal;
import io.floorgate.rules.Comparison;
import io.floorgate.rules.Limit;
import io.floorgate.rules.Rule;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.eval.AlarmSnapshot;
import io.floorgate.rules.topic.TopicFilter;
import io.floorgate.rules.tree.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console, served by the admin HTTP server: pages, login and logout, and the console's own
 * JSON endpoints. Operator actions and rule changes go through the admin API ({@code /api/...}),
 * which accepts a console session (with its CSRF token) besides HTTP Basic; see {@link
 * #sessionUser}.
 *
 * <pre>
 * GET  /login, POST /login                  the login form (public); a session on success
 * POST /logout                              ends the session (CSRF token required)
 * GET  /assets/...                          the style sheet and icon (public: the login page uses them)
 * GET  /                                    the console (a session, else a redirect to /login)
 * GET  /app/*.js                            its modules (a session, else 401)
 * GET  /console/api/session                 {user, csrf_token, expires}
 * GET  /console/api/stream                  server-sent events: alarms, events, logout
 * GET  /console/api/events?category=&amp;severity=&amp;offset=&amp;limit=   a page of get_events, newest first
 * GET  /console/api/events/{id}             one event's JSON
 * GET  /console/api/trend/series            the series kept, with the rules that read them
 * GET  /console/api/trend?rule=&amp;topic=      a rule's recent values on a topic, and its limits
 * POST /console/api/rules/check             {text}: the problems `rules check` reports, nothing applied
 * GET  /console/api/rules/history           versions of the rule file set, newest first
 * GET  /console/api/rules/history/{sha256}  one version's text
 * GET  /console/api/status                  health and the gateway's metrics
 * </pre>
 *
 * <p>Threads: requests run on the admin server's threads; the stream and the history have their
 * own ({@link LiveUpdates}, {@link RuleHistory}); trends are fed by the ingest thread ({@link
 * TrendStore}).
 */
public final class Console implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Console.class);
  private static final String LOGIN_COOKIE = "floorgate_login";
  private static final int MAX_FORM = 8 * 1024;
  private static final int MAX_BODY = 1 << 20;
  private static final Pattern RESOURCE = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*\\.(js|css|svg)");
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none';"
          + " base-uri 'none'";

  private final Parts parts;
  private final Sessions sessions;
  private final TrendStore trends;
  private final LiveUpdates live;
  private final RuleHistory history;
  private final StatusReport status;
  private final AtomicLong failedLogins = new AtomicLong();
  private final Map<String, byte[]> resources = new ConcurrentHashMap<>();

  /**
   * What the console shows and acts on.
   *
   * @param credentials the admin users (the same as the admin API's)
   * @param journal the journal, for the rule history (null when persistence is off)
   * @param metrics the gateway's metrics, for the status page (null: none)
   * @param health the readiness checks of {@code /health}
   * @param stateTopics the configured digital-twin state topics (to validate rule files as the
   *     gateway does)
   * @param retentionDays the journal's retention, shown on the status page
   */
  public record Parts(
      Credentials credentials,
      EventManager events,
      Ingest ingest,
      RuleReloader reloader,
      AlarmBoard board,
      @Nullable Journal journal,
      @Nullable GatewayMetrics metrics,
      Supplier<Map<String, Object>> health,
      List<String> stateTopics,
      int retentionDays,
      Clock clock) {}

  public Console(Parts parts) {
    this(parts, new TrendStore());
  }

  /** With a trend store of other bounds (tests). */
  public Console(Parts parts, TrendStore trends) {
    this.parts = parts;
    this.sessions = new Sessions(parts.clock());
    this.trends = trends;
    this.live = new LiveUpdates(parts.ingest(), sessions, this::alarmJson);
    this.history =
        new RuleHistory(parts.journal(), parts.reloader().file().toString(), parts.stateTopics());
    this.status = new StatusReport(parts.metrics(), parts.health(), parts.retentionDays());
    parts.events().subscribe(live);
    parts.ingest().onReading(trends);
  }

  /** Adds the console's contexts ({@code /} and {@code /console/api/}) to {@code server}. */
  public void mount(HttpServer server) {
    server.createContext("/", this::page);
    server.createContext("/console/api/", this::api);
  }

  /**
   * The user of an admin API request made by the console: null when the request carries no
   * session cookie (then HTTP Basic applies); the session's user when it is live and, for a
   * state-changing method, carries the CSRF token.
   *
   * @throws ConsoleRefusal when the session is not live, or the token is missing or wrong
   */
  public @Nullable String sessionUser(HttpExchange exchange) {
    if (!Sessions.hasCookie(exchange)) {
      return null;
    }
    return sessions.require(exchange, null).user();
  }

  /** Logins refused for bad credentials since start. */
  public long failedLogins() {
    return failedLogins.get();
  }

  /** The session store (tests). */
  Sessions sessions() {
    return sessions;
  }

  TrendStore trends() {
    return trends;
  }

  // ---- pages ----

  private void page(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (path.equals("/login")) {
          if (method.equals("POST")) {
            login(exchange);
          } else if (method.equals("GET") || method.equals("HEAD")) {
            loginPage(exchange, 200, null);
          } else {
            throw new ConsoleRefusal(405, "use GET or POST for /login");
          }
        } else if (path.startsWith("/assets/")) {
          resource(exchange, path.substring(1));
        } else if (path.equals("/logout") && method.equals("POST")) {
          logout(exchange);
        } else if (path.equals("/") || path.equals("/index.html")) {
          if (sessions.find(exchange).isEmpty()) {
            redirect(exchange, "/login");
            return;
          }
          sendPage(exchange, 200, resource("index.html"));
        } else if (path.startsWith("/app/")) {
          sessions.require(exchange, null);
          resource(exchange, path.substring(1));
        } else {
          sessions.require(exchange, null);
          throw new ConsoleRefusal(404, "no such page: " + path);
        }
      } catch (ConsoleRefusal e) {
        sendJson(exchange, e.status(), Map.of("error", e.getMessage()));
      } catch (RuntimeException e) {
        LOG.error(
            "console {} {} failed: {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            e.toString());
        sendJson(exchange, 500, Map.of("error", "internal error: " + e.getMessage()));
      }
    }
  }

  private void loginPage(HttpExchange exchange, int status, @Nullable String error)
      throws IOException {
    String token = sessions.token();
    exchange
        .getResponseHeaders()
        .add(
            "Set-Cookie",
            LOGIN_COOKIE + "=" + token + "; Path=/login; Max-Age=900; HttpOnly; SameSite=Strict");
    String html =
        new String(resource("login.html"), StandardCharsets.UTF_8)
            .replace("{{login_token}}", token)
            .replace(
                "{{error}}",
                error == null
                    ? ""
                    : "<p class=\"login-error\" role=\"alert\">" + escapeHtml(error) + "</p>");
    sendPage(exchange, status, html.getBytes(StandardCharsets.UTF_8));
  }

  private void login(HttpExchange exchange) throws IOException {
    Sessions.checkSameOrigin(exchange);
    Map<String, String> form = form(exchange);
    String cookieToken = Sessions.cookie(exchange, LOGIN_COOKIE);
    String formToken = form.getOrDefault("login_token", "");
    if (cookieToken == null || !Sessions.constantTimeEquals(cookieToken, formToken)) {
      loginPage(exchange, 403, "The login form had expired. Please try again.");
      return;
    }
    String user = form.getOrDefault("username", "").trim();
    char[] password = form.getOrDefault("password", "").toCharArray();
    boolean ok;
    try {
      ok = !user.isEmpty() && parts.credentials().verify(user, password);
    } finally {
      Arrays.fill(password, '\0');
    }
    String from = exchange.getRemoteAddress().getAddress().getHostAddress();
    if (!ok) {
      failedLogins.incrementAndGet();
      LOG.warn("console: refused login of user '{}' from {} (bad credentials)", user, from);
      loginPage(exchange, 401, "Wrong user name or password.");
      return;
    }
    Sessions.Session session = sessions.create(user);
    LOG.info("console: user '{}' logged in from {}", user, from);
    exchange.getResponseHeaders().add("Set-Cookie", Sessions.cookieFor(session, exchange));
    exchange
        .getResponseHeaders()
        .add("Set-Cookie", LOGIN_COOKIE + "=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict");
    redirect(exchange, "/");
  }

  private void logout(HttpExchange exchange) throws IOException {
    Sessions.Session session = sessions.require(exchange, null);
    sessions.end(session);
    LOG.info("console: user '{}' logged out", session.user());
    exchange.getResponseHeaders().add("Set-Cookie", Sessions.expiredCookie(Sessions.COOKIE, exchange));
    sendJson(exchange, 200, Map.of("logged_out", true));
  }

  private void resource(HttpExchange exchange, String name) throws IOException {
    if (!RESOURCE.matcher(name).matches()) {
      throw new ConsoleRefusal(404, "no such file: /" + name);
    }
    byte[] bytes = resource(name);
    String type =
        name.endsWith(".js")
            ? "text/javascript; charset=utf-8"
            : name.endsWith(".css") ? "text/css; charset=utf-8" : "image/svg+xml";
    securityHeaders(exchange);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    send(exchange, 200, bytes);
  }

  private byte[] resource(String name) {
    byte[] cached = resources.get(name);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = Console.class.getResourceAsStream("web/" + name)) {
      if (in == null) {
        throw new ConsoleRefusal(404, "no such file: /" + name);
      }
      byte[] bytes = in.readAllBytes();
      resources.put(name, bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the console's " + name, e);
    }
  }

  // ---- /console/api ----

  private void api(HttpExchange exchange) throws IOException {
    boolean handedOver = false;
    try {
      Sessions.Session session = sessions.require(exchange, null);
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String[] p = exchange.getRequestURI().getPath().substring("/console/api/".length()).split("/");
      // events/{id} and rules/history/{sha} carry an id; trend/series and rules/... a name.
      boolean named = (p[0].equals("trend") || p[0].equals("rules")) && p.length > 1;
      String route = method + " " + p[0] + (named ? "/" + p[1] : "");
      switch (route) {
        case "GET session" -> sendJson(exchange, 200, sessionJson(session));
        case "GET stream" -> {
          if (!live.open(exchange, session)) {
            throw new ConsoleRefusal(
                503, "too many live connections (" + LiveUpdates.MAX_STREAMS + "); close a tab");
          }
          handedOver = true;
        }
        case "GET events" -> {
          if (p.length == 1) {
            events(exchange);
          } else {
            Event event =
                parts
                    .events()
                    .getEvent(decode(p[1]))
                    .orElseThrow(
                        () ->
                            new ConsoleRefusal(
                                404, "event '" + decode(p[1]) + "' is not in the window"));
            sendJson(exchange, 200, event.toMap());
          }
        }
        case "GET trend" -> trend(exchange);
        case "GET trend/series" -> sendJson(exchange, 200, Map.of("series", series()));
        case "POST rules/check" -> check(exchange);
        case "GET rules/history" -> {
          if (p.length == 2) {
            historyList(exchange);
          } else {
            String sha = decode(p[2]);
            RuleHistory.Version v =
                history
                    .find(sha)
                    .orElseThrow(
                        () -> new ConsoleRefusal(404, "no version " + sha + " in the journal"));
            sendJson(exchange, 200, versionJson(v, true));
          }
        }
        case "GET status" -> sendJson(
            exchange,
            200,
            status.read(
                parts.clock().millis(),
                Map.of(
                    "sessions", sessions.size(),
                    "streams", live.streams(),
                    "trend_series", trends.series().size(),
                    "trend_readings_refused", trends.refused())));
        default -> throw new ConsoleRefusal(
            404, "no such endpoint: " + method + " " + exchange.getRequestURI().getPath());
      }
    } catch (ConsoleRefusal e) {
      sendJson(exchange, e.status(), Map.of("error", e.getMessage()));
    } catch (IllegalArgumentException e) {
      sendJson(exchange, 400, Map.of("error", String.valueOf(e.getMessage())));
    } catch (RuntimeException e) {
      LOG.error(
          "console API {} {} failed: {}",
          exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(),
          e.toString());
      sendJson(exchange, 500, Map.of("error", "internal error: " + e.getMessage()));
    } finally {
      if (!handedOver) {
        exchange.close();
      }
    }
  }

  private Map<String, Object> sessionJson(Sessions.Session session) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("user", session.user());
    map.put("csrf_token", session.csrfToken());
    map.put("csrf_header", Sessions.CSRF_HEADER);
    map.put("expires", Instant.ofEpochMilli(session.expiresMillis()).toString());
    map.put("history", history.available());
    return map;
  }

  private void events(HttpExchange exchange) throws IOException {
    Map<String, String> q = query(exchange);
    EventCategory category =
        q.getOrDefault("category", "").isEmpty() ? null : EventCategory.parse(q.get("category"));
    EventSeverity severity =
        q.getOrDefault("severity", "").isEmpty() ? null : EventSeverity.parse(q.get("severity"));
    int offset = intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParam(q, "limit", 25, 1, 500);
    int total = parts.events().countEvents(category, severity);
    // The newest offset + limit events (oldest first): the rest of the window is not parsed.
    int wanted = (int) Math.min(Integer.MAX_VALUE, (long) offset + limit);
    List<Event> newest = parts.events().getEvents(category, severity, wanted);
    List<Map<String, Object>> page = new ArrayList<>();
    for (int i = newest.size() - 1 - offset; i >= 0 && page.size() < limit; i--) {
      page.add(newest.get(i).toMap());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("total", total);
    body.put("offset", offset);
    body.put("limit", limit);
    body.put("max_events", parts.events().config().maxEvents());
    body.put("events", page);
    sendJson(exchange, 200, body);
  }

  private List<Map<String, Object>> series() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (TrendStore.SeriesInfo s : trends.series()) {
      List<String> rules = new ArrayList<>();
      for (Rule rule : parts.ingest().rules().rules()) {
        if (rule.path().equals(s.path())
            && rule.topics().stream().anyMatch(f -> TopicFilter.matches(f, s.topic()))) {
          rules.add(rule.id());
        }
      }
      if (rules.isEmpty()) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("topic", s.topic());
      m.put("path", s.path());
      m.put("rules", rules);
      m.put("last_ms", s.lastMillis());
      m.put("last_value", s.lastValue());
      list.add(m);
    }
    list.sort((a, b) -> ((String) a.get("topic")).compareTo((String) b.get("topic")));
    return list;
  }

  private void trend(HttpExchange exchange) throws IOException {
    Map<String, String> q = query(exchange);
    String ruleId = q.getOrDefault("rule", "");
    Rule rule =
        parts
            .ingest()
            .rules()
            .get(ruleId)
            .orElseThrow(() -> new ConsoleRefusal(404, "no rule '" + ruleId + "'"));
    String topic = q.getOrDefault("topic", "");
    if (topic.isEmpty()) {
      // A rule without wildcards has one topic; with wildcards, the most recent one seen.
      topic =
          trends.series().stream()
              .filter(s -> s.path().equals(rule.path()))
              .filter(s -> rule.topics().stream().anyMatch(f -> TopicFilter.matches(f, s.topic())))
              .max((a, b) -> Long.compare(a.lastMillis(), b.lastMillis()))
              .map(TrendStore.SeriesInfo::topic)
              .orElse(TopicFilter.hasWildcard(rule.topics().get(0)) ? "" : rule.topics().get(0));
    }
    String shown = topic;
    if (!shown.isEmpty() && rule.topics().stream().noneMatch(f -> TopicFilter.matches(f, shown))) {
      throw new ConsoleRefusal(400, "rule '" + rule.id() + "' does not watch topic '" + shown + "'");
    }
    long now = parts.clock().millis();
    List<double[]> points = new ArrayList<>();
    if (!shown.isEmpty()) {
      trends.want(shown, rule.path(), now); // kept (and recorded from now) while it is looked at
      for (TrendStore.Point point : trends.points(shown, rule.path(), now)) {
        points.add(new double[] {point.millis(), point.value()});
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("rule_id", rule.id());
    body.put("name", rule.name());
    body.put("topic", shown);
    body.put("path", rule.path());
    body.put("comparison", rule.comparison().value());
    body.put("now_ms", now);
    body.put("window_ms", trends.window().toMillis());
    List<Map<String, Object>> limits = new ArrayList<>();
    for (Limit limit : rule.limits()) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("level", limit.level());
      l.put("value", limit.threshold());
      l.put("deadband", limit.deadband());
      l.put("severity", parts.board().severityOf(limit).value());
      l.put("clears_at", clearsAt(rule.comparison(), limit));
      limits.add(l);
    }
    body.put("limits", limits);
    List<List<Double>> json = new ArrayList<>(points.size());
    for (double[] point : points) {
      json.add(List.of(point[0], point[1]));
    }
    body.put("points", json);
    sendJson(exchange, 200, body);
  }

  /** Where the value must return to for the alarm to clear (the deadband's far edge). */
  static List<Double> clearsAt(Comparison comparison, Limit limit) {
    double t = limit.threshold();
    double d = limit.deadband();
    return switch (comparison) {
      case GREATER_THAN, GREATER_OR_EQUAL -> List.of(t - d);
      case LESS_THAN, LESS_OR_EQUAL -> List.of(t + d);
      case EQUAL -> List.of(t - d, t + d);
      case NOT_EQUAL -> List.of();
    };
  }

  private void check(HttpExchange exchange) throws IOException {
    Map<String, Object> body = jsonBody(exchange);
    if (!(body.get("text") instanceof String text)) {
      throw new ConsoleRefusal(400, "the body must be {\"text\": \"<the rule file>\"}");
    }
    RuleFile.Result result =
        RuleFile.parse(text, parts.reloader().file().toString(), parts.stateTopics());
    List<Map<String, Object>> problems = new ArrayList<>();
    for (Problem problem : result.problems()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("line", problem.location().line());
      p.put("column", problem.location().column());
      p.put("context", problem.context() == null ? "" : problem.context());
      p.put("message", problem.message());
      p.put("text", problem.toString());
      problems.add(p);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ok", result.ok());
    answer.put("rules", result.rules().map(r -> r.size()).orElse(0));
    answer.put("problems", problems);
    sendJson(exchange, 200, answer);
  }

  private void historyList(HttpExchange exchange) throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    String applied = parts.reloader().appliedSha256();
    boolean currentMarked = false;
    for (RuleHistory.Version v : history.versions()) {
      Map<String, Object> m = versionJson(v, false);
      boolean current = !currentMarked && v.sha256().equals(applied);
      currentMarked |= current;
      m.put("current", current);
      list.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("available", history.available());
    body.put("applied_sha256", applied);
    body.put("versions", list);
    sendJson(exchange, 200, body);
  }

  private static Map<String, Object> versionJson(RuleHistory.Version v, boolean withText) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sha256", v.sha256());
    m.put("at", Instant.ofEpochSecond(0, v.atMicros() * 1000).toString());
    m.put("who", v.who());
    m.put("added", v.added());
    m.put("removed", v.removed());
    m.put("changed", v.changed());
    if (withText) {
      m.put("text", v.text());
    }
    return m;
  }

  /** An alarm as the board shows it: the retained state plus the rule's name and category. */
  Map<String, @Nullable Object> alarmJson(AlarmSnapshot alarm) {
    Map<String, @Nullable Object> map = new LinkedHashMap<>(parts.board().toMap(alarm));
    map.put("parameter", alarm.rule().name());
    map.put("category", EventCategory.THRESHOLD.value());
    map.put("comparison", alarm.rule().comparison().value());
    Limit limit = alarm.limit() != null ? alarm.limit() : alarm.rule().limits().get(0);
    map.put("threshold", limit.threshold());
    return map;
  }

  // ---- plumbing ----

  private static Map<String, String> form(HttpExchange exchange) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
      throw new ConsoleRefusal(415, "the login form must be application/x-www-form-urlencoded");
    }
    byte[] bytes = body(exchange, MAX_FORM);
    return parsePairs(new String(bytes, StandardCharsets.UTF_8));
  }

  private static Map<String, Object> jsonBody(HttpExchange exchange) throws IOException {
    byte[] bytes = body(exchange, MAX_BODY);
    try {
      return EventJson.readObject(bytes);
    } catch (IllegalArgumentException e) {
      throw new ConsoleRefusal(400, "the body is not a JSON object: " + e.getMessage());
    }
  }

  private static byte[] body(HttpExchange exchange, int max) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new ConsoleRefusal(413, "request body larger than " + max + " bytes");
      }
      return bytes;
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawQuery();
    return raw == null ? Map.of() : parsePairs(raw);
  }

  private static Map<String, String> parsePairs(String raw) {
    Map<String, String> map = new LinkedHashMap<>();
    if (raw.isEmpty()) {
      return map;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      map.put(
          decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return map;
  }

  private static int intParam(Map<String, String> q, String name, int dflt, int min, int max) {
    String text = q.get(name);
    if (text == null || text.isEmpty()) {
      return dflt;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConsoleRefusal(
        400, name + " must be an integer in [" + min + ", " + max + "], but was '" + text + "'");
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  static String escapeHtml(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static void securityHeaders(HttpExchange exchange) {
    exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
    exchange.getResponseHeaders().set("Referrer-Policy", "same-origin");
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    securityHeaders(exchange);
    exchange.getResponseHeaders().set("Location", location);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(303, -1);
  }

  private static void sendPage(HttpExchange exchange, int status, byte[] html) throws IOException {
    securityHeaders(exchange);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, status, html);
  }

  private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    securityHeaders(exchange);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, status, EventJson.writeValue(body));
  }

  private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
    if (!head && bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Ends the live streams and the history reader; stops feeding trends. Idempotent. */
  @Override
  public void close() {
    parts.ingest().onReading(null);
    parts.events().unsubscribe(live);
    live.close();
    history.close();
  }
}
