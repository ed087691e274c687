package io.nodb.tools.scenario;

import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What a running scenario works with: its configuration, the lock client and store (real
 * controllers), the run directory, the recorder, and a list of narrated steps for the report.
 * Thread-safe (the step list is synchronized).
 */
final class ScenarioContext {

  private final ScenarioConfig config;
  private final LockClient client;
  private final NoDbStore store;
  private final Path runDir;
  private final String runId;
  private final Recorder recorder;
  private final List<String> steps = Collections.synchronizedList(new ArrayList<>());
  private final long startNanos = System.nanoTime();

  ScenarioContext(
      ScenarioConfig config,
      LockClient client,
      NoDbStore store,
      Path runDir,
      String runId,
      Recorder recorder) {
    this.config = config;
    this.client = client;
    this.store = store;
    this.runDir = runDir;
    this.runId = runId;
    this.recorder = recorder;
  }

  ScenarioConfig config() {
    return config;
  }

  LockClient client() {
    return client;
  }

  NoDbStore store() {
    return store;
  }

  Path runDir() {
    return runDir;
  }

  String runId() {
    return runId;
  }

  Recorder recorder() {
    return recorder;
  }

  /** Adds a narrated step, stamped with the time since the scenario started. */
  void step(String format, Object... args) {
    steps.add(
        String.format(
            Locale.ROOT,
            "%6.0f ms  %s",
            (System.nanoTime() - startNanos) / 1e6,
            String.format(Locale.ROOT, format, args)));
  }

  List<String> steps() {
    synchronized (steps) {
      return List.copyOf(steps);
    }
  }
}
