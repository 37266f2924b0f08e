package io.floorgate.gateway.config;

import io.floorgate.rules.tree.Problem;
import java.util.List;

/** The configuration cannot be used; the message lists every problem, one per line. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public ConfigException(String what, List<Problem> problems) {
    super(
        what
            + " has "
            + problems.size()
            + " problem(s):\n"
            + String.join("\n", problems.stream().map(p -> "  " + p).toList()));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
