package io.floorgate.gateway;

import io.floorgate.gateway.cli.FloorgateCommand;
import io.floorgate.gateway.logging.LogSetup;
import picocli.CommandLine;

/** Entry point of {@code floorgate.jar}. */
public final class Main {
  private Main() {}

  private static void quietLogging() {
    if (org.slf4j.LoggerFactory.getILoggerFactory()
        instanceof ch.qos.logback.classic.LoggerContext context) {
      context.getLogger("io.floorgate").setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  public static void main(String[] args) {
    // Before any Chronicle class loads: no phoning home, no banner.
    System.setProperty("chronicle.analytics.disable", "true");
    System.setProperty("chronicle.announcer.disable", "true");
    // Before Netty loads: see Broker's static initializer.
    System.setProperty("io.netty.transport.estimateSizeOnSubmit", "false");
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) ->
            org.slf4j.LoggerFactory.getLogger(Main.class)
                .error("thread {} died: {}", thread.getName(), error.toString(), error));
    boolean runsGateway = args.length == 0 || args[0].equals("run") || args[0].startsWith("-c")
        || args[0].startsWith("--config");
    if (runsGateway) {
      LogSetup.early();
    } else {
      // Admin commands print their own output; the gateway's INFO lines would only clutter it.
      quietLogging();
    }
    int code = FloorgateCommand.execute(args);
    if (code != FloorgateCommand.KEEP_RUNNING) {
      System.exit(code);
    }
  }
}
