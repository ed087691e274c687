package io.nodb.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves {@link HoldTrace}s from a worker JVM to the main one: a text file with one line per
 * acquisition, {@code thread start enter exit}. Stateless.
 */
final class TraceFile {

  private TraceFile() {}

  static void write(Path file, List<HoldTrace> traces) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (HoldTrace t : traces) {
        for (int i = 0; i < t.size(); i++) {
          w.write(t.thread() + ' ' + t.start(i) + ' ' + t.enter(i) + ' ' + t.exit(i));
          w.newLine();
        }
      }
    }
  }

  static List<HoldTrace> read(Path file) throws IOException {
    Map<String, HoldTrace> byThread = new LinkedHashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(" ");
        byThread
            .computeIfAbsent(f[0], HoldTrace::new)
            .record(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
      }
    }
    return new ArrayList<>(byThread.values());
  }
}
