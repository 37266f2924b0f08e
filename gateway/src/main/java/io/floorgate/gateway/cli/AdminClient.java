package io.floorgate.gateway.cli;

import io.floorgate.events.EventJson;
import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.gateway.config.GatewayConfig;
import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/** What the admin commands need to talk to a running gateway's admin API. */
final class AdminClient {
  private AdminClient() {}

  /** An answer: status and, for errors, the API's message. */
  record Response(int status, String body) {
    String error() {
      try {
        Object error = EventJson.readObject(body.getBytes(StandardCharsets.UTF_8)).get("error");
        return error == null ? body : error.toString();
      } catch (IllegalArgumentException e) {
        return body;
      }
    }
  }

  /** The admin API's base URL from a configuration file (or the defaults). */
  static String baseUrl(@Nullable Path config) {
    GatewayConfig loaded = config == null ? ConfigLoader.defaults() : ConfigLoader.load(config).orThrow();
    String host = loaded.admin().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + loaded.admin().port();
  }

  /** The password: FLOORGATE_PASSWORD, else asked on the console. */
  static char[] password(String user) {
    String fromEnv = System.getenv("FLOORGATE_PASSWORD");
    if (fromEnv != null) {
      return fromEnv.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      throw new IllegalStateException(
          "no console to ask for the password of '" + user + "': set FLOORGATE_PASSWORD");
    }
    char[] password = console.readPassword("Password for %s: ", user);
    if (password == null) {
      throw new IllegalStateException("no password given");
    }
    return password;
  }

  static Response send(
      String base, String user, char[] password, String method, String path, String body)
      throws IOException, InterruptedException {
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + new String(password)).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Basic " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build()
            .send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }
}
