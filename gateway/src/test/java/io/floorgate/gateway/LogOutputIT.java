package io.floorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `floorgate run` writes to stdout, as journald or a log shipper gets it. */
class LogOutputIT {
  private static final String RULES =
      """
      rules:
        - id: line-temp
          name: Line temperature
          topic: plant/+/+/temperature
          comparison: greater_than
          value: 25.0
      """;

  @TempDir Path dir;

  private Path config(String logYaml) throws IOException {
    Files.writeString(dir.resolve("rules.yaml"), RULES);
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, GatewayFixture.config(dir, logYaml));
    return config;
  }

  /** Starts the gateway with stdout and stderr into {@code out}. */
  private static Process start(
      Path config, Path out, Map<String, String> environment, String... jvmOptions)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
        command.add(arg);
      }
    }
    command.add("-Xmx256m");
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run",
            "--config",
            config.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().remove("JOURNAL_STREAM");
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** Waits for the start-up line, then SIGTERM; returns the lines. */
  private static List<String> runUntilStartedThenStop(Process process, Path out)
      throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .failFast("the gateway exited: " + out, () -> !process.isAlive())
        .until(() -> Files.readString(out).contains("started in"));
    process.toHandle().destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(143);
    return Files.readAllLines(out);
  }

  /** JOURNAL_STREAM as systemd sets it: device and inode of the stream stdout is. */
  private static String journalStream(Path out) throws IOException {
    Files.writeString(out, "");
    Map<String, Object> id = Files.readAttributes(out, "unix:dev,ino");
    return id.get("dev") + ":" + id.get("ino");
  }

  @Test
  void stdoutIsTheJournal_linesCarryTheirPriority_andNoTimestamp() throws Exception {
    Path out = dir.resolve("journal.out");
    Map<String, String> env = Map.of("JOURNAL_STREAM", journalStream(out));

    List<String> lines = runUntilStartedThenStop(start(config(""), out, env), out);

    assertThat(lines)
        .isNotEmpty()
        .allMatch(l -> l.matches("<[3467]>(ERROR|WARN |INFO |DEBUG|TRACE) \\[[^]]+] \\S+ - .*"))
        .anyMatch(l -> l.startsWith("<6>INFO  [main] i.f.gateway.Gateway - Floorgate test-gw started"))
        .anyMatch(l -> l.contains("logging at info, text, journald"));
  }

  @Test
  void stdoutRedirectedAwayFromTheJournal_keepsTimestamps() throws Exception {
    Path out = dir.resolve("redirected.out");
    Map<String, String> env = Map.of("JOURNAL_STREAM", "8:999999999");

    List<String> lines = runUntilStartedThenStop(start(config(""), out, env), out);

    assertThat(lines)
        .isNotEmpty()
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* \\S+ .*"));
  }

  @Test
  void configProblems_underTheJournal_areErrorsOnEveryLine_andExitTwo() throws Exception {
    Path out = dir.resolve("bad.out");
    Map<String, String> env = Map.of("JOURNAL_STREAM", journalStream(out));
    Path config = config("log:\n  level: loud\n  format: xml\n");

    Process process = start(config, out, env);

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines)
        .hasSize(3)
        .allMatch(l -> l.startsWith("<3>"))
        .anyMatch(l -> l.matches("<3>  " + Pattern.quote(config.toString())
            + ":\\d+:10: log\\.level: level must be one of .*, but was 'loud'"))
        .anyMatch(l -> l.matches("<3>  " + Pattern.quote(config.toString())
            + ":\\d+:11: log\\.format: format must be one of \\[text, json], but was 'xml'"));
  }

  @Test
  void jsonFormat_everyLineIsOneJsonObject() throws Exception {
    Path out = dir.resolve("json.out");

    List<String> lines =
        runUntilStartedThenStop(start(config("log:\n  format: json\n"), out, Map.of()), out);

    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> objects = new ArrayList<>();
    for (String line : lines) {
      assertThatCode(() -> objects.add(mapper.readTree(line)))
          .as("every line of %s is JSON, including: %s", out, line)
          .doesNotThrowAnyException();
    }
    assertThat(objects)
        .isNotEmpty()
        .allMatch(o -> o.isObject() && o.has("level") && o.has("timestamp"))
        .anyMatch(o -> o.path("formattedMessage").asText().contains("started in"))
        .anyMatch(o -> o.path("formattedMessage").asText().equals("Floorgate stopped"));
  }

  @Test
  void badLevelProperty_stopsTheStartNamingThePropertyAndTheValue() throws Exception {
    Path out = dir.resolve("property.out");

    Process process = start(config(""), out, Map.of(), "-Dfloorgate.log.level=loud");

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(Files.readString(out))
        .contains(
            "-Dfloorgate.log.level: level must be one of [error, warn, info, debug, trace], but"
                + " was 'loud'");
  }
}
