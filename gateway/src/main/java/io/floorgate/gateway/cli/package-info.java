/**
 * The {@code floorgate} command line (picocli): run, and the admin tools. The gateway's own start
 * ({@code run [--config FILE]}) is read without picocli, to keep its ~0.3 s of cold start-up off
 * every start ({@link io.floorgate.gateway.cli.FloorgateCommand#execute}).
 */
@NullMarked
package io.floorgate.gateway.cli;

import org.jspecify.annotations.NullMarked;
