package io.floorgate.gateway;

/** The gateway could not start; the message says which part and why. */
public final class GatewayStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean bug;

  public GatewayStartException(String message) {
    super(message);
    this.bug = false;
  }

  public GatewayStartException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private GatewayStartException(String message, Throwable cause, boolean bug) {
    super(message, cause);
    this.bug = bug;
  }

  /**
   * A start that failed with {@code e}, which no part turned into an explanation: its message
   * when it has one, and for a programming error (a null, a bad cast or index) also the mark of a
   * bug, so that it is logged with where it happened.
   */
  public static GatewayStartException of(RuntimeException e) {
    boolean bug =
        e.getMessage() == null
            || e instanceof NullPointerException
            || e instanceof ClassCastException
            || e instanceof IndexOutOfBoundsException
            || e instanceof ArithmeticException;
    return new GatewayStartException(e.getMessage() == null ? e.toString() : e.getMessage(), e, bug);
  }

  /** True when the cause is a programming error whose stack trace belongs in the log. */
  public boolean bug() {
    return bug;
  }
}
