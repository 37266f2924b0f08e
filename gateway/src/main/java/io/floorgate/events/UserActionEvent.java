package io.floorgate.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user action (seed {@code UserActionEvent}): category {@code user}, default severity {@code
 * info}, message {@code "User U performed action: A"}, details {@code user_id}, {@code action},
 * {@code action_details}.
 */
public final class UserActionEvent extends Event {

  /** With the seed's defaults. */
  public UserActionEvent(String userId, String action, Map<String, ?> actionDetails) {
    this(builder(userId, action, actionDetails));
  }

  private UserActionEvent(Builder builder) {
    super(
        builder,
        EventCategory.USER,
        EventSeverity.INFO,
        "User " + builder.userId + " performed action: " + builder.action,
        builder.mergedDetails(ownDetails(builder)));
  }

  private UserActionEvent(UserActionEvent other, String source, boolean acknowledged) {
    super(other, source, acknowledged);
  }

  /** A builder for the seed's keyword arguments (severity, details, source, ...). */
  public static Builder builder(String userId, String action, Map<String, ?> actionDetails) {
    return new Builder(userId, action, actionDetails);
  }

  private static Map<String, Object> ownDetails(Builder builder) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("user_id", builder.userId);
    details.put("action", builder.action);
    details.put("action_details", builder.actionDetails);
    return details;
  }

  @Override
  protected Event copy(String source, boolean acknowledged) {
    return new UserActionEvent(this, source, acknowledged);
  }

  /** Builds a {@link UserActionEvent}. */
  public static final class Builder extends Options<Builder> {
    private final String userId;
    private final String action;
    private final Map<String, ?> actionDetails;

    private Builder(String userId, String action, Map<String, ?> actionDetails) {
      this.userId = userId;
      this.action = action;
      this.actionDetails = actionDetails;
    }

    @Override
    protected Builder self() {
      return this;
    }

    public UserActionEvent build() {
      return new UserActionEvent(this);
    }
  }
}
