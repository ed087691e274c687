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

  static Round run(
      WorkerJvms jvms, String id, String key, long loaderMillis, String behaviour, int... callers) {
    long startAt = System.currentTimeMillis() + 300;
    for (int i = 0; i < callers.length; i++) {
      jvms.get(i)
          .send(
              String.join(
                  " ",
                  "ROUND",
                  id,
                  key,
                  Long.toString(startAt),
                  Long.toString(loaderMillis),
                  behaviour,
                  Integer.toString(callers[i])));
    }
    List<String> results = new ArrayList<>();
    List<Integer> calls = new ArrayList<>();
    for (int i = 0; i < callers.length; i++) {
      List<String> lines = jvms.get(i).until("DONE " + id, Duration.ofSeconds(60));
      for (String l : lines) {
        if (l.startsWith("R " + id + " ")) {
          results.add(l);
        } else if (l.startsWith("DONE " + id)) {
          calls.add(Integer.parseInt(l.substring(l.indexOf("calls=") + 6)));
        }
      }
    }
    return new Round(results, calls);
  }
}
