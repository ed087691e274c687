package io.nodb.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of one scenario, written to {@code target/reliability/<scenario>.json} for
 * docs/reliability.md, and the run mode (short, or soak with {@code -Dnodb.soak=PT5M}).
 */
final class Figures {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String scenario;
  private final Map<String, Object> values = new LinkedHashMap<>();

  Figures(String scenario) {
    this.scenario = scenario;
    values.put("scenario", scenario);
    values.put("mode", soak().map(d -> "soak " + d).orElse("short"));
    values.put("at", Instant.now().toString());
  }

  /** Returns the soak duration given by {@code -Dnodb.soak=<ISO-8601 duration>}, if any. */
  static Optional<Duration> soak() {
    String s = System.getProperty("nodb.soak", "").trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(Duration.parse(s));
  }

  Figures put(String name, Object value) {
    values.put(name, value);
    return this;
  }

  /** Records p50, p99 and max of samples (milliseconds) under {@code name}. */
  Figures percentiles(String name, List<Long> samplesMillis) {
    List<Long> s = new ArrayList<>(samplesMillis);
    Collections.sort(s);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", s.size());
    m.put("p50", pct(s, 50));
    m.put("p99", pct(s, 99));
    m.put("max", s.isEmpty() ? null : s.get(s.size() - 1));
    values.put(name, m);
    return this;
  }

  static Long pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  void write() {
    try {
      Path dir = Path.of("target", "reliability");
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve(scenario + ".json").toFile(), values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
