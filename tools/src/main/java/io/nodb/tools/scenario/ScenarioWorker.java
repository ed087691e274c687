package io.nodb.tools.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.store.NoDbStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker JVM of the scenarios, started by {@code nodb scenario} itself (not by users):
 *
 * <ul>
 *   <li>{@code herd|rapid <run-dir> <redis|-> <holder> <threads> <requests> <hold-ms> <lease-ms>}:
 *       prints {@code ready} when its threads wait at their start gate, waits for {@code go} on
 *       stdin, runs the thundering herd or the profile playback on the run's real controllers,
 *       prints {@code done} per operation and finally {@code result <json>}.
 *   <li>{@code orphan <run-dir> <redis|-> <name>:<lease-ms>...}: takes each lock with that lease
 *       (no renewal), prints {@code held <pid>}, and halts without releasing: orphaned locks whose
 *       holder process is gone while their lease lives on.
 * </ul>
 *
 * {@code redis} means the Redis URL is in the environment variable {@code NODB_REDIS_URL} (never on
 * the command line, where every local user could read its password); {@code -} means the local
 * backend. Exits 0 on success, 1 on failure (with a message on stderr).
 */
public final class ScenarioWorker {

  /**
   * What a worker did, printed as one JSON line.
   *
   * @param holds its committed critical sections
   * @param outcomes its count per outcome
   */
  public record Result(List<Hold> holds, Map<String, Long> outcomes) {}

  private ScenarioWorker() {}

  /**
   * Runs one worker.
   *
   * @param args see the class description
   */
  public static void main(String[] args) {
    PrintStream out = System.out;
    try {
      String mode = args[0];
      Path runDir = Path.of(args[1]).toAbsolutePath().normalize();
      String redisUrl = backend(args[2]);
      if (mode.equals("orphan")) {
        orphan(runDir, redisUrl, List.of(args).subList(3, args.length), out);
        return;
      }
      String holder = args[3];
      int threads = Integer.parseInt(args[4]);
      int requests = Integer.parseInt(args[5]);
      Duration hold = Duration.ofMillis(Long.parseLong(args[6]));
      Duration lease = Duration.ofMillis(Long.parseLong(args[7]));
      Recorder rec = new Recorder(() -> out.println("done"));
      try (LockClient client = Scenarios.client(redisUrl, runDir.getParent());
          NoDbStore store =
              NoDbStore.builder()
                  .lockClient(client)
                  .lease(lease)
                  .lockWait(Scenarios.LOCK_WAIT)
                  .build()) {
        Runnable gate = () -> awaitGo(out);
        switch (mode) {
          case "herd" ->
              ThunderingHerd.work(store, runDir, holder, threads, requests, hold, rec, gate);
          case "rapid" ->
              RapidSequential.work(store, runDir, holder, threads, requests, hold, rec, gate);
          default -> throw new IllegalArgumentException("unknown worker mode " + mode);
        }
      }
      out.println(
          "result "
              + new ObjectMapper().writeValueAsString(new Result(rec.holds(), rec.outcomes())));
      out.flush();
      System.exit(0);
    } catch (Exception e) {
      System.err.println("nodb scenario worker: " + e);
      System.exit(1);
    }
  }

  private static String backend(String arg) {
    if (arg.equals("-")) {
      return null;
    }
    if (!arg.equals(WorkerProcesses.REDIS_ARG)) {
      throw new IllegalArgumentException("expected 'redis' or '-' as the backend argument");
    }
    String url = System.getenv(WorkerProcesses.URL_VARIABLE);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(WorkerProcesses.URL_VARIABLE + " is not set");
    }
    return url.trim();
  }

  private static void awaitGo(PrintStream out) {
    out.println("ready");
    out.flush();
    try {
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))
              .readLine();
      if (!"go".equals(line)) {
        throw new IllegalStateException("expected 'go' on stdin, got " + line);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the start signal", e);
    }
  }

  private static void orphan(Path runDir, String redisUrl, List<String> specs, PrintStream out) {
    LockClient client = Scenarios.client(redisUrl, runDir.getParent());
    String runId = String.valueOf(runDir.getFileName());
    List<Long> fences = new ArrayList<>();
    for (String spec : specs) {
      int colon = spec.lastIndexOf(':');
      Duration lease = Duration.ofMillis(Long.parseLong(spec.substring(colon + 1)));
      LockHandle h =
          client.acquire(
              LockKey.of(runId, spec.substring(0, colon)),
              LockOptions.lease(lease).withoutRenewal(),
              Duration.ofSeconds(10));
      fences.add(h.fence());
    }
    out.println("held " + ProcessHandle.current().pid() + " " + fences);
    out.flush();
    // No release, no shutdown hooks: the process is gone while the leases live on.
    Runtime.getRuntime().halt(0);
  }
}
