/**
 * The event journal: a Chronicle Queue holding every accepted event, acknowledgement and clear,
 * read back at start-up and by the republisher and the bridge through named cursors. See {@code
 * README.md} in this directory.
 */
@NullMarked
package io.floorgate.journal;

import org.jspecify.annotations.NullMarked;
