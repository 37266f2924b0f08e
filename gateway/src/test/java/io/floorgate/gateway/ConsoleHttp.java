package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.events.EventJson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The web console over real HTTP: logging in as a browser does, then calls with the session. */
final class ConsoleHttp {
  private static final Pattern LOGIN_TOKEN = Pattern.compile("name=\"login_token\" value=\"([^\"]+)\"");

  final String base;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** A response. */
  record Answer(int status, String body, java.net.http.HttpHeaders headers) {
    Map<String, Object> json() {
      return EventJson.readObject(body.getBytes(StandardCharsets.UTF_8));
    }

    List<String> cookies() {
      return headers.allValues("Set-Cookie");
    }
  }

  /** A logged-in session: its cookie and CSRF token. */
  record Session(String cookie, String csrf) {}

  ConsoleHttp(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  Answer send(String method, String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body(), response.headers());
  }

  /** A call with the session's cookie and, when {@code withCsrf}, its token. */
  Answer call(Session session, String method, String path, String body, boolean withCsrf)
      throws Exception {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Cookie", session.cookie());
    if (withCsrf) {
      headers.put("X-CSRF-Token", session.csrf());
    }
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    return send(method, path, body, headers);
  }

  /** The login form's token and its cookie, as a browser gets them. */
  String[] loginForm() throws Exception {
    Answer page = send("GET", "/login", null, Map.of());
    assertThat(page.status()).isEqualTo(200);
    Matcher m = LOGIN_TOKEN.matcher(page.body());
    assertThat(m.find()).as("the login page has a login token").isTrue();
    String cookie =
        page.cookies().stream().filter(c -> c.startsWith("floorgate_login=")).findFirst().orElseThrow();
    return new String[] {m.group(1), cookie.substring(0, cookie.indexOf(';'))};
  }

  /** Posts the login form. */
  Answer postLogin(String user, String password) throws Exception {
    String[] form = loginForm();
    String body =
        "login_token="
            + URLEncoder.encode(form[0], StandardCharsets.UTF_8)
            + "&username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8);
    return send(
        "POST",
        "/login",
        body,
        Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", form[1]));
  }

  /** Logs in and reads the session's CSRF token. */
  Session login(String user, String password) throws Exception {
    Answer answer = postLogin(user, password);
    assertThat(answer.status()).as("login of %s", user).isEqualTo(303);
    String setCookie =
        answer.cookies().stream()
            .filter(c -> c.startsWith("floorgate_session="))
            .findFirst()
            .orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    Answer session = send("GET", "/console/api/session", null, Map.of("Cookie", cookie));
    assertThat(session.status()).isEqualTo(200);
    return new Session(cookie, (String) session.json().get("csrf_token"));
  }
}
