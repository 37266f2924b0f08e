/**
 * Events and alarm states out to SCADA: {@link io.floorgate.gateway.alerts.AlertRepublisher}
 * republishes the journal on {@code alerts/{severity}/{category}}; {@link
 * io.floorgate.gateway.alerts.AlarmBoard} keeps the retained {@code alarms/...} states.
 */
@NullMarked
package io.floorgate.gateway.alerts;

import org.jspecify.annotations.NullMarked;
