package io.floorgate.rules;

import org.jspecify.annotations.Nullable;

/**
 * One limit of a rule. A rule has one limit, or several escalation tiers of one parameter (H and
 * HH, or L and LL) listed from the least to the most severe; the highest tier breached is the
 * one the alarm shows.
 *
 * @param level the tier's name ({@code H}, {@code HH}, {@code LL}...); empty for a rule with a
 *     single limit
 * @param threshold the limit (the seed's {@code value})
 * @param severity the events' severity at this tier, or null for {@code default_alert_severity}
 * @param deadband how far back past the threshold the value must return to leave this tier
 */
public record Limit(String level, double threshold, @Nullable Severity severity, double deadband) {}
