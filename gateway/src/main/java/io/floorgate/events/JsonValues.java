package io.floorgate.events;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Deep, immutable copies of JSON-like values (maps with string keys, lists, strings, booleans,
 * finite numbers, null), so an event's details cannot change after it is published and compare
 * equal after a JSON round trip: integral numbers become {@link Long}, the others {@link Double}.
 */
final class JsonValues {
  private JsonValues() {}

  static Map<String, @Nullable Object> copyObject(Map<?, ?> map, String path) {
    if (map.isEmpty()) {
      return Map.of();
    }
    Map<String, @Nullable Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new IllegalArgumentException(
            path + ": keys must be strings, but found " + describe(entry.getKey()));
      }
      copy.put(key, copy(entry.getValue(), path + "." + key));
    }
    return Collections.unmodifiableMap(copy);
  }

  static @Nullable Object copy(@Nullable Object value, String path) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException(path + " must be a finite number, but was " + d);
      }
      return d;
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (value instanceof BigDecimal decimal) {
      return copy(decimal.doubleValue(), path);
    }
    if (value instanceof Map<?, ?> map) {
      return copyObject(map, path);
    }
    if (value instanceof Collection<?> collection) {
      List<@Nullable Object> copy = new ArrayList<>(collection.size());
      int i = 0;
      for (Object element : collection) {
        copy.add(copy(element, path + "[" + i++ + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Object[] array) {
      return copy(java.util.Arrays.asList(array), path);
    }
    if (value instanceof EventCategory category) {
      return category.value();
    }
    if (value instanceof EventSeverity severity) {
      return severity.value();
    }
    throw new IllegalArgumentException(
        path
            + " must be a JSON value (string, number, boolean, null, map or list), but was "
            + describe(value));
  }

  private static String describe(@Nullable Object value) {
    return value == null ? "null" : "a " + value.getClass().getName();
  }
}
