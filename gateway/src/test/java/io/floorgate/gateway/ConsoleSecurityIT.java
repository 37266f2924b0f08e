package io.floorgate.gateway;

import static io.floorgate.gateway.GatewayFixture.ADMIN_PASSWORD;
import static io.floorgate.gateway.GatewayFixture.ADMIN_USER;
import static io.floorgate.gateway.GatewayFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.events.Event;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web console's login, sessions, CSRF protection and live streams, over real HTTP. */
class ConsoleSecurityIT {
  @TempDir Path dir;
  private GatewayFixture fixture;
  private ConsoleHttp console;

  @BeforeEach
  void start() {
    fixture = GatewayFixture.start(dir, GatewayFixture.LINE_TEMP_RULES);
    console = new ConsoleHttp(fixture.gateway.adminPort().getAsInt());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private String breach(Scada scada) {
    publish(fixture.device("sensor"), "plant/l1/s1/temperature", "26.5");
    return (String)
        scada.await(r -> r.topic().equals("alerts/warning/threshold")).json().get("event_id");
  }

  @Test
  void withoutASession_everyPageAndConsoleCallIsRefused() throws Exception {
    ConsoleHttp.Answer root = console.send("GET", "/", null, Map.of());
    assertThat(root.status()).isEqualTo(303);
    assertThat(root.headers().firstValue("Location")).hasValue("/login");
    assertThat(root.body()).doesNotContain("main.js");

    List<String[]> calls =
        List.of(
            new String[] {"GET", "/index.html"},
            new String[] {"GET", "/app/main.js"},
            new String[] {"GET", "/app/alarms.js"},
            new String[] {"GET", "/anything-else"},
            new String[] {"POST", "/logout"},
            new String[] {"GET", "/console/api/session"},
            new String[] {"GET", "/console/api/stream"},
            new String[] {"GET", "/console/api/events"},
            new String[] {"GET", "/console/api/events/x"},
            new String[] {"GET", "/console/api/trend?rule=line-temp"},
            new String[] {"GET", "/console/api/trend/series"},
            new String[] {"POST", "/console/api/rules/check"},
            new String[] {"GET", "/console/api/rules/history"},
            new String[] {"GET", "/console/api/status"},
            new String[] {"GET", "/api/alarms"},
            new String[] {"POST", "/api/alarms/line-temp/shelve"},
            new String[] {"PUT", "/api/rules"});
    for (String[] call : calls) {
      for (Map<String, String> headers :
          List.of(Map.<String, String>of(), Map.of("Cookie", "floorgate_session=forged"))) {
        ConsoleHttp.Answer answer = console.send(call[0], call[1], "{}", headers);
        String what = call[0] + " " + call[1] + " with " + headers;
        if (call[1].equals("/index.html")) {
          assertThat(answer.status()).as(what).isEqualTo(303);
        } else {
          assertThat(answer.status()).as(what).isEqualTo(401);
        }
        assertThat(answer.body()).as(what).doesNotContain("import ").doesNotContain("<html");
      }
    }
    // A browser with a stale cookie gets no Basic challenge (no password pop-up).
    ConsoleHttp.Answer stale =
        console.send("GET", "/api/alarms", null, Map.of("Cookie", "floorgate_session=forged"));
    assertThat(stale.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(stale.json().get("error").toString()).contains("session has expired");
    // The login page and its style sheet are public.
    assertThat(console.send("GET", "/login", null, Map.of()).status()).isEqualTo(200);
    assertThat(console.send("GET", "/assets/console.css", null, Map.of()).status()).isEqualTo(200);
  }

  @Test
  void login_setsAnHttpOnlySameSiteStrictCookie_notSecureOverPlainHttp() throws Exception {
    ConsoleHttp.Answer answer = console.postLogin(ADMIN_USER, ADMIN_PASSWORD);
    assertThat(answer.status()).isEqualTo(303);
    assertThat(answer.headers().firstValue("Location")).hasValue("/");
    String cookie =
        answer.cookies().stream().filter(c -> c.startsWith("floorgate_session=")).findFirst().orElseThrow();
    assertThat(cookie)
        .contains("; HttpOnly")
        .contains("; SameSite=Strict")
        .contains("; Path=/")
        .contains("; Max-Age=43200")
        .doesNotContain("Secure");
    assertThat(cookie.substring("floorgate_session=".length(), cookie.indexOf(';')))
        .hasSize(43); // 256 random bits
  }

  @Test
  void login_withAWrongPasswordOrAnExpiredForm_isRefused_andCounted() throws Exception {
    ConsoleHttp.Answer wrong = console.postLogin(ADMIN_USER, "guess");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("Wrong user name or password.");
    assertThat(wrong.cookies()).noneMatch(c -> c.startsWith("floorgate_session="));
    assertThat(console.postLogin(ADMIN_USER, "").status()).isEqualTo(401);
    assertThat(console.postLogin("", "").status()).isEqualTo(401);

    // The form's token must come with its cookie (login CSRF).
    String[] form = console.loginForm();
    ConsoleHttp.Answer noCookie =
        console.send(
            "POST",
            "/login",
            "login_token=" + form[0] + "&username=admin&password=x",
            Map.of("Content-Type", "application/x-www-form-urlencoded"));
    assertThat(noCookie.status()).isEqualTo(403);
    assertThat(noCookie.body()).contains("The login form had expired");

    ConsoleHttp.Answer metrics = console.send("GET", "/metrics", null, Map.of());
    assertThat(metrics.body()).contains("floorgate_admin_failed_logins_total 3.0");
  }

  @Test
  void aStateChangingCall_withoutTheCsrfToken_isRefused_andChangesNothing() throws Exception {
    Scada scada = fixture.scada("scada", "alerts/#");
    String eventId = breach(scada);
    ConsoleHttp.Session session = console.login("op-7", ADMIN_PASSWORD);
    String rulesBefore = Files.readString(dir.resolve("rules.yaml"));

    ConsoleHttp.Answer ack = console.call(session, "POST", "/api/events/" + eventId + "/ack", "", false);
    assertThat(ack.status()).isEqualTo(403);
    assertThat(ack.json().get("error").toString()).contains("CSRF token is missing");
    ConsoleHttp.Session forged = new ConsoleHttp.Session(session.cookie(), "forged");
    assertThat(console.call(forged, "POST", "/api/events/" + eventId + "/ack", "", true).status())
        .isEqualTo(403);
    assertThat(
            console.call(session, "PUT", "/api/rules", "{\"text\": \"rules: []\"}", false).status())
        .isEqualTo(403);
    assertThat(
            console
                .call(session, "POST", "/api/alarms/line-temp/shelve",
                    "{\"duration\": \"1h\", \"reason\": \"x\"}", false)
                .status())
        .isEqualTo(403);
    assertThat(console.call(session, "POST", "/console/api/rules/check", "{\"text\": \"\"}", false).status())
        .isEqualTo(403);
    assertThat(console.call(session, "POST", "/logout", null, false).status()).isEqualTo(403);
    // From another site, even with the token.
    ConsoleHttp.Answer crossSite =
        console.send(
            "POST",
            "/api/events/" + eventId + "/ack",
            "",
            Map.of(
                "Cookie", session.cookie(),
                "X-CSRF-Token", session.csrf(),
                "Origin", "http://evil.example"));
    assertThat(crossSite.status()).isEqualTo(403);
    assertThat(fixture.gateway.events().getEvent(eventId))
        .get()
        .extracting(Event::acknowledged)
        .isEqualTo(false);
    assertThat(Files.readString(dir.resolve("rules.yaml"))).isEqualTo(rulesBefore);
    assertThat(console.call(session, "GET", "/api/alarms", null, false).body())
        .doesNotContain("shelved");

    // With the token it goes through, as the session's user.
    ConsoleHttp.Answer done =
        console.call(session, "POST", "/api/events/" + eventId + "/ack", "", true);
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json()).containsEntry("user_id", "op-7");
  }

  @Test
  void aStateChangingApiCall_fromAnotherSite_isRefused_evenWithBasicCredentials() throws Exception {
    // A browser that once answered the Basic challenge sends those credentials by itself.
    Scada scada = fixture.scada("scada", "alerts/#");
    String eventId = breach(scada);
    String basic =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    (ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (Map<String, String> fromElsewhere :
        List.of(
            Map.of("Authorization", basic, "Origin", "http://evil.example"),
            Map.of("Authorization", basic, "Sec-Fetch-Site", "cross-site"))) {
      ConsoleHttp.Answer answer =
          console.send("POST", "/api/events/" + eventId + "/ack", "", fromElsewhere);
      assertThat(answer.status()).as(fromElsewhere.toString()).isEqualTo(403);
      assertThat(answer.json().get("error").toString()).contains("cross-");
    }
    assertThat(fixture.gateway.events().getEvent(eventId))
        .get()
        .extracting(Event::acknowledged)
        .isEqualTo(false);

    // A script sends no Origin: unaffected. So is a same-origin page.
    assertThat(
            console
                .send("GET", "/api/alarms", null, Map.of("Authorization", basic, "Origin", "http://evil.example"))
                .status())
        .isEqualTo(200);
    ConsoleHttp.Answer script =
        console.send("POST", "/api/events/" + eventId + "/ack", "", Map.of("Authorization", basic));
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.json()).containsEntry("user_id", ADMIN_USER);
  }

  @Test
  void logout_endsTheSession() throws Exception {
    ConsoleHttp.Session session = console.login(ADMIN_USER, ADMIN_PASSWORD);
    assertThat(console.call(session, "GET", "/", null, false).status()).isEqualTo(200);
    ConsoleHttp.Answer out = console.call(session, "POST", "/logout", null, true);
    assertThat(out.status()).isEqualTo(200);
    assertThat(out.cookies()).anyMatch(c -> c.startsWith("floorgate_session=;") && c.contains("Max-Age=0"));
    assertThat(console.call(session, "GET", "/", null, false).status()).isEqualTo(303);
    assertThat(console.call(session, "GET", "/console/api/status", null, false).status())
        .isEqualTo(401);
  }

  @Test
  void pages_carryAStrictContentSecurityPolicy() throws Exception {
    ConsoleHttp.Session session = console.login(ADMIN_USER, ADMIN_PASSWORD);
    for (String path : List.of("/", "/app/main.js", "/login")) {
      ConsoleHttp.Answer answer = console.call(session, "GET", path, null, false);
      assertThat(answer.status()).as(path).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Security-Policy"))
          .as(path)
          .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe"));
      assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
  }

  @Test
  void liveStreams_areBounded_andCleanedUpWhenTheClientGoes() throws Exception {
    ConsoleHttp.Session session = console.login(ADMIN_USER, ADMIN_PASSWORD);
    HttpClient http = HttpClient.newHttpClient();
    List<InputStream> streams = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(URI.create(console.base + "/console/api/stream"))
                  .header("Cookie", session.cookie())
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
      streams.add(response.body());
    }
    assertThat(streamsOpen(session)).isEqualTo(8);
    ConsoleHttp.Answer ninth = console.call(session, "GET", "/console/api/stream", null, false);
    assertThat(ninth.status()).isEqualTo(503);
    assertThat(ninth.json().get("error").toString()).contains("too many live connections (8)");
    // The admin API still answers: streams do not hold its two request threads.
    assertThat(console.call(session, "GET", "/api/alarms", null, false).status()).isEqualTo(200);

    byte[] first = new byte[64];
    int n = streams.get(0).read(first);
    assertThat(new String(first, 0, n, java.nio.charset.StandardCharsets.UTF_8)).startsWith("retry: 2000");

    for (InputStream stream : streams) {
      stream.close();
    }
    var device = fixture.device("sensor");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              // Each event is written to every stream; a write to a closed one ends it.
              publish(device, "plant/l1/s1/temperature", "26.5");
              publish(device, "plant/l1/s1/temperature", "20");
              assertThat(streamsOpen(session)).isZero();
            });
  }

  private int streamsOpen(ConsoleHttp.Session session) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> consoleStatus =
        (Map<String, Object>)
            console.call(session, "GET", "/console/api/status", null, false).json().get("console");
    return ((Number) consoleStatus.get("streams")).intValue();
  }
}
