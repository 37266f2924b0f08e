package io.floorgate.gateway.broker.security;

/**
 * Topic-filter algebra on levels split at {@code /} (MQTT 3.1.1 §4.7), for access control:
 * whether a topic matches a filter, whether one filter covers every topic of another, and whether
 * two filters share a topic. A wildcard in the first level never matches a topic starting with
 * {@code $}, as the protocol says.
 */
public final class Topics {
  private Topics() {}

  /** {@code topic} split into its levels; {@code "a//b"} has an empty middle level. */
  public static String[] split(String topic) {
    return topic.split("/", -1);
  }

  /** True when the topic name {@code topic} matches the filter {@code filter}. */
  public static boolean matches(String[] filter, String[] topic) {
    if (dollarGuard(filter, topic)) {
      return false;
    }
    for (int i = 0; i < filter.length; i++) {
      String f = filter[i];
      if (f.equals("#")) {
        return true; // also the parent level: "a/#" matches "a"
      }
      if (i >= topic.length) {
        return false;
      }
      if (!f.equals("+") && !f.equals(topic[i])) {
        return false;
      }
    }
    return filter.length == topic.length;
  }

  /** True when every topic that {@code inner} matches is also matched by {@code outer}. */
  public static boolean covers(String[] outer, String[] inner) {
    if (outer.length > 0 && isWildcard(outer[0]) && inner.length > 0 && inner[0].startsWith("$")) {
      return false;
    }
    for (int i = 0; i < outer.length; i++) {
      String o = outer[i];
      if (o.equals("#")) {
        return true;
      }
      if (i >= inner.length) {
        return false;
      }
      String n = inner[i];
      if (n.equals("#")) {
        return false; // inner reaches deeper (and the parent level) than outer can
      }
      if (o.equals("+")) {
        continue;
      }
      if (n.equals("+") || !o.equals(n)) {
        return false;
      }
    }
    return outer.length == inner.length;
  }

  /** True when at least one topic name matches both filters. */
  public static boolean intersects(String[] a, String[] b) {
    if (dollarGuard(a, b) || dollarGuard(b, a)) {
      return false;
    }
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      String x = a[i];
      String y = b[i];
      if (x.equals("#") || y.equals("#")) {
        return true;
      }
      if (!x.equals("+") && !y.equals("+") && !x.equals(y)) {
        return false;
      }
    }
    if (a.length == b.length) {
      return true;
    }
    // One is longer: they share a topic only if the longer one's next level is "#" (which also
    // matches the parent level).
    String[] longer = a.length > b.length ? a : b;
    return longer.length == n + 1 && longer[n].equals("#");
  }

  private static boolean isWildcard(String level) {
    return level.equals("+") || level.equals("#");
  }

  /** True when {@code filter}'s first level is a wildcard and {@code topic} is a $-topic. */
  private static boolean dollarGuard(String[] filter, String[] topic) {
    return filter.length > 0
        && isWildcard(filter[0])
        && topic.length > 0
        && topic[0].startsWith("$");
  }
}
