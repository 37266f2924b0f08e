package io.floorgate.rules.topic;

/**
 * A topic name and where its levels are, found once for looking it up in several {@link
 * TopicIndex}es (ingest matches each message against the special topics, the state topics and the
 * rules). The levels are not cut out as strings: the index compares them in place, so a lookup
 * allocates nothing for them.
 */
public final class TopicName {
  private final String name;
  /** Where each level starts, and one past the end: level i is [starts[i], starts[i+1] - 1). */
  private final int[] starts;

  private TopicName(String name, int[] starts) {
    this.name = name;
    this.starts = starts;
  }

  /** {@code name}, its levels separated at every {@code /}. */
  public static TopicName of(String name) {
    int count = 1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '/') {
        count++;
      }
    }
    int[] starts = new int[count + 1];
    int n = 1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '/') {
        starts[n++] = i + 1;
      }
    }
    starts[count] = name.length() + 1;
    return new TopicName(name, starts);
  }

  int depth() {
    return starts.length - 1;
  }

  /** Where level {@code index} starts in {@link #name()}. */
  int levelStart(int index) {
    return starts[index];
  }

  /** Where level {@code index} ends (exclusive) in {@link #name()}. */
  int levelEnd(int index) {
    return starts[index + 1] - 1;
  }

  String name() {
    return name;
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
