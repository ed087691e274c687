package io.nodb.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints rows of text as a left-aligned table with a header line, columns separated by two spaces.
 * Not thread-safe; build, then {@link #print}.
 */
final class TablePrinter {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  /**
   * Creates a table.
   *
   * @param headers the column headers
   */
  TablePrinter(String... headers) {
    this.headers = List.of(headers);
  }

  /**
   * Adds a row; null cells print as {@code -}.
   *
   * @param cells one per column
   * @return this table
   * @throws IllegalArgumentException if the number of cells differs from the number of columns
   */
  TablePrinter row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "expected " + headers.size() + " cells, got " + cells.length);
    }
    List<String> row = new ArrayList<>(cells.length);
    for (String c : cells) {
      row.add(c == null ? "-" : c);
    }
    rows.add(row);
    return this;
  }

  /** Returns whether no row was added. */
  boolean isEmpty() {
    return rows.isEmpty();
  }

  /**
   * Prints the header and the rows.
   *
   * @param out where to print
   */
  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    printRow(out, headers, widths);
    for (List<String> row : rows) {
      printRow(out, row, widths);
    }
    out.flush();
  }

  private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(cells.get(i));
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
      }
    }
    out.println(line);
  }
}
