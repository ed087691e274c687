package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.lock.internal.LockHandles;
import io.nodb.testpolicy.logging.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.slf4j.event.Level;

/**
 * Item 10: a model-based test of the lock client on the local backend with a fake wall clock.
 * Random sequences of acquire, release, extend, force, clear, lease expiry (the clock jumps) and
 * renewal failure (an extend after the lease ran out or the lock was evicted) by three actors on
 * two keys are run step by step against a reference model of who holds what; every call's result
 * must be the model's: who gets a lock and with which fence, each release outcome, and whether an
 * extend succeeds or fails with which {@link LossReason}.
 *
 * <p>The handles' monotonic ticker stays still, so only the backend (judged by the fake clock)
 * decides expiry and no watchdog timer interferes; renewal is off.
 */
class LockModelTest {

  private static final String RUN = "model-run";
  private static final List<String> NAMES = List.of("a.nodb", "b.nodb");
  private static final int ACTORS = 3;
  private static final long EVICTION_RETENTION = Duration.ofMinutes(10).toMillis();

  /** One step of a scenario. */
  record Step(String op, int actor, int key, long amount) {
    @Override
    public String toString() {
      return op
          + "(actor "
          + actor
          + ", "
          + NAMES.get(key)
          + (amount > 0 ? ", " + amount + " ms" : "")
          + ")";
    }
  }

  @Provide
  Arbitrary<List<Step>> scenarios() {
    Arbitrary<String> ops =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just("acquire")),
            net.jqwik.api.Tuple.of(4, Arbitraries.just("release")),
            net.jqwik.api.Tuple.of(3, Arbitraries.just("extend")),
            net.jqwik.api.Tuple.of(1, Arbitraries.just("force")),
            net.jqwik.api.Tuple.of(1, Arbitraries.just("clear")),
            net.jqwik.api.Tuple.of(3, Arbitraries.just("advance")));
    Arbitrary<Step> step =
        Combinators.combine(
                ops,
                Arbitraries.integers().between(0, ACTORS - 1),
                Arbitraries.integers().between(0, NAMES.size() - 1),
                Arbitraries.longs().between(1, 2500))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 60)
  void item10TheLockClientBehavesLikeTheReferenceModel(@ForAll("scenarios") List<Step> steps)
      throws IOException {
    // the WARNs the model's steps cause, by message part: forces, clears, releases that found the
    // lock lost; a handle's own "lost" report depends on which call finds the loss first
    Map<String, Integer> expectedWarns = new HashMap<>();
    try (LogCapture logs = LogCapture.start()) {
      logs.allow(Level.WARN, "lost run=" + RUN + " ").from("io.nodb.lock");
      runAgainstTheModel(steps, expectedWarns);
      expectedWarns.forEach((part, n) -> logs.expect(Level.WARN, part).times(n));
    }
  }

  /** Runs {@code steps} on real clients and the model, counting the WARNs the steps must cause. */
  private static void runAgainstTheModel(List<Step> steps, Map<String, Integer> expectedWarns)
      throws IOException {
    Path root = Files.createTempDirectory("nodb-model");
    MutableClock clock = new MutableClock(1_700_000_000_000L);
    List<LockClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < ACTORS; i++) {
        clients.add(LockClient.builder().local(root).clock(clock).ticker(() -> 0L).build());
      }
      Model model = new Model();
      // each actor's latest handle per key
      Map<String, LockHandle> handles = new HashMap<>();
      for (Step s : steps) {
        LockKey key = LockKey.of(RUN, NAMES.get(s.key()));
        String slot = s.actor() + "/" + s.key();
        LockClient client = clients.get(s.actor());
        switch (s.op()) {
          case "acquire" -> {
            Optional<LockHandle> h =
                client.tryAcquire(key, LockOptions.lease(Duration.ofMillis(1000)).withoutRenewal());
            Optional<Long> expected = model.acquire(s.key(), slot, clock.millis(), 1000);
            assertThat(h.map(LockHandle::fence)).as("%s", s).isEqualTo(expected);
            h.ifPresent(handle -> handles.put(slot, handle));
          }
          case "release" -> {
            LockHandle h = handles.remove(slot);
            if (h != null) {
              ReleaseOutcome expected = model.release(h, s.key(), clock.millis());
              assertThat(h.release()).as("%s", s).isEqualTo(expected);
              if (expected != ReleaseOutcome.RELEASED) {
                expectedWarns.merge(
                    "release "
                        + expected
                        + " run="
                        + RUN
                        + " key="
                        + key.name()
                        + " token="
                        + h.tokenDigest()
                        + " fence="
                        + h.fence(),
                    1,
                    Integer::sum);
              }
            }
          }
          case "extend" -> {
            LockHandle h = handles.get(slot);
            if (h != null) {
              Optional<LossReason> expected = model.extend(h, s.key(), clock.millis(), 1000);
              if (expected.isEmpty()) {
                h.extend(Duration.ofMillis(1000));
              } else {
                assertThatThrownBy(() -> h.extend(Duration.ofMillis(1000)))
                    .as("%s", s)
                    .isInstanceOfSatisfying(
                        LockLostException.class,
                        e -> assertThat(e.reason()).isEqualTo(expected.get()));
              }
            }
          }
          case "force" -> {
            Optional<LockInfo> evicted = client.admin().forceUnlock(key, "model");
            assertThat(evicted.map(LockInfo::fence))
                .as("%s", s)
                .isEqualTo(model.evict(s.key(), LossReason.FORCED, clock.millis()));
            if (evicted.isPresent()) {
              expectedWarns.merge(
                  "forced run=" + RUN + " key=" + key.name() + " reason='model'", 1, Integer::sum);
            }
          }
          case "clear" -> {
            List<Long> expected = new ArrayList<>();
            for (int k = 0; k < NAMES.size(); k++) {
              model.evict(k, LossReason.CLEARED, clock.millis()).ifPresent(expected::add);
            }
            assertThat(
                    client.admin().clearLocks(RUN, "model").stream().map(LockInfo::fence).toList())
                .as("%s", s)
                .containsExactlyInAnyOrderElementsOf(expected);
            expectedWarns.merge(
                "cleared run=" + RUN + " count=" + expected.size() + " reason='model'",
                1,
                Integer::sum);
          }
          case "advance" -> clock.advance(s.amount());
          default -> throw new IllegalStateException(s.op());
        }
        for (int k = 0; k < NAMES.size(); k++) {
          assertThat(clients.get(0).isLocked(LockKey.of(RUN, NAMES.get(k))))
              .as("after %s, is %s locked", s, NAMES.get(k))
              .isEqualTo(model.holder(k, clock.millis()).isPresent());
        }
      }
    } finally {
      clients.forEach(LockClient::close);
      try (var files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * The reference model: one fence counter for the run (every key draws from it, as on both
   * backends), per key a holder with an expiry, evicted tokens.
   */
  private static final class Model {
    private long runFence;
    private final Holder[] holders = new Holder[NAMES.size()];
    private final Map<String, Eviction> evicted = new HashMap<>();

    /** Per handle (by token): the loss it already recorded, so a later extend repeats it. */
    private final Map<String, LossReason> recordedLoss = new HashMap<>();

    /** Fences handed out, to look up the token of a holder the model created. */
    private final Map<Long, String> tokenByFence = new HashMap<>();

    record Holder(long fence, long expiresAt) {}

    record Eviction(LossReason reason, long at) {}

    Optional<Holder> holder(int key, long now) {
      Holder h = holders[key];
      return h != null && h.expiresAt() > now ? Optional.of(h) : Optional.empty();
    }

    Optional<Long> acquire(int key, String slot, long now, long lease) {
      if (holder(key, now).isPresent()) {
        return Optional.empty();
      }
      runFence++;
      holders[key] = new Holder(runFence, now + lease);
      return Optional.of(runFence);
    }

    private boolean holds(LockHandle h, int key, long now) {
      return holder(key, now).filter(x -> x.fence() == h.fence()).isPresent();
    }

    private LossReason lossOf(LockHandle h, int key, long now) {
      Eviction e = evicted.get(h.key().name() + "#" + h.fence());
      if (e != null && now - e.at() < EVICTION_RETENTION) {
        return e.reason();
      }
      return holder(key, now).isPresent() ? LossReason.TAKEN_OVER : LossReason.EXPIRED;
    }

    ReleaseOutcome release(LockHandle h, int key, long now) {
      if (holds(h, key, now)) {
        holders[key] = null;
        return ReleaseOutcome.RELEASED;
      }
      return lossOf(h, key, now) == LossReason.EXPIRED
          ? ReleaseOutcome.ALREADY_EXPIRED
          : ReleaseOutcome.NOT_OWNER;
    }

    Optional<LossReason> extend(LockHandle h, int key, long now, long lease) {
      LossReason already = recordedLoss.get(LockHandles.token(h));
      if (already != null) {
        return Optional.of(already);
      }
      if (holds(h, key, now)) {
        holders[key] = new Holder(h.fence(), now + lease);
        return Optional.empty();
      }
      LossReason r = lossOf(h, key, now);
      recordedLoss.put(LockHandles.token(h), r);
      return Optional.of(r);
    }

    Optional<Long> evict(int key, LossReason reason, long now) {
      Optional<Holder> h = holder(key, now);
      h.ifPresent(
          x -> {
            evicted.put(NAMES.get(key) + "#" + x.fence(), new Eviction(reason, now));
            holders[key] = null;
          });
      return h.map(Holder::fence);
    }
  }

  /** A wall clock tests move by hand. */
  private static final class MutableClock extends Clock {
    private final AtomicLong millis;

    MutableClock(long start) {
      this.millis = new AtomicLong(start);
    }

    void advance(long ms) {
      millis.addAndGet(ms);
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
