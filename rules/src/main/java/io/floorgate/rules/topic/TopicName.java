package io.floorgate.rules.topic;

/**
 * A topic name split into its levels once, for looking it up in several {@link TopicIndex}es
 * (ingest matches each message against the special topics, the state topics and the rules).
 */
public final class TopicName {
  private final String name;
  private final String[] levels;

  private TopicName(String name, String[] levels) {
    this.name = name;
    this.levels = levels;
  }

  /** {@code name} split at every {@code /}. */
  public static TopicName of(String name) {
    int count = 1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '/') {
        count++;
      }
    }
    String[] levels = new String[count];
    int start = 0;
    int n = 0;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '/') {
        levels[n++] = name.substring(start, i);
        start = i + 1;
      }
    }
    levels[n] = name.substring(start);
    return new TopicName(name, levels);
  }

  int depth() {
    return levels.length;
  }

  String level(int index) {
    return levels[index];
  }

  /** Whether it starts with {@code $}: wildcards at the first level do not match it. */
  boolean system() {
    return name.startsWith("$");
  }

  /** The topic as published. */
  @Override
  public String toString() {
    return name;
  }
}
