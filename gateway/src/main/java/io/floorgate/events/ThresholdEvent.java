package io.floorgate.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A threshold breach (seed {@code ThresholdEvent}): category {@code threshold}, default severity
 * {@code warning}, message {@code "Threshold breach: P exceeded T with value V"}, details {@code
 * parameter}, {@code threshold}, {@code actual_value}.
 */
public final class ThresholdEvent extends Event {

  /** With the seed's defaults (severity {@code warning}). */
  public ThresholdEvent(String parameter, double threshold, double actualValue) {
    this(builder(parameter, threshold, actualValue));
  }

  /** With the given severity. */
  public ThresholdEvent(
      String parameter, double threshold, double actualValue, EventSeverity severity) {
    this(builder(parameter, threshold, actualValue).severity(severity));
  }

  private ThresholdEvent(Builder builder) {
    super(
        builder,
        EventCategory.THRESHOLD,
        EventSeverity.WARNING,
        "Threshold breach: "
            + builder.parameter
            + " exceeded "
            + PythonFormat.str(builder.threshold)
            + " with value "
            + PythonFormat.str(builder.actualValue),
        builder.mergedDetails(ownDetails(builder)));
  }

  private ThresholdEvent(ThresholdEvent other, String source, boolean acknowledged) {
    super(other, source, acknowledged);
  }

  /** A builder for the seed's keyword arguments (severity, details, source, ...). */
  public static Builder builder(String parameter, double threshold, double actualValue) {
    return new Builder(parameter, threshold, actualValue);
  }

  private static Map<String, Object> ownDetails(Builder builder) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("parameter", builder.parameter);
    details.put("threshold", builder.threshold);
    details.put("actual_value", builder.actualValue);
    return details;
  }

  @Override
  protected Event copy(String source, boolean acknowledged) {
    return new ThresholdEvent(this, source, acknowledged);
  }

  /** Builds a {@link ThresholdEvent}. */
  public static final class Builder extends Options<Builder> {
    private final String parameter;
    private final double threshold;
    private final double actualValue;

    private Builder(String parameter, double threshold, double actualValue) {
      this.parameter = parameter;
      this.threshold = threshold;
      this.actualValue = actualValue;
    }

    @Override
    protected Builder self() {
      return this;
    }

    public ThresholdEvent build() {
      return new ThresholdEvent(this);
    }
  }
}
