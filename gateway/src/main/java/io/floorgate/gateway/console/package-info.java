/**
 * The web console: the pages and the console's own JSON endpoints on the admin HTTP server, the
 * login sessions, the live alarm stream (server-sent events), the trend windows and the rule
 * history. See {@code README.md} beside this file and {@link io.floorgate.gateway.console.Console}.
 */
@NullMarked
package io.floorgate.gateway.console;

import org.jspecify.annotations.NullMarked;
