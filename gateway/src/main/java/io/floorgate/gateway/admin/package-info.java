/**
 * The admin HTTP API (JDK {@code HttpServer}, loopback by default): events, alarms, rules, health.
 * See {@link io.floorgate.gateway.admin.AdminServer}.
 */
@NullMarked
package io.floorgate.gateway.admin;

import org.jspecify.annotations.NullMarked;
