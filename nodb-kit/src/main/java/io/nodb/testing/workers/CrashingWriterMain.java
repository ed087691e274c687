package io.nodb.testing.workers;

import io.nodb.lock.LockClient;
import io.nodb.store.LockedScope;
import io.nodb.store.NoDbStore;
import io.nodb.store.internal.FencedFileWriter;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.controllers.CounterState;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A writer that dies while dumping a {@link Counter}, for crash-during-write tests. Arguments are
 * {@code name=value}: {@code backend}, {@code runsRoot}, {@code runDir}, {@code lease} (ms), and
 * {@code mode}:
 *
 * <ul>
 *   <li>{@code temp-then-halt}: under the controller's lock, writes and forces the temp file
 *       exactly where the store writes it ({@link FencedFileWriter#tempFileOf}) — the old content
 *       with its version bumped and the count set to -1 — prints {@code temp-written}, and halts
 *       the JVM before any rename, as a crash between the two steps would.
 *   <li>{@code loop}: increments the counter forever, printing {@code committed <version>} after
 *       each dump, until the test kills it at some moment.
 * </ul>
 */
public final class CrashingWriterMain {

  private CrashingWriterMain() {}

  /**
   * Runs the writer.
   *
   * @param args see the class comment
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    WorkerArgs a = WorkerArgs.parse(args);
    Path runDir = a.path("runDir");
    LockClient locks = a.lockClient();
    NoDbStore store =
        NoDbStore.builder()
            .lockClient(locks)
            .lease(a.millis("lease", Duration.ofSeconds(1)))
            .lockWait(Duration.ofSeconds(30))
            .build();
    Counter counter = store.getInstance(Counter.class, runDir);
    if (a.get("mode").equals("temp-then-halt")) {
      LockedScope<CounterState> scope = counter.lock();
      String old = Files.readString(counter.file());
      String bumped =
          old.replaceFirst(
                  "\"version\"\\s*:\\s*" + counter.version(),
                  "\"version\":" + (counter.version() + 1))
              .replaceFirst("\"count\"\\s*:\\s*-?\\d+", "\"count\":-1");
      Path tmp = FencedFileWriter.tempFileOf(counter.file());
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(
            java.nio.ByteBuffer.wrap(bumped.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ch.force(true);
      }
      WorkerArgs.say("temp-written " + scope.lock().fence());
      Runtime.getRuntime().halt(3);
    }
    while (true) {
      counter.increment();
      WorkerArgs.say("committed " + counter.version());
    }
  }
}
