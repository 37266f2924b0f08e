package io.floorgate.rules.tree;

/**
 * Where a node starts in its file, 1-based, as editors count.
 *
 * @param file the file name as the user gave it (or a label such as {@code <string>})
 * @param line 1-based line
 * @param column 1-based column
 */
public record Location(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
