/**
 * The running gateway: {@link io.floorgate.gateway.Gateway} wires the parts in the sub-packages
 * (one per concern: {@code broker}, {@code ingest}, {@code alerts}, {@code config}, {@code cli})
 * by hand.
 */
@NullMarked
package io.floorgate.gateway;

import org.jspecify.annotations.NullMarked;
