package io.floorgate.gateway.cli;

import io.floorgate.gateway.config.ConfigLoader;
import io.floorgate.rules.Limit;
import io.floorgate.rules.Rule;
import io.floorgate.rules.RuleFile;
import io.floorgate.rules.RuleSet;
import io.floorgate.rules.tree.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code floorgate rules ...}: work with rule files. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Work with rule files.",
    subcommands = {RulesCommand.CheckCommand.class})
final class RulesCommand {

  /** {@code floorgate rules check FILE}: every problem, or a summary. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Validate a rule file: print every problem as FILE:LINE:COL: rule 'ID': message and exit"
              + " 1, or print a summary of the rules and exit 0.")
  static final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The rule file (YAML or JSON).")
    Path file;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "CONFIG",
        description = "Gateway configuration whose rules.state_topics to use (default twin/+/state).")
    Path config;

    @Override
    public Integer call() {
      List<String> stateTopics =
          (config == null ? ConfigLoader.defaults() : ConfigLoader.load(config).orThrow())
              .rules()
              .stateTopics();
      RuleFile.Result result = RuleFile.load(file, stateTopics);
      if (!result.ok()) {
        PrintWriter err = spec.commandLine().getErr();
        for (Problem problem : result.problems()) {
          err.println(problem);
        }
        err.println(result.problems().size() + " problem(s) in " + file);
        err.flush();
        return 1;
      }
      PrintWriter out = spec.commandLine().getOut();
      RuleSet rules = result.orThrow();
      out.println(file + ": " + rules.size() + " rule(s), no problems");
      for (Rule rule : rules.rules()) {
        out.println("  " + describe(rule));
      }
      out.flush();
      return 0;
    }

    private static String describe(Rule rule) {
      String limits =
          rule.limits().stream()
              .map(RulesCommand::describe)
              .collect(Collectors.joining(", "));
      StringBuilder line =
          new StringBuilder()
              .append(rule.id())
              .append(": ")
              .append(rule.name())
              .append(" on ")
              .append(String.join(", ", rule.topics()))
              .append(rule.path().isEmpty() ? "" : " at " + rule.path())
              .append(", ")
              .append(rule.comparison().value())
              .append(' ')
              .append(limits);
      if (!rule.onDelay().isZero()) {
        line.append(", on_delay ").append(rule.onDelay().toMillis()).append(" ms");
      }
      if (!rule.offDelay().isZero()) {
        line.append(", off_delay ").append(rule.offDelay().toMillis()).append(" ms");
      }
      line.append(", ").append(rule.mode().value());
      if (rule.latch()) {
        line.append(", latching");
      }
      if (rule.outOfService()) {
        line.append(", OUT OF SERVICE");
      }
      return line.toString();
    }
  }

  private static String describe(Limit limit) {
    return (limit.level().isEmpty() ? "" : limit.level() + " ")
        + limit.threshold()
        + " ("
        + (limit.severity() == null ? "default severity" : limit.severity().value())
        + (limit.deadband() > 0 ? ", deadband " + limit.deadband() : "")
        + ")";
  }
}
