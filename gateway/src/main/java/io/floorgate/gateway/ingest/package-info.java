/**
 * From broker to events: decoding payloads, evaluating rules, twin state, simulation and
 * optimization messages, acknowledgements. One thread owns it all; see {@link
 * io.floorgate.gateway.ingest.Ingest}.
 */
@NullMarked
package io.floorgate.gateway.ingest;

import org.jspecify.annotations.NullMarked;
