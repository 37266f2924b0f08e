/**
 * YAML/JSON documents as located trees, for validation that names file, line and column. Used for
 * rule files here and for the gateway's configuration.
 */
@NullMarked
package io.floorgate.rules.tree;

import org.jspecify.annotations.NullMarked;
