package io.floorgate.gateway.bench;

import java.util.List;

/** Markdown tables whose columns line up, so that they read as plain text too. */
final class Tables {
  private Tables() {}

  /**
   * {@code rows} (the first is the header) as a Markdown table; columns from {@code
   * firstNumeric} on are right-aligned.
   */
  static String markdown(List<List<String>> rows, int firstNumeric) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(Math.max(width[c], row.get(c).length()), 3);
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      line(out, rows.get(r), width, firstNumeric);
      if (r == 0) {
        out.append('|');
        for (int c = 0; c < columns; c++) {
          out.append(' ');
          if (c >= firstNumeric) {
            out.append("-".repeat(width[c] - 1)).append(':');
          } else {
            out.append("-".repeat(width[c]));
          }
          out.append(" |");
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> row, int[] width, int firstNumeric) {
    out.append('|');
    for (int c = 0; c < row.size(); c++) {
      String cell = row.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      out.append(' ');
      out.append(c >= firstNumeric ? pad + cell : cell + pad);
      out.append(" |");
    }
    out.append('\n');
  }
}
