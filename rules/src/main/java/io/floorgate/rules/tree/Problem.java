package io.floorgate.rules.tree;

import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with a document, printed as {@code FILE:LINE:COL: CONTEXT: message}, e.g.
 * {@code rules.yaml:7:15: rule 'line1-temp': deadband must be >= 0, but was -1}.
 *
 * @param location where it is
 * @param context what it belongs to ({@code rule 'line1-temp'}), or null
 * @param message what is wrong, naming the field and the bad value
 */
public record Problem(Location location, @Nullable String context, String message) {
  @Override
  public String toString() {
    return location + ": " + (context == null ? "" : context + ": ") + message;
  }
}
