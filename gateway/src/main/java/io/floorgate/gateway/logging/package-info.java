/**
 * Where and how the gateway's log lines go: stdout, one line per message, text or JSON, with
 * journald's conventions when stdout is the journal. Configured from the {@code log} section by
 * {@link io.floorgate.gateway.logging.LogSetup}.
 */
@NullMarked
package io.floorgate.gateway.logging;

import org.jspecify.annotations.NullMarked;
