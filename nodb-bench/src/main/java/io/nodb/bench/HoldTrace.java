package io.nodb.bench;

/**
 * What one contending thread saw, one entry per acquisition: when it started to acquire, when it
 * entered the critical section and when it left it (before releasing), all {@link
 * System#nanoTime()} readings. On Linux these come from {@code CLOCK_MONOTONIC}, which every
 * process of the host shares, so traces of different JVMs on one host can be merged.
 *
 * <p>Not thread-safe: written by its thread, read after the thread has been joined.
 */
final class HoldTrace {

  private final String thread;
  private final Samples starts = new Samples(4096);
  private final Samples enters = new Samples(4096);
  private final Samples exits = new Samples(4096);

  HoldTrace(String thread) {
    this.thread = thread;
  }

  void record(long start, long enter, long exit) {
    starts.add(start);
    enters.add(enter);
    exits.add(exit);
  }

  String thread() {
    return thread;
  }

  int size() {
    return enters.size();
  }

  long start(int i) {
    return starts.get(i);
  }

  long enter(int i) {
    return enters.get(i);
  }

  long exit(int i) {
    return exits.get(i);
  }
}
