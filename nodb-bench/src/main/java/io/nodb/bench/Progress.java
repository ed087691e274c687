package io.nodb.bench;

/** Progress lines on standard error, so standard output carries only the report. Thread-safe. */
final class Progress {

  private Progress() {}

  static void say(String line) {
    System.err.println("[bench] " + line);
  }
}
