package io.floorgate.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimization opportunity (seed {@code OptimizationEvent}): category {@code optimization},
 * default severity {@code info}, message {@code "Optimization opportunity: T with 12.35%
 * improvement potential"}, details {@code optimization_type}, {@code potential_improvement},
 * {@code recommended_action}.
 */
public final class OptimizationEvent extends Event {

  /** With the seed's defaults. */
  public OptimizationEvent(
      String optimizationType, double potentialImprovement, String recommendedAction) {
    this(builder(optimizationType, potentialImprovement, recommendedAction));
  }

  private OptimizationEvent(Builder builder) {
    super(
        builder,
        EventCategory.OPTIMIZATION,
        EventSeverity.INFO,
        "Optimization opportunity: "
            + builder.optimizationType
            + " with "
            + PythonFormat.fixed2(builder.potentialImprovement)
            + "% improvement potential",
        builder.mergedDetails(ownDetails(builder)));
  }

  private OptimizationEvent(OptimizationEvent other, String source, boolean acknowledged) {
    super(other, source, acknowledged);
  }

  /** A builder for the seed's keyword arguments (severity, details, source, ...). */
  public static Builder builder(
      String optimizationType, double potentialImprovement, String recommendedAction) {
    return new Builder(optimizationType, potentialImprovement, recommendedAction);
  }

  private static Map<String, Object> ownDetails(Builder builder) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("optimization_type", builder.optimizationType);
    details.put("potential_improvement", builder.potentialImprovement);
    details.put("recommended_action", builder.recommendedAction);
    return details;
  }

  @Override
  protected Event copy(String source, boolean acknowledged) {
    return new OptimizationEvent(this, source, acknowledged);
  }

  /** Builds an {@link OptimizationEvent}. */
  public static final class Builder extends Options<Builder> {
    private final String optimizationType;
    private final double potentialImprovement;
    private final String recommendedAction;

    private Builder(
        String optimizationType, double potentialImprovement, String recommendedAction) {
      this.optimizationType = optimizationType;
      this.potentialImprovement = potentialImprovement;
      this.recommendedAction = recommendedAction;
    }

    @Override
    protected Builder self() {
      return this;
    }

    public OptimizationEvent build() {
      return new OptimizationEvent(this);
    }
  }
}
