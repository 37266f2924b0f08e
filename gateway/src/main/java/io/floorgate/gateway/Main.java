package io.floorgate.gateway;

import io.floorgate.gateway.cli.FloorgateCommand;
import picocli.CommandLine;

/** Entry point of {@code floorgate.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Before any Chronicle class loads: no phoning home, no banner.
    System.setProperty("chronicle.analytics.disable", "true");
    System.setProperty("chronicle.announcer.disable", "true");
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) ->
            org.slf4j.LoggerFactory.getLogger(Main.class)
                .error("thread {} died: {}", thread.getName(), error.toString(), error));
    int code = FloorgateCommand.commandLine().execute(args);
    if (code != FloorgateCommand.KEEP_RUNNING) {
      System.exit(code);
    }
  }
}
