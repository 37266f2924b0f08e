/** The {@code floorgate} command line (picocli): run, and the admin tools. */
@NullMarked
package io.floorgate.gateway.cli;

import org.jspecify.annotations.NullMarked;
