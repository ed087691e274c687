package io.nodb.faults;

import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockAdmin;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockLossListener;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.LockOptions;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.lock.internal.HandleInternals;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A deliberately broken lock: every acquire "succeeds" at once with fence 1 and every release
 * reports {@code RELEASED}, so nothing is excluded. It exists to prove the checkers catch a broken
 * lock; never use it for anything else.
 */
final class NoOpLockClient implements LockClient {

  @Override
  public Optional<LockHandle> tryAcquire(LockKey key) {
    return Optional.of(new NoOpHandle(key));
  }

  @Override
  public Optional<LockHandle> tryAcquire(LockKey key, LockOptions options) {
    return tryAcquire(key);
  }

  @Override
  public LockHandle acquire(LockKey key, Duration lease, Duration wait) {
    return new NoOpHandle(key);
  }

  @Override
  public LockHandle acquire(LockKey key, LockOptions options, Duration wait) {
    return new NoOpHandle(key);
  }

  @Override
  public boolean isLocked(LockKey key) {
    return false;
  }

  @Override
  public Optional<LockInfo> owner(LockKey key) {
    return Optional.empty();
  }

  @Override
  public LockAdmin admin() {
    return new LockAdmin() {
      @Override
      public List<LockInfo> locks(LockNamespace namespace) {
        return List.of();
      }

      @Override
      public io.nodb.lock.RunScan scanRuns(String cursor, int count) {
        return new io.nodb.lock.RunScan(List.of(), cursor, true);
      }

      @Override
      public Optional<LockInfo> forceUnlock(LockKey key, String reason) {
        return Optional.empty();
      }

      @Override
      public Optional<LockInfo> forceUnlock(
          LockKey key, String expectedTokenDigest, String reason) {
        return Optional.empty();
      }

      @Override
      public List<LockInfo> clearLocks(LockNamespace namespace, String reason) {
        return List.of();
      }

      @Override
      public List<AuditEntry> audit(LockNamespace namespace, int limit) {
        return List.of();
      }
    };
  }

  @Override
  public Duration ping() {
    return Duration.ZERO;
  }

  @Override
  public io.nodb.lock.LockDomain domain() {
    return io.nodb.lock.LockDomain.LOCAL;
  }

  @Override
  public String backendDescription() {
    return "no-op (broken on purpose)";
  }

  @Override
  public void close() {}

  private record NoOpHandle(LockKey key) implements LockHandle, HandleInternals {
    @Override
    public String token() {
      return "no-op";
    }

    @Override
    public String tokenDigest() {
      return "no-op";
    }

    @Override
    public long fence() {
      return 1;
    }

    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public Duration remaining() {
      return Duration.ofSeconds(30);
    }

    @Override
    public Optional<LockLostException> loss() {
      return Optional.empty();
    }

    @Override
    public void ensureValid() {}

    @Override
    public void extend(Duration lease) {}

    @Override
    public boolean tryExtend(Duration lease) {
      return true;
    }

    @Override
    public ReleaseOutcome releaseHoldingFor(Duration atLeast) {
      return ReleaseOutcome.RELEASED;
    }

    @Override
    public void renewNow() {}

    @Override
    public long liftFence(long floor) {
      return floor + 1;
    }

    @Override
    public void addLossListener(LockLossListener listener) {}

    @Override
    public ReleaseOutcome release() {
      return ReleaseOutcome.RELEASED;
    }

    @Override
    public void close() {}
  }
}
