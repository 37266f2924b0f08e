package io.floorgate.gateway.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The console's login sessions, in memory (a restart logs everybody out).
 *
 * <p>A session is a random 256-bit id in a cookie ({@code HttpOnly}, {@code SameSite=Strict},
 * {@code Secure} when the request came over TLS) and a second random token for CSRF: every
 * state-changing request (POST, PUT, DELETE, PATCH) must carry it in {@value #CSRF_HEADER} (or the
 * form field {@code csrf_token}), compared in constant time; the page reads it from {@code GET
 * /console/api/session}, which another site cannot read. State-changing requests whose {@code
 * Origin} is not this server, or that the browser marks {@code Sec-Fetch-Site: cross-site}, are
 * refused as well.
 *
 * <p>A session ends after {@link #IDLE} without a request, after {@link #MAX_AGE} in any case, or
 * on logout. At most {@link #MAX_SESSIONS} live at once; a new login beyond that ends the one
 * idle longest.
 *
 * <p>Thread-safe.
 */
public final class Sessions {
  /** The session cookie's name. */
  public static final String COOKIE = "floorgate_session";
  /** The request header that carries the CSRF token. */
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** A session unused this long ends. */
  public static final Duration IDLE = Duration.ofMinutes(30);
  /** A session ends this long after login, used or not. */
  public static final Duration MAX_AGE = Duration.ofHours(12);
  /** Sessions alive at once. */
  public static final int MAX_SESSIONS = 64;

  private static final List<String> UNSAFE = List.of("POST", "PUT", "DELETE", "PATCH");

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> byId = new ConcurrentHashMap<>();

  /** A logged-in user. */
  public static final class Session {
    private final String id;
    private final String user;
    private final String csrfToken;
    private final long createdMillis;
    private volatile long lastSeenMillis;

    Session(String id, String user, String csrfToken, long createdMillis) {
      this.id = id;
      this.user = user;
      this.csrfToken = csrfToken;
      this.createdMillis = createdMillis;
      this.lastSeenMillis = createdMillis;
    }

    public String user() {
      return user;
    }

    public String csrfToken() {
      return csrfToken;
    }

    String id() {
      return id;
    }

    /** When it ends unless used again (epoch milliseconds). */
    public long expiresMillis() {
      return Math.min(lastSeenMillis + IDLE.toMillis(), createdMillis + MAX_AGE.toMillis());
    }

    boolean expired(long now) {
      return now >= expiresMillis();
    }
  }

  public Sessions(Clock clock) {
    this.clock = clock;
  }

  /** Starts a session for {@code user} (whose password was just checked). */
  public Session create(String user) {
    long now = clock.millis();
    byId.values().removeIf(s -> s.expired(now));
    while (byId.size() >= MAX_SESSIONS) {
      byId.values().stream()
          .min(Comparator.comparingLong(s -> s.lastSeenMillis))
          .ifPresent(oldest -> byId.remove(oldest.id));
    }
    Session session = new Session(token(), user, token(), now);
    byId.put(session.id, session);
    return session;
  }

  /** The live session the request's cookie names, if any; using it keeps it alive. */
  public Optional<Session> find(HttpExchange exchange) {
    String id = cookie(exchange, COOKIE);
    if (id == null) {
      return Optional.empty();
    }
    Session session = byId.get(id);
    long now = clock.millis();
    if (session == null || session.expired(now)) {
      if (session != null) {
        byId.remove(id, session);
      }
      return Optional.empty();
    }
    session.lastSeenMillis = now;
    return Optional.of(session);
  }

  /** Keeps {@code session} alive if it still is (an open live stream); false when it ended. */
  boolean touch(Session session) {
    long now = clock.millis();
    if (byId.get(session.id) != session || session.expired(now)) {
      return false;
    }
    session.lastSeenMillis = now;
    return true;
  }

  /** True when the request carries a session cookie at all (live or not). */
  public static boolean hasCookie(HttpExchange exchange) {
    return cookie(exchange, COOKIE) != null;
  }

  /**
   * The session of a request that needs one; for a state-changing method also the CSRF token
   * ({@code formToken} is the form field's value, when the body was a form).
   *
   * @throws ConsoleRefusal 401 without a live session, 403 without the right token or from
   *     another site
   */
  public Session require(HttpExchange exchange, @Nullable String formToken) {
    Session session =
        find(exchange)
            .orElseThrow(
                () ->
                    new ConsoleRefusal(
                        401,
                        hasCookie(exchange)
                            ? "the session has expired or was ended; log in again"
                            : "not logged in: log in at /login (or use HTTP Basic for /api)"));
    if (UNSAFE.contains(exchange.getRequestMethod().toUpperCase(Locale.ROOT))) {
      checkSameOrigin(exchange);
      String given = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
      if (given == null) {
        given = formToken;
      }
      if (given == null || given.isEmpty()) {
        throw new ConsoleRefusal(
            403, "the CSRF token is missing: send it in the " + CSRF_HEADER + " header");
      }
      if (!constantTimeEquals(given, session.csrfToken)) {
        throw new ConsoleRefusal(403, "the CSRF token does not belong to this session");
      }
    }
    return session;
  }

  /**
   * Refuses a state-changing request that a browser says comes from another site: {@code
   * Sec-Fetch-Site: cross-site}, or an {@code Origin} whose host and port are not the request's
   * {@code Host}.
   *
   * @throws ConsoleRefusal 403 naming the header that gave it away
   */
  public static void checkSameOrigin(HttpExchange exchange) {
    String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
    if (site != null && site.equalsIgnoreCase("cross-site")) {
      throw new ConsoleRefusal(403, "cross-site request refused (Sec-Fetch-Site: cross-site)");
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (origin != null && host != null) {
      // Host and port, not the scheme: behind a TLS-terminating proxy the page is https while
      // this server sees plain HTTP (the proxy must pass the Host header on).
      int scheme = origin.indexOf("://");
      String authority = scheme < 0 ? "" : origin.substring(scheme + 3);
      if (!authority.equalsIgnoreCase(host)) {
        throw new ConsoleRefusal(
            403, "cross-origin request refused: Origin " + origin + " is not this server (" + host + ")");
      }
    }
  }

  /** Ends the session (logout). */
  public void end(Session session) {
    byId.remove(session.id, session);
  }

  /** Sessions alive now. */
  public int size() {
    long now = clock.millis();
    return (int) byId.values().stream().filter(s -> !s.expired(now)).count();
  }

  /** The {@code Set-Cookie} value that hands {@code session} to the browser. */
  public static String cookieFor(Session session, HttpExchange exchange) {
    return COOKIE
        + "="
        + session.id
        + "; Path=/; Max-Age="
        + MAX_AGE.toSeconds()
        + "; HttpOnly; SameSite=Strict"
        + (exchange instanceof HttpsExchange ? "; Secure" : "");
  }

  /** The {@code Set-Cookie} value that removes cookie {@code name}. */
  public static String expiredCookie(String name, HttpExchange exchange) {
    return name
        + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        + (exchange instanceof HttpsExchange ? "; Secure" : "");
  }

  /** A fresh random token: 256 bits, URL-safe Base64. */
  String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** The value of cookie {@code name} in the request, or null. */
  static @Nullable String cookie(HttpExchange exchange, String name) {
    List<String> headers = exchange.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String header : headers) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          String value = pair.substring(eq + 1).trim();
          return value.isEmpty() ? null : value;
        }
      }
    }
    return null;
  }
}
