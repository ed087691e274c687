package io.nodb.testing.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.internal.LockHandles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;

/**
 * Reads one lock's state from every place it lives — the backend (for Redis: the lock key, the
 * fence counter and the run index; for local lock files: the key's state file, present while it is
 * held, and the run's {@code fence.counter}), the holder's {@link LockHandle}, and the controller
 * file's header — and reports how they differ.
 *
 * <p>With a holder, they agree when the backend's value carries the holder's token and fence and a
 * TTL, the fence counter is not below the holder's fence (for Redis it is the run's one counter),
 * the run index names the lock with a fence no greater, the handle is valid, and the file's fence
 * does not exceed the holder's. Without one ({@link #verifyFree}), when no lock value is stored and
 * the file's fence does not exceed the fence counter (a counter lost by a Redis restart is reported
 * as a difference: the next holder must lift it).
 *
 * <p>The probe reads the backend's documented layout (see {@code AGENTS.md}); the local variant
 * handles names up to 200 characters (longer ones are hashed by the backend). It never writes.
 * Thread-safe; each call opens its own connection from the supplier.
 */
public final class LockStateProbe {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<Jedis> redis;
  private final Path runsRoot;
  private final Clock clock;

  private LockStateProbe(Supplier<Jedis> redis, Path runsRoot, Clock clock) {
    this.redis = redis;
    this.runsRoot = runsRoot;
    this.clock = clock;
  }

  /**
   * Returns a probe for the Redis backend.
   *
   * @param connections opens a new connection to the Redis the locks live in (closed after use)
   * @return the probe
   */
  public static LockStateProbe redis(Supplier<Jedis> connections) {
    return new LockStateProbe(Objects.requireNonNull(connections, "connections"), null, null);
  }

  /**
   * Returns a probe for the local backend.
   *
   * @param runsRoot the runs root the lock client was built with
   * @param clock the wall clock the lock client judges expiry by
   * @return the probe
   */
  public static LockStateProbe local(Path runsRoot, Clock clock) {
    return new LockStateProbe(null, Objects.requireNonNull(runsRoot, "runsRoot"), clock);
  }

  /**
   * Checks that the backend, the holder's handle and the file agree that {@code holder} holds the
   * lock.
   *
   * @param holder the handle of the supposed holder
   * @param file the controller file guarded by the lock, or null to skip it
   * @return the report
   */
  public LockStateReport verify(LockHandle holder, Path file) {
    LockKey key = holder.key();
    Map<String, String> seen = new LinkedHashMap<>();
    List<String> diff = new ArrayList<>();
    Backend b = read(key);
    seen.put("handle.fence", Long.toString(holder.fence()));
    seen.put("handle.valid", Boolean.toString(holder.isValid()));
    seen.putAll(b.observed);
    if (!holder.isValid()) {
      diff.add(
          "the handle is not valid ("
              + holder.loss().map(Throwable::getMessage).orElse("released or expired")
              + ")");
    }
    if (b.value == null) {
      diff.add("the backend stores no lock value, but the handle holds fence " + holder.fence());
    } else {
      if (!b.value.startsWith(LockHandles.token(holder) + "|")) {
        diff.add("the backend's lock value carries another token (" + b.ownerText() + ")");
      }
      if (b.storedFence() != holder.fence()) {
        diff.add(
            "the backend's lock value has fence "
                + b.storedFence()
                + ", the handle "
                + holder.fence());
      }
      if (b.ttlMillis <= 0) {
        diff.add("the backend's lock value has no TTL left (" + b.ttlMillis + " ms)");
      }
    }
    if (b.counter < holder.fence()) {
      diff.add(
          "the fence counter is " + b.counter + ", below the holder's fence " + holder.fence());
    }
    if (b.indexFence == null) {
      diff.add("the run index does not name " + key.name());
    } else if (b.indexFence > holder.fence()) {
      diff.add(
          "the run index records fence " + b.indexFence + " above the holder's " + holder.fence());
    }
    readFile(file, seen)
        .ifPresent(
            fileFence -> {
              if (fileFence > holder.fence()) {
                diff.add(
                    "the file carries fence "
                        + fileFence
                        + " above the holder's "
                        + holder.fence()
                        + ": its dump would be rejected");
              }
            });
    return new LockStateReport(key, seen, diff);
  }

  /**
   * Checks that nobody holds the lock and the file's fence is covered by the fence counter.
   *
   * @param key the lock
   * @param file the controller file, or null to skip it
   * @return the report
   */
  public LockStateReport verifyFree(LockKey key, Path file) {
    Map<String, String> seen = new LinkedHashMap<>();
    List<String> diff = new ArrayList<>();
    Backend b = read(key);
    seen.putAll(b.observed);
    if (b.value != null && (b.ttlMillis > 0 || b.ttlMillis == -1)) {
      diff.add("the lock is held (" + b.ownerText() + ")");
    }
    readFile(file, seen)
        .ifPresent(
            fileFence -> {
              if (fileFence > b.counter) {
                diff.add(
                    "the file carries fence "
                        + fileFence
                        + " above the fence counter "
                        + b.counter
                        + " (counter lost, e.g. a Redis restart; the next holder must lift it)");
              }
            });
    return new LockStateReport(key, seen, diff);
  }

  private java.util.Optional<Long> readFile(Path file, Map<String, String> seen) {
    if (file == null) {
      return java.util.Optional.empty();
    }
    try {
      JsonNode header = JSON.readTree(Files.readAllBytes(file)).path("nodb");
      seen.put("file.version", header.path("version").asText());
      seen.put("file.fence", header.path("fence").asText());
      return java.util.Optional.of(header.path("fence").asLong());
    } catch (NoSuchFileException absent) {
      seen.put("file", "absent");
      return java.util.Optional.empty();
    } catch (IOException e) {
      seen.put("file", "unreadable: " + e.getMessage());
      return java.util.Optional.empty();
    }
  }

  private Backend read(LockKey key) {
    return redis != null ? readRedis(key) : readLocal(key);
  }

  private Backend readRedis(LockKey key) {
    String tag = "{" + key.namespace().tag() + "}";
    try (Jedis j = redis.get()) {
      String lockKey = "nodb-lock:" + tag + ":" + key.name();
      String value = j.get(lockKey);
      long ttl = j.pttl(lockKey);
      // the run's one fence counter (every key of the run draws from it)
      String counter = j.get("nodb-fence:" + tag);
      String index = j.hget("nodb-run:" + tag, "lock:" + key.name());
      Backend b =
          new Backend(
              value,
              ttl,
              counter == null ? 0 : Long.parseLong(counter),
              index == null ? null : Long.parseLong(index));
      b.observed.put(
          "redis.lock", value == null ? "absent" : value.replaceFirst("^[^|]*", "<token>"));
      b.observed.put("redis.pttl", Long.toString(ttl));
      b.observed.put("redis.fence", counter == null ? "absent" : counter);
      b.observed.put("redis.index", index == null ? "absent" : index);
      return b;
    }
  }

  private Backend readLocal(LockKey key) {
    String base = key.name().replace("%", "%25").replace("/", "%2F");
    Path dir = runsRoot.resolve(key.namespace().tag()).resolve(".nodb-locks");
    Path state = dir.resolve(base + ".lock");
    long counter = 0;
    String counterSeen;
    try {
      // the run's one fence counter (every key of the run draws from it)
      counter =
          JSON.readTree(Files.readAllBytes(dir.resolve("fence.counter"))).path("fence").asLong();
      counterSeen = Long.toString(counter);
    } catch (NoSuchFileException absent) {
      counterSeen = "absent";
    } catch (IOException e) {
      counterSeen = "unreadable: " + e.getMessage();
    }
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(state));
      JsonNode holder = root.path("holder");
      long expires = root.path("expiresAtMillis").asLong();
      long ttl = expires - clock.millis();
      String value = holder.isTextual() && ttl > 0 ? holder.asText() : null;
      long fence = root.path("fence").asLong();
      // the state file is the local index entry: it exists while the key is held
      Backend b = new Backend(value, ttl, counter, fence);
      b.observed.put(
          "local.holder", value == null ? "none" : value.replaceFirst("^[^|]*", "<token>"));
      b.observed.put("local.ttlMillis", Long.toString(ttl));
      b.observed.put("local.fence", Long.toString(fence));
      b.observed.put("local.counter", counterSeen);
      return b;
    } catch (NoSuchFileException absent) {
      Backend b = new Backend(null, -2, counter, null);
      b.observed.put("local.state", "absent");
      b.observed.put("local.counter", counterSeen);
      return b;
    } catch (IOException e) {
      Backend b = new Backend(null, -2, counter, null);
      b.observed.put("local.state", "unreadable: " + e.getMessage());
      b.observed.put("local.counter", counterSeen);
      return b;
    }
  }

  /** The backend's view of one key. */
  private static final class Backend {
    final String value;
    final long ttlMillis;
    final long counter;
    final Long indexFence;
    final Map<String, String> observed = new LinkedHashMap<>();

    Backend(String value, long ttlMillis, long counter, Long indexFence) {
      this.value = value;
      this.ttlMillis = ttlMillis;
      this.counter = counter;
      this.indexFence = indexFence;
    }

    long storedFence() {
      String[] p = value.split("\\|", 3);
      try {
        return p.length >= 2 ? Long.parseLong(p[1]) : -1;
      } catch (NumberFormatException foreign) {
        return -1;
      }
    }

    String ownerText() {
      String[] p = value.split("\\|", 7);
      return p.length == 7
          ? "fence " + p[1] + ", " + p[4] + ":" + p[5] + " " + p[6]
          : "foreign value";
    }
  }
}
