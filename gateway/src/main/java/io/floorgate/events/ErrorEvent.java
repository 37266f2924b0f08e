package io.floorgate.events;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A system error (seed {@code ErrorEvent}): category {@code error}, default severity {@code
 * error}, message {@code "Error: TYPE - MESSAGE"}, details {@code error_type}, {@code
 * error_message}, {@code stacktrace} (null when none was given).
 */
public final class ErrorEvent extends Event {

  /** With the seed's defaults (severity {@code error}, no stack trace). */
  public ErrorEvent(String errorType, String errorMessage) {
    this(builder(errorType, errorMessage));
  }

  private ErrorEvent(Builder builder) {
    super(
        builder,
        EventCategory.ERROR,
        EventSeverity.ERROR,
        "Error: " + builder.errorType + " - " + builder.errorMessage,
        builder.mergedDetails(ownDetails(builder)));
  }

  private ErrorEvent(ErrorEvent other, String source, boolean acknowledged) {
    super(other, source, acknowledged);
  }

  /** A builder for the seed's keyword arguments (stacktrace, severity, details, source, ...). */
  public static Builder builder(String errorType, String errorMessage) {
    return new Builder(errorType, errorMessage);
  }

  private static Map<String, @Nullable Object> ownDetails(Builder builder) {
    Map<String, @Nullable Object> details = new LinkedHashMap<>();
    details.put("error_type", builder.errorType);
    details.put("error_message", builder.errorMessage);
    details.put("stacktrace", builder.stacktrace);
    return details;
  }

  @Override
  protected Event copy(String source, boolean acknowledged) {
    return new ErrorEvent(this, source, acknowledged);
  }

  /** Builds an {@link ErrorEvent}. */
  public static final class Builder extends Options<Builder> {
    private final String errorType;
    private final String errorMessage;
    private @Nullable String stacktrace;

    private Builder(String errorType, String errorMessage) {
      this.errorType = errorType;
      this.errorMessage = errorMessage;
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The seed's optional {@code stacktrace}; null (the default) is written as JSON null. */
    public Builder stacktrace(@Nullable String stacktrace) {
      this.stacktrace = stacktrace;
      return this;
    }

    public ErrorEvent build() {
      return new ErrorEvent(this);
    }
  }
}
