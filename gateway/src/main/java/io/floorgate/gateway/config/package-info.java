/**
 * The gateway's configuration: records for each section and {@link
 * io.floorgate.gateway.config.ConfigLoader}, which validates a YAML file as a whole and reports
 * every problem with file, line and column.
 */
@NullMarked
package io.floorgate.gateway.config;

import org.jspecify.annotations.NullMarked;
