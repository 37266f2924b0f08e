/** MQTT topic-filter syntax and a topic tree for matching many filters at once. */
@NullMarked
package io.floorgate.rules.topic;

import org.jspecify.annotations.NullMarked;
