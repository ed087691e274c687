package io.nodb.testing.legacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checked-in legacy (format 0, jsonpickle) run files of the Python NoDb, derived from real
 * wepppy runs (origins in this package's {@code README.md}): listing, reading, copying into run
 * directories, and generating a runs root of many runs from them. Stateless and thread-safe.
 */
public final class LegacyFixtures {

  /** Every fixture, as {@code <run>/<file>}. */
  public static final List<String> ALL =
      List.of(
          "2018-Mica_flume1/climate.nodb",
          "2018-Mica_flume1/ron.nodb",
          "2018-Mica_flume1/landuse.nodb",
          "2018-Mica_flume1/watershed.nodb",
          "2018-Mica_flume1/soils.nodb",
          "2020-Test_Watershed_15/climate.nodb",
          "2020-Test_Watershed_15/ron.nodb",
          "2020-Test_Watershed_15/landuse.nodb",
          "2020-Test_Watershed_15/watershed.nodb",
          "2026-prescribed_fire/landuse.nodb",
          "2026-prescribed_fire/omni.nodb",
          "synthetic/climate.nodb",
          "synthetic/unitizer.nodb");

  /** The fixture runs (directories). */
  public static final List<String> RUNS =
      List.of("2018-Mica_flume1", "2020-Test_Watershed_15", "2026-prescribed_fire", "synthetic");

  private LegacyFixtures() {}

  /**
   * Returns a fixture's bytes.
   *
   * @param name {@code <run>/<file>}, one of {@link #ALL}
   * @return its content
   * @throws IllegalArgumentException if there is no such fixture
   */
  public static byte[] bytes(String name) {
    try (InputStream in = LegacyFixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no legacy fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies the files of one fixture run into a run directory (created if needed).
   *
   * @param run one of {@link #RUNS}
   * @param runDir the target run directory
   * @return the run directory
   */
  public static Path copyRun(String run, Path runDir) {
    try {
      Files.createDirectories(runDir);
      for (String name : ALL) {
        if (name.startsWith(run + "/")) {
          Files.write(runDir.resolve(name.substring(run.length() + 1)), bytes(name));
        }
      }
      return runDir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Generates a runs root of {@code count} runs, cycling through the fixture runs: run {@code i} is
   * named {@code run-<i>} and holds the files of fixture run {@code i % 4}.
   *
   * @param runsRoot the runs root (created if needed)
   * @param count how many runs
   * @return the runs root
   */
  public static Path generateRuns(Path runsRoot, int count) {
    for (int i = 0; i < count; i++) {
      copyRun(RUNS.get(i % RUNS.size()), runsRoot.resolve(String.format("run-%04d", i)));
    }
    return runsRoot;
  }
}
