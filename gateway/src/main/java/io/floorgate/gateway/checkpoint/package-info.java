/**
 * What a start reads back from the journal: the last checkpoint of the event window and the open
 * alarms, and the records after it, so that start-up does not grow with the journal. See {@link
 * io.floorgate.gateway.checkpoint.Checkpointer} and {@code README.md} in this directory.
 */
@NullMarked
package io.floorgate.gateway.checkpoint;

import org.jspecify.annotations.NullMarked;
