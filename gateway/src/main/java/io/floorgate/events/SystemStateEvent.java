package io.floorgate.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A system state change (seed {@code SystemStateEvent}): category {@code system}, default severity
 * {@code info}, message {@code "System state changed from A to B"}, details {@code
 * previous_state}, {@code new_state}.
 */
public final class SystemStateEvent extends Event {

  /** With the seed's defaults. */
  public SystemStateEvent(String previousState, String newState) {
    this(builder(previousState, newState));
  }

  private SystemStateEvent(Builder builder) {
    super(
        builder,
        EventCategory.SYSTEM,
        EventSeverity.INFO,
        "System state changed from " + builder.previousState + " to " + builder.newState,
        builder.mergedDetails(ownDetails(builder.previousState, builder.newState)));
  }

  private SystemStateEvent(SystemStateEvent other, String source, boolean acknowledged) {
    super(other, source, acknowledged);
  }

  /** A builder for the seed's keyword arguments (severity, details, source, ...). */
  public static Builder builder(String previousState, String newState) {
    return new Builder(previousState, newState);
  }

  private static Map<String, Object> ownDetails(String previousState, String newState) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("previous_state", previousState);
    details.put("new_state", newState);
    return details;
  }

  @Override
  protected Event copy(String source, boolean acknowledged) {
    return new SystemStateEvent(this, source, acknowledged);
  }

  /** Builds a {@link SystemStateEvent}. */
  public static final class Builder extends Options<Builder> {
    private final String previousState;
    private final String newState;

    private Builder(String previousState, String newState) {
      this.previousState = previousState;
      this.newState = newState;
    }

    @Override
    protected Builder self() {
      return this;
    }

    public SystemStateEvent build() {
      return new SystemStateEvent(this);
    }
  }
}
