package io.nodb.tools;

import io.nodb.tools.scenario.Progress;
import java.io.PrintWriter;

/**
 * A live progress line on a terminal: each update rewrites the same line with {@code \r}; {@link
 * #finish()} blanks it. Used only when stdout is a terminal and {@code --json} is off. Thread-safe.
 */
final class TerminalProgress implements Progress {

  private final PrintWriter out;
  private int width;

  private TerminalProgress(PrintWriter out) {
    this.out = out;
  }

  /**
   * Returns a live line on {@code out} when stdout is a terminal and JSON is off, else a no-op.
   *
   * @param out stdout
   * @param json whether {@code --json} was given
   * @return the progress sink
   */
  static TerminalProgress forStdout(PrintWriter out, boolean json) {
    return json || !Terminal.interactive() ? null : new TerminalProgress(out);
  }

  @Override
  public synchronized void update(String line) {
    out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    out.flush();
    width = line.length();
  }

  /** Blanks the line so the next output starts clean. */
  synchronized void finish() {
    out.print("\r" + " ".repeat(width) + "\r");
    out.flush();
    width = 0;
  }
}
