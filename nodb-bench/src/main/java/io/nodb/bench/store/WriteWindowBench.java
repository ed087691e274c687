package io.nodb.bench.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.Fences;
import io.nodb.store.NoDbStoreBuilder;
import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.EnvelopeHeader;
import io.nodb.store.internal.FencedFileWriter;
import io.nodb.store.internal.FileSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures the window of the design limit "a holder paused after the writer's last lock check and
 * before the rename still lands its write": the time from the end of the writer's lock check (the
 * verifier returning) to the end of {@link FencedFileWriter#write} (mode, stat, rename and
 * directory fsync — an upper bound of the check-to-rename window), for small and 1 MiB files.
 * Prints the median, p99 and maximum per size. Usage: {@code java -cp nodb-bench.jar
 * io.nodb.bench.store.WriteWindowBench [iterations]}.
 */
public final class WriteWindowBench {

  private WriteWindowBench() {}

  /**
   * Runs the measurement.
   *
   * @param args optional iteration count (default 500)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Path run = Files.createTempDirectory("nodb-window");
    EnvelopeCodec codec = new EnvelopeCodec(new ObjectMapper());
    FencedFileWriter writer = new FencedFileWriter(codec);
    for (int kb : new int[] {1, 1024}) {
      Path file = run.resolve("w" + kb + ".nodb");
      String state = "{\"pad\":\"" + "x".repeat(kb * 1024) + "\"}";
      byte[] bytes =
          ("{\"nodb\":{\"format\":1,\"type\":\"w\",\"version\":0,\"fence\":1},\"state\":"
                  + state
                  + "}")
              .getBytes(StandardCharsets.UTF_8);
      Files.write(file, bytes);
      EnvelopeHeader header = codec.parseHeader(file, bytes);
      FileSignature sig = FileSignature.of(file).orElseThrow();
      long[] window = new long[n];
      long[] checked = new long[1];
      for (int i = 0; i < n + 50; i++) {
        sig =
            writer.write(
                run,
                file,
                bytes,
                header,
                sig,
                Fences.MAX / 2,
                NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE,
                () -> checked[0] = System.nanoTime());
        long end = System.nanoTime();
        if (i >= 50) {
          window[i - 50] = end - checked[0];
        }
      }
      Arrays.sort(window);
      System.out.printf(
          Locale.ROOT,
          "%5d KiB file: check-to-rename window p50 %.3f ms, p99 %.3f ms, max %.3f ms (n=%d)%n",
          kb,
          window[n / 2] / 1e6,
          window[(int) (n * 0.99)] / 1e6,
          window[n - 1] / 1e6,
          n);
    }
  }
}
