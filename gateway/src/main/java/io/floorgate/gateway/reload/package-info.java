/**
 * Rule changes while the gateway runs: the rule file is watched (and re-read on SIGHUP or an
 * admin's PUT), validated whole, and swapped in atomically; every change is announced and
 * journaled. See {@link io.floorgate.gateway.reload.RuleReloader}. The document of the rules in
 * force is kept for the next start ({@link io.floorgate.gateway.reload.RuleTreeCache}).
 */
@NullMarked
package io.floorgate.gateway.reload;

import org.jspecify.annotations.NullMarked;
