package io.floorgate.gateway;

/** The gateway could not start; the message says which part and why. */
public final class GatewayStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GatewayStartException(String message) {
    super(message);
  }

  public GatewayStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
