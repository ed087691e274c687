package io.nodb.bench.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.Fences;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.store.NoDbStore;
import io.nodb.store.NoDbStoreBuilder;
import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.EnvelopeHeader;
import io.nodb.store.internal.FencedFileWriter;
import io.nodb.store.internal.FileSignature;
import io.nodb.testing.controllers.Counter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Store benchmarks, each against its baseline in the same run with interleaved rounds: {@code
 * getInstance} hit (with the freshness check), cold hydration of 10 KB and 1 MB, fenced dump vs a
 * raw temp+fsync+rename of the same bytes, and a small {@code locked()} mutation vs a lock pair
 * plus dump. Usage: {@code StoreBenchMain [--redis URL] [--rounds N]}; without {@code --redis} the
 * local lock backend is used. Prints a markdown table.
 */
public final class StoreBenchMain {

  private static final long MAX_FILE = NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE;

  private StoreBenchMain() {}

  /**
   * Runs the benchmarks.
   *
   * @param args {@code --redis URL}, {@code --rounds N}
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    String redis = null;
    int rounds = 5;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--redis")) {
        redis = args[++i];
      } else if (args[i].equals("--rounds")) {
        rounds = Integer.parseInt(args[++i]);
      }
    }
    Path root = Files.createTempDirectory("nodb-store-bench-");
    LockClient locks =
        redis == null
            ? LockClient.builder().local(root).build()
            : LockClient.builder().redis(redis).build();
    List<String> rows = new ArrayList<>();
    try (NoDbStore store = NoDbStore.builder().lockClient(locks).build()) {
      rows.add(getInstanceHit(store, root, rounds));
      for (int kb : new int[] {10, 1024}) {
        rows.add(coldHydration(store, root, kb, rounds));
        rows.add(dumpVsRaw(store, root, kb, rounds));
      }
      rows.add(lockedVsPairPlusDump(store, locks, root, rounds));
    } finally {
      locks.close();
    }
    System.out.println(
        "backend: " + (redis == null ? "local lock files" : redis) + ", rounds: " + rounds);
    System.out.println();
    System.out.println("| benchmark | nodb p50 | baseline p50 | ratio / rate | target | met |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    rows.forEach(System.out::println);
  }

  private static String getInstanceHit(NoDbStore store, Path root, int rounds) {
    Path run = newRun(store, root, "hit", 0);
    store.getInstance(Counter.class, run);
    double[] p50 = new double[rounds];
    double[] stat = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      p50[r] = sampleNanos(200_000, () -> store.getInstance(Counter.class, run))[0];
      stat[r] =
          sampleNanos(
              200_000,
              () -> {
                try {
                  Files.readAttributes(
                      run.resolve("counter.nodb"),
                      java.nio.file.attribute.BasicFileAttributes.class);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              })[0];
    }
    double ours = median(p50) / 1000.0;
    return row(
        "getInstance hit incl. freshness check",
        us(ours),
        us(median(stat) / 1000.0) + " (one stat)",
        us(ours),
        "≤ 5 µs p50",
        ours <= 5.0);
  }

  private static String coldHydration(NoDbStore store, Path root, int kb, int rounds)
      throws IOException {
    Path run = newRun(store, root, "cold" + kb, kb);
    long bytes = Files.size(run.resolve("counter.nodb"));
    int iterations = kb > 100 ? 20 : 2000;
    double[] p50 = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      p50[r] =
          sampleNanos(
              iterations,
              () -> {
                store.clearCache();
                store.getInstance(Counter.class, run);
              })[0];
    }
    double nanos = median(p50);
    double mbPerSec = bytes / (nanos / 1e9) / 1e6;
    return row(
        "cold hydration " + size(bytes),
        us(nanos / 1000.0),
        "-",
        String.format(Locale.ROOT, "%.0f MB/s", mbPerSec),
        "≥ 100 MB/s",
        mbPerSec >= 100);
  }

  private static String dumpVsRaw(NoDbStore store, Path root, int kb, int rounds)
      throws IOException {
    Path run = newRun(store, root, "dump" + kb, kb);
    Path file = run.resolve("counter.nodb");
    byte[] bytes = Files.readAllBytes(file);
    EnvelopeCodec codec = new EnvelopeCodec(new ObjectMapper());
    FencedFileWriter writer = new FencedFileWriter(codec);
    Path rawFile = run.resolve("raw.bin");
    Files.write(rawFile, bytes);
    int iterations = kb > 100 ? 30 : 200;
    double[] ours = new double[rounds];
    double[] raw = new double[rounds];
    EnvelopeHeader header = codec.parseHeader(file, bytes);
    FileSignature[] sig = {FileSignature.of(file).orElseThrow()};
    for (int r = 0; r < rounds; r++) {
      ours[r] =
          sampleNanos(
              iterations,
              () -> {
                sig[0] =
                    writer.write(
                        run, file, bytes, header, sig[0], Fences.MAX / 2, MAX_FILE, () -> {});
              })[0];
      raw[r] = sampleNanos(iterations, () -> rawReplace(rawFile, bytes))[0];
    }
    double ratio = median(ours) / median(raw);
    return row(
        "dump " + size(bytes.length) + " vs raw temp+fsync+rename",
        us(median(ours) / 1000.0),
        us(median(raw) / 1000.0),
        String.format(Locale.ROOT, "%.2f×", ratio),
        "≤ 1.2×",
        ratio <= 1.2);
  }

  private static String lockedVsPairPlusDump(
      NoDbStore store, LockClient locks, Path root, int rounds) throws IOException {
    Path run = newRun(store, root, "locked", 0);
    Counter c = store.getInstance(Counter.class, run);
    Path file = run.resolve("counter.nodb");
    Path rawRun = newRun(store, root, "pair", 0);
    Path rawFile = rawRun.resolve("counter.nodb");
    EnvelopeCodec codec = new EnvelopeCodec(new ObjectMapper());
    FencedFileWriter writer = new FencedFileWriter(codec);
    byte[] bytes = Files.readAllBytes(rawFile);
    LockKey key = LockKey.of(rawRun.getFileName().toString(), "counter.nodb");
    EnvelopeHeader pairHeader = codec.parseHeader(rawFile, bytes);
    FileSignature[] pairSig = {FileSignature.of(rawFile).orElseThrow()};
    double[] ours = new double[rounds];
    double[] pair = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ours[r] = sampleNanos(200, c::increment)[0];
      pair[r] =
          sampleNanos(
              200,
              () -> {
                try (LockHandle h =
                    locks.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(5))) {
                  pairSig[0] =
                      writer.write(
                          rawRun,
                          rawFile,
                          bytes,
                          pairHeader,
                          pairSig[0],
                          h.fence(),
                          MAX_FILE,
                          h::renewNow);
                }
              })[0];
    }
    double ratio = median(ours) / median(pair);
    if (!Files.exists(file)) {
      throw new IllegalStateException("lost " + file);
    }
    return row(
        "small locked() mutation vs lock pair + dump",
        us(median(ours) / 1000.0),
        us(median(pair) / 1000.0),
        String.format(Locale.ROOT, "%+.1f%%", (ratio - 1) * 100),
        "≤ +10%",
        ratio <= 1.10);
  }

  private static void rawReplace(Path target, byte[] bytes) {
    try {
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path newRun(NoDbStore store, Path root, String name, int kb) {
    Path run = root.resolve("bench-" + name);
    store.create(
        Counter.class,
        run,
        s -> {
          StringBuilder chunk = new StringBuilder();
          for (int i = 0; i < 100; i++) {
            chunk.append((char) ('a' + i % 26));
          }
          for (int i = 0; i < kb * 10; i++) {
            s.notes.add(chunk.toString());
          }
        });
    return run;
  }

  /** Runs {@code op} {@code n} times after a warm-up; returns {p50, p99} in nanoseconds. */
  private static double[] sampleNanos(int n, Runnable op) {
    for (int i = 0; i < Math.min(n, 2000); i++) {
      op.run();
    }
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      op.run();
      t[i] = System.nanoTime() - s;
    }
    Arrays.sort(t);
    return new double[] {t[n / 2], t[(int) Math.min(n - 1, n * 0.99)]};
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static String us(double micros) {
    return micros >= 1000
        ? String.format(Locale.ROOT, "%.2f ms", micros / 1000)
        : String.format(Locale.ROOT, "%.1f µs", micros);
  }

  private static String size(long bytes) {
    return bytes >= 1 << 20
        ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
        : (bytes / 1024) + " KB";
  }

  private static String row(
      String name, String ours, String base, String ratio, String target, boolean met) {
    return "| "
        + name
        + " | "
        + ours
        + " | "
        + base
        + " | "
        + ratio
        + " | "
        + target
        + " | "
        + (met ? "✅" : "❌")
        + " |";
  }
}
