package io.nodb.recipes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs single-flight rounds on worker JVMs: all callers start at one common instant. */
final class FlightRounds {

  /**
   * What a round did.
   *
   * @param results the callers' lines ({@code R id ok value} / {@code R id error message})
   * @param callsPerWorker loader calls in each worker, in worker order
   */
  record Round(List<String> results, List<Integer> callsPerWorker) {
    int calls() {
      return callsPerWorker.stream().mapToInt(Integer::intValue).sum();
    }

    List<String> values() {
      return results.stream()
          .filter(l -> l.split(" ")[2].equals("ok"))
          .map(l -> l.split(" ")[3])
          .toList();
    }

    List<String> errors() {
      return results.stream().filter(l -> l.split(" ")[2].equals("error")).toList();
    }
  }

  private FlightRounds() {}

  /** Returns the value of {@code name=value} in a worker's line. */
  static String field(String line, String name) {
    for (String part : line.split(" ")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + "= in '" + line + "'");
  }

  static Round run(
      WorkerJvms jvms, String id, String key, long loaderMillis, String behaviour, int... callers) {
    long startAt = System.currentTimeMillis() + 300;
    for (int i = 0; i < callers.length; i++) {
      start(jvms.get(i), id, key, startAt, loaderMillis, behaviour, callers[i]);
    }
    List<WorkerJvms.Worker> all = new ArrayList<>();
    for (int i = 0; i < callers.length; i++) {
      all.add(jvms.get(i));
    }
    return collect(all, id);
  }

  /** Sends one worker its part of a round. */
  static void start(
      WorkerJvms.Worker w,
      String id,
      String key,
      long startAt,
      long loaderMillis,
      String behaviour,
      int callers) {
    w.send(
        String.join(
            " ",
            "ROUND",
            id,
            key,
            Long.toString(startAt),
            Long.toString(loaderMillis),
            behaviour,
            Integer.toString(callers)));
  }

  /** Waits for the given workers to finish round {@code id} and gathers their lines. */
  static Round collect(List<WorkerJvms.Worker> workers, String id) {
    List<String> results = new ArrayList<>();
    List<Integer> calls = new ArrayList<>();
    for (WorkerJvms.Worker w : workers) {
      List<String> lines = w.until("DONE " + id, Duration.ofSeconds(60));
      for (String l : lines) {
        if (l.startsWith("R " + id + " ")) {
          results.add(l);
        } else if (l.startsWith("DONE " + id)) {
          calls.add(Integer.parseInt(field(l, "calls")));
        }
      }
    }
    return new Round(results, calls);
  }
}
