/**
 * The evaluator: alarm state per rule and telemetry topic, with deadband, delays and the ISA-18.2
 * acknowledgement states. Pure and single-threaded: one thread owns an {@link
 * io.floorgate.rules.eval.Evaluator} and passes it the time.
 */
@NullMarked
package io.floorgate.rules.eval;

import org.jspecify.annotations.NullMarked;
