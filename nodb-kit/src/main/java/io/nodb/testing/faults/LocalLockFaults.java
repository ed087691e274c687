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
import java.util.function.UnaryOperator;

/**
 * {@link LockFaults} on the local backend's state files ({@code
 * <root>/<run>/.nodb-locks/<name>.lock}, JSON), edited under the OS lock of the key's stripe guard
 * ({@code stripe-NN.mutex}) and replaced atomically, as the backend does. A fence it plants is
 * drawn from the run's counter ({@code fence.counter}, under {@code run.mutex}) first, so the
 * backend's fences stay strictly increasing per key (see the backend's {@code LockPaths}).
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
          fence[0] = nextFence(key, s.path("fence").asLong());
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
    String base = base(key);
    Path dir = lockDir(key);
    Path state = dir.resolve(base + ".lock");
    Path temp = dir.resolve(base + ".fault.tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel guard =
              FileChannel.open(
                  dir.resolve(String.format("stripe-%02d.mutex", stripe(base))),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = lock(guard)) {
        ObjectNode s;
        try {
          s = (ObjectNode) JSON.readTree(Files.readAllBytes(state));
        } catch (NoSuchFileException absent) {
          s = JSON.createObjectNode();
          s.put("format", 2).put("name", key.name()).put("fence", 0).putNull("holder");
          s.put("expiresAtMillis", 0);
        }
        Files.write(temp, JSON.writeValueAsBytes(change.apply(s)));
        Files.move(temp, state, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot edit lock state " + state + ": " + e, e);
    }
  }

  /**
   * Draws the next fence from the run's counter, above {@code atLeast}, and writes the counter
   * (called under the key's stripe, as the backend does).
   */
  private long nextFence(LockKey key, long atLeast) {
    Path dir = lockDir(key);
    Path counter = dir.resolve("fence.counter");
    Path temp = dir.resolve("fence.counter.fault.tmp");
    try (FileChannel guard =
            FileChannel.open(
                dir.resolve("run.mutex"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lock(guard)) {
      long current = 0;
      try {
        current = JSON.readTree(Files.readAllBytes(counter)).path("fence").asLong();
      } catch (NoSuchFileException absent) {
        // a run whose counter was not made yet: the key's own fence is the floor
      }
      long next = Math.max(current, atLeast) + 1;
      ObjectNode c = JSON.createObjectNode().put("format", 2).put("fence", next);
      Files.write(temp, JSON.writeValueAsBytes(c));
      Files.move(temp, counter, StandardCopyOption.ATOMIC_MOVE);
      return next;
    } catch (IOException e) {
      throw new IllegalStateException("cannot draw a fence from " + counter + ": " + e, e);
    }
  }

  private Path lockDir(LockKey key) {
    return runsRoot.resolve(key.namespace().tag()).resolve(".nodb-locks");
  }

  private static String base(LockKey key) {
    return key.name().replace("%", "%25").replace("/", "%2F");
  }

  /** The backend's stripe of a base: a fixed hash ({@code String.hashCode} is specified). */
  private static int stripe(String base) {
    int h = base.hashCode();
    return Math.floorMod(h ^ (h >>> 16), 64);
  }

  /**
   * Takes the guard's OS lock within 10 s, whether a thread of this JVM or another process holds
   * it.
   */
  private static FileLock lock(FileChannel guard) throws IOException {
    java.util.concurrent.atomic.AtomicReference<FileLock> taken =
        new java.util.concurrent.atomic.AtomicReference<>();
    try {
      org.awaitility.Awaitility.await("the OS lock of " + guard)
          .atMost(Duration.ofSeconds(10))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .pollInSameThread()
          .ignoreException(OverlappingFileLockException.class) // a thread of this JVM holds it
          .until(
              () -> {
                taken.set(guard.tryLock());
                return taken.get() != null;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IOException("guard still locked (by another process or this JVM) after 10 s", e);
    }
    return taken.get();
  }
}
