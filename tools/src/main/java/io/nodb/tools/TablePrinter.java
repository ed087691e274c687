package io.nodb.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Prints rows of text as a left-aligned table with a header line, columns separated by two spaces,
 * within {@link #DEFAULT_WIDTH} columns unless told otherwise ({@code --wide}). A table wider than
 * its limit first word-wraps its last column (continuation lines indented under it, down to {@link
 * #MIN_LAST} columns), then shortens the columns marked {@link #truncate truncatable}, widest
 * first, cutting their cells with {@value #ELLIPSIS}. Cells may carry {@link Style} colour codes,
 * which take no columns. Not thread-safe; build, then {@link #print}.
 */
final class TablePrinter {

  /** The width every table fits by default: a 100-column terminal never wraps it. */
  static final int DEFAULT_WIDTH = 100;

  /** The narrowest the last column is wrapped to. */
  static final int MIN_LAST = 16;

  /** What ends a truncated cell. */
  static final String ELLIPSIS = "...";

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final TreeMap<Integer, Integer> truncatable = new TreeMap<>();
  private int maxWidth = DEFAULT_WIDTH;

  /**
   * Creates a table.
   *
   * @param headers the column headers
   */
  TablePrinter(String... headers) {
    this.headers = List.of(headers);
  }

  /**
   * Sets the width limit.
   *
   * @param columns the limit, or 0 for none ({@code --wide})
   * @return this table
   */
  TablePrinter maxWidth(int columns) {
    this.maxWidth = columns;
    return this;
  }

  /**
   * Lets a column be shortened, its cells cut with {@value #ELLIPSIS}, when the table is too wide.
   *
   * @param column the column index (not the last: that one wraps)
   * @param minWidth the narrowest it may become
   * @return this table
   */
  TablePrinter truncate(int column, int minWidth) {
    truncatable.put(column, Math.max(minWidth, ELLIPSIS.length() + 1));
    return this;
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
    int[] widths = widths();
    printRow(out, headers, widths);
    for (List<String> row : rows) {
      printRow(out, row, widths);
    }
    out.flush();
  }

  private int[] widths() {
    int n = headers.size();
    int[] widths = new int[n];
    for (int i = 0; i < n; i++) {
      widths[i] = Style.visibleLength(headers.get(i));
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], Style.visibleLength(row.get(i)));
      }
    }
    if (maxWidth <= 0) {
      return widths;
    }
    int excess = 2 * (n - 1) - maxWidth;
    for (int w : widths) {
      excess += w;
    }
    int last = n - 1;
    if (excess > 0 && widths[last] > MIN_LAST) {
      int cut = Math.min(excess, widths[last] - MIN_LAST);
      widths[last] -= cut;
      excess -= cut;
    }
    while (excess > 0) {
      int widest = -1;
      for (var e : truncatable.entrySet()) {
        int c = e.getKey();
        if (c < last && widths[c] > e.getValue() && (widest < 0 || widths[c] > widths[widest])) {
          widest = c;
        }
      }
      if (widest < 0) {
        break; // nothing left to shorten: the table stays wider than the limit
      }
      widths[widest]--;
      excess--;
    }
    return widths;
  }

  private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    int last = cells.size() - 1;
    for (int i = 0; i < last; i++) {
      String cell = fit(cells.get(i), widths[i]);
      line.append(cell).append(" ".repeat(widths[i] - Style.visibleLength(cell) + 2));
    }
    String cell = cells.get(last);
    if (Style.visibleLength(cell) <= widths[last]) {
      out.println(line.append(cell));
      return;
    }
    String indent = " ".repeat(indentOf(widths));
    List<String> wrapped = wrap(plain(cell), widths[last]);
    out.println(line.append(wrapped.get(0)));
    for (String more : wrapped.subList(1, wrapped.size())) {
      out.println(indent + more);
    }
  }

  private static int indentOf(int[] widths) {
    int indent = 0;
    for (int i = 0; i < widths.length - 1; i++) {
      indent += widths[i] + 2;
    }
    return indent;
  }

  /** Returns the cell, cut to {@code width} columns with {@value #ELLIPSIS} if it is longer. */
  static String fit(String cell, int width) {
    if (Style.visibleLength(cell) <= width) {
      return cell;
    }
    String s = plain(cell);
    return s.substring(0, Math.max(0, width - ELLIPSIS.length())) + ELLIPSIS;
  }

  /** Word-wraps {@code s} into lines of at most {@code width} characters. */
  static List<String> wrap(String s, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : s.split(" ")) {
      while (word.length() > width) {
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        lines.add(word.substring(0, width));
        word = word.substring(width);
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0 || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static String plain(String s) {
    return s.replaceAll("\u001B\\[[0-9;]*m", "");
  }
}
