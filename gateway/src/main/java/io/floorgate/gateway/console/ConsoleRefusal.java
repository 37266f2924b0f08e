package io.floorgate.gateway.console;

/**
 * A console request refused before it reached its handler: no session, an expired one, a missing
 * or wrong CSRF token, a cross-site origin. The message says which.
 */
public final class ConsoleRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  ConsoleRefusal(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status to answer with (401 or 403). */
  public int status() {
    return status;
  }
}
