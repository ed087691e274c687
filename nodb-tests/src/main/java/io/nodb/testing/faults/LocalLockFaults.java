package io.nodb.testing.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.lock.LockKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * {@link LockFaults} on the local backend's state files ({@code
 * <root>/<run>/.nodb-locks/<name>.lock}, JSON), edited under the key's OS guard lock and replaced
 * atomically, as the backend does.
 */
final class LocalLockFaults implements LockFaults {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path runsRoot;
  private final Clock clock;

  LocalLockFaults(Path runsRoot, Clock clock) {
    this.runsRoot = runsRoot;
    this.clock = clock;
  }

  @Override
  public String corruptToken(LockKey key) {
    String token = DeadPid.newToken().replace("orphan", "corrupt");
    edit(
        key,
        s -> {
          requireHeld(key, s);
          String holder = s.path("holder").asText();
          s.put("holder", token + holder.substring(holder.indexOf('|')));
          return s;
        });
    return token;
  }

  @Override
  public long orphan(LockKey key, Duration lease) {
    long pid = DeadPid.next();
    long[] fence = new long[1];
    edit(
        key,
        s -> {
          if (isHeld(s)) {
            throw new IllegalStateException("cannot orphan held lock " + key);
          }
          long now = clock.millis();
          fence[0] = s.path("fence").asLong() + 1;
          s.put("fence", fence[0]);
          s.put(
              "holder",
              DeadPid.newToken()
                  + "|"
                  + fence[0]
                  + "|"
                  + now
                  + "|"
                  + lease.toMillis()
                  + "|"
                  + DeadPid.host()
                  + "|"
                  + pid
                  + "|orphan");
          s.put("expiresAtMillis", now + lease.toMillis());
          return s;
        });
    return fence[0];
  }

  @Override
  public void expireNow(LockKey key) {
    edit(
        key,
        s -> {
          if (isHeld(s)) {
            s.put("expiresAtMillis", clock.millis());
          }
          return s;
        });
  }

  @Override
  public void overwriteForeign(LockKey key, String value, Duration ttl) {
    edit(
        key,
        s -> {
          s.put("holder", value);
          s.put("expiresAtMillis", clock.millis() + ttl.toMillis());
          return s;
        });
  }

  private boolean isHeld(ObjectNode s) {
    return s.path("holder").isTextual() && s.path("expiresAtMillis").asLong() > clock.millis();
  }

  private void requireHeld(LockKey key, ObjectNode s) {
    if (!isHeld(s)) {
      throw new IllegalStateException("lock " + key + " is free");
    }
  }

  private void edit(LockKey key, UnaryOperator<ObjectNode> change) {
    String base = key.name().replace("%", "%25").replace("/", "%2F");
    Path dir = runsRoot.resolve(key.runId()).resolve(".nodb-locks");
    Path state = dir.resolve(base + ".lock");
    Path temp = dir.resolve(base + ".fault.tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel guard =
              FileChannel.open(
                  dir.resolve(base + ".guard"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = lock(guard)) {
        ObjectNode s;
        try {
          s = (ObjectNode) JSON.readTree(Files.readAllBytes(state));
        } catch (NoSuchFileException absent) {
          s = JSON.createObjectNode();
          s.put("format", 1).put("name", key.name()).put("fence", 0).putNull("holder");
          s.put("expiresAtMillis", 0).putArray("evicted");
        }
        Files.write(temp, JSON.writeValueAsBytes(change.apply(s)));
        Files.move(temp, state, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot edit lock state " + state + ": " + e, e);
    }
  }

  /**
   * Takes the guard's OS lock within 10 s, whether a thread of this JVM or another process holds
   * it.
   */
  private static FileLock lock(FileChannel guard) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        FileLock lock = guard.tryLock();
        if (lock != null) {
          return lock;
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IOException("guard still locked by another process after 10 s");
        }
        LockSupport.parkNanos(1_000_000);
      } catch (OverlappingFileLockException busyInThisJvm) {
        if (System.nanoTime() - deadline > 0) {
          throw new IOException("guard still locked by this JVM after 10 s", busyInThisJvm);
        }
        LockSupport.parkNanos(1_000_000);
      }
    }
  }
}
