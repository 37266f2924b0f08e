/**
 * The CIRCMAN5.0 Digital Twin Event System API (see {@code shared/seed/event-system-api.md}),
 * ported to Java: event types, the {@link io.floorgate.events.EventManager} and the publishers.
 *
 * <p>Names follow the seed in Java form ({@code publish_state_update} becomes {@code
 * publishStateUpdate}); deviations from the seed are listed on the types that make them.
 * Everything here is thread-safe unless a type says otherwise. Nullness: everything is non-null
 * unless annotated {@code @Nullable}.
 */
@NullMarked
package io.floorgate.events;

import org.jspecify.annotations.NullMarked;
