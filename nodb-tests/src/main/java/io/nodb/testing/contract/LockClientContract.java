package io.nodb.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockAttempt;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockHolderChangedException;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LockTimeoutException;
import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.testing.time.FakeTime;
import io.nodb.testpolicy.TestThreads;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * The lock client contract: what every backend must do, written once and run by a concrete subclass
 * per backend (Redis, local files). A subclass supplies a builder wired to its backend and a fresh
 * run id per test; everything else is here.
 *
 * <p>Timing is never slept on: waits use start gates and latches, renewal and expiry notices run on
 * the kit's {@link FakeTime} (the client's ticker, clock and scheduler), and the backend's own
 * expiry uses short leases with bounded polls (Awaitility). Bounds are generous (seconds) against
 * the millisecond events they check, so the suite does not flake on a loaded 2-core machine.
 *
 * <p>Not thread-safe itself; JUnit creates one instance per test method.
 */
public abstract class LockClientContract {

  /** The log events of each test: the WARN/ERROR logs it expects are asserted, not printed. */
  @RegisterExtension protected final LogCapture logs = new LogCapture();

  private static final String LOCK_LOG = "io.nodb.lock";

  /** How the library's lock log names a handle: {@code run=R key=K token=T}. */
  private static String where(LockHandle h) {
    return key(h.key()) + " token=" + h.tokenDigest();
  }

  private static String key(LockKey key) {
    return "run=" + key.namespace().tag() + " key=" + key.name();
  }

  /** Expects the one WARN that tells {@code h}'s holder it lost the lock for {@code reason}. */
  private void expectLost(LockHandle h, LossReason reason) {
    logs.expect(Level.WARN, "lost " + where(h) + " fence=" + h.fence() + " reason=" + reason)
        .from(LOCK_LOG)
        .times(1);
  }

  /** Expects the one WARN of a release of {@code h} that did not release a held lock. */
  private void expectRelease(LockHandle h, ReleaseOutcome outcome) {
    logs.expect(Level.WARN, "release " + outcome + " " + where(h) + " fence=" + h.fence())
        .from(LOCK_LOG)
        .times(1);
  }

  /** A lease short enough to expire within a test, long enough to survive a GC pause. */
  protected static final Duration SHORT_LEASE = Duration.ofMillis(400);

  /** How long any wake-up may take before the test fails. */
  protected static final Duration PROMPTLY = Duration.ofSeconds(5);

  private final List<LockClient> clients = new ArrayList<>();

  /** Returns a builder wired to the backend under test, with no other settings. */
  protected abstract LockClientBuilder builder();

  /** Returns a run id no other test uses. */
  protected abstract String newRunId();

  /** Builds a client and closes it after the test. */
  protected LockClient client() {
    return track(builder().build());
  }

  /** Builds a client with a meter registry and closes it after the test. */
  protected LockClient client(SimpleMeterRegistry registry) {
    return track(builder().meterRegistry(registry).build());
  }

  private LockClient track(LockClient c) {
    clients.add(c);
    return c;
  }

  @AfterEach
  void closeClients() {
    clients.forEach(LockClient::close);
  }

  protected LockKey newKey() {
    return LockKey.of(newRunId(), "climate.nodb");
  }

  @Test
  void mutualExclusionUnderContention() throws Exception {
    LockClient client = client();
    contend(newKey(), List.of(client, client, client, client, client, client, client, client), 40);
  }

  @Test
  void mutualExclusionAcrossClientsThatShareNoLocalQueue() throws Exception {
    List<LockClient> separate = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      separate.add(client());
    }
    List<LockClient> perThread = new ArrayList<>(separate);
    perThread.addAll(separate);
    contend(newKey(), perThread, 25);
  }

  /**
   * Runs one thread per entry of {@code clientPerThread} behind a start gate; each takes the lock
   * {@code rounds} times and updates an unsynchronized counter in the critical section. Exact
   * assertions: never two threads inside, no lost increment, fences unique and in entry order.
   */
  private static void contend(LockKey key, List<LockClient> clientPerThread, int rounds)
      throws Exception {
    int threads = clientPerThread.size();
    int[] unsynchronizedCounter = {0};
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    List<Long> fences = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch startGate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (LockClient c : clientPerThread) {
        futures.add(
            pool.submit(
                () -> {
                  startGate.await();
                  for (int i = 0; i < rounds; i++) {
                    try (LockHandle h =
                        c.acquire(key, Duration.ofSeconds(10), Duration.ofSeconds(60))) {
                      maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                      fences.add(h.fence());
                      int seen = unsynchronizedCounter[0];
                      Thread.yield();
                      unsynchronizedCounter[0] = seen + 1;
                      inside.decrementAndGet();
                      h.ensureValid();
                    }
                  }
                  return null;
                }));
      }
      startGate.countDown();
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(maxInside.get()).as("threads inside the critical section at once").isEqualTo(1);
    assertThat(unsynchronizedCounter[0]).isEqualTo(threads * rounds);
    assertThat(fences).as("fences in entry order").isSortedAccordingTo(Long::compare);
    assertThat(fences).doesNotHaveDuplicates();
  }

  @Test
  void attemptTakesAFreeLockOrNamesTheHolderOfAHeldOne() {
    LockClient client = client();
    LockKey key = newKey();
    LockAttempt first = client.attempt(key, LockOptions.lease(Duration.ofSeconds(30)));
    assertThat(first.isAcquired()).isTrue();
    assertThat(first.holder()).isEmpty();
    try (LockHandle held = first.handle().orElseThrow()) {
      LockAttempt second = client().attempt(key, LockOptions.lease(Duration.ofSeconds(30)));
      assertThat(second.isAcquired()).as("from another client").isFalse();
      assertThat(second.handle()).isEmpty();
      LockInfo holder = second.holder().orElseThrow();
      assertThat(holder.tokenDigest()).isEqualTo(held.tokenDigest());
      assertThat(holder.fence()).isEqualTo(held.fence());
      assertThat(holder.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(holder.ttlLeft()).isPositive();
    }
    assertThat(client.isLocked(key)).isFalse();
  }

  @Test
  void tryAcquireOnHeldKeyIsEmpty() {
    LockClient client = client();
    LockKey key = newKey();
    try (LockHandle held = client.tryAcquire(key).orElseThrow()) {
      assertThat(client.tryAcquire(key)).isEmpty();
      assertThat(client().tryAcquire(key)).as("from another client").isEmpty();
      assertThat(client.isLocked(key)).isTrue();
      assertThat(held.isValid()).isTrue();
    }
    assertThat(client.isLocked(key)).isFalse();
  }

  @Test
  void waiterGetsTheLockPromptlyAfterRelease() throws Exception {
    LockClient holderClient = client();
    LockClient waiterClient = client();
    LockKey key = newKey();
    LockHandle held = holderClient.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              waiting.countDown();
              return waiterClient.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(25));
            },
            TestThreads.PER_TASK);
    assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(waiter).isNotDone();
    long released = System.nanoTime();
    assertThat(held.release()).isEqualTo(ReleaseOutcome.RELEASED);
    LockHandle got = waiter.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
    Duration handOff = Duration.ofNanos(System.nanoTime() - released);
    assertThat(handOff).as("woken by the release, not by the 30 s lease").isLessThan(PROMPTLY);
    assertThat(got.fence()).isGreaterThan(held.fence());
    assertThat(got.release()).isEqualTo(ReleaseOutcome.RELEASED);
  }

  @Test
  void timeoutNamesTheOwnerFenceAndTtl() {
    LockClient client = client();
    LockKey key = newKey();
    try (LockHandle held = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO)) {
      assertThatThrownBy(
              () -> client().acquire(key, Duration.ofSeconds(30), Duration.ofMillis(150)))
          .isInstanceOfSatisfying(
              LockTimeoutException.class,
              e -> {
                LockInfo owner = e.owner().orElseThrow();
                assertThat(owner.fence()).isEqualTo(held.fence());
                assertThat(owner.tokenDigest()).isEqualTo(held.tokenDigest());
                assertThat(owner.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(owner.ttlLeft()).isPositive();
                assertThat(e.getMessage())
                    .contains(key.toString())
                    .contains("fence " + held.fence())
                    .contains("TTL left")
                    .contains(owner.host() + ":" + owner.pid());
              });
    }
  }

  @Test
  void staleTokenCannotReleaseOrExtendANewerOwnersLock() {
    LockClient client = client();
    LockKey key = newKey();
    LockHandle stale =
        client.acquire(key, LockOptions.lease(SHORT_LEASE).withoutRenewal(), Duration.ZERO);
    await().atMost(PROMPTLY).until(() -> !client.isLocked(key));
    LockHandle newer = client().acquire(key, Duration.ofSeconds(30), Duration.ZERO);

    assertThat(stale.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThatThrownBy(() -> stale.extend(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(client.owner(key).orElseThrow().tokenDigest()).isEqualTo(newer.tokenDigest());
    assertThat(newer.isValid()).isTrue();
    assertThat(newer.release()).isEqualTo(ReleaseOutcome.RELEASED);
    // EXPIRED by the watchdog, or TAKEN_OVER if the release found the newer owner first
    logs.expect(Level.WARN, "lost " + where(stale) + " fence=" + stale.fence() + " reason=")
        .from(LOCK_LOG)
        .times(1);
    expectRelease(stale, ReleaseOutcome.NOT_OWNER);
  }

  @Test
  void staleTokenExtendIsRefusedAsTakenOver() {
    LockClient client = client();
    LockKey key = newKey();
    LockHandle stale =
        client.acquire(key, LockOptions.lease(SHORT_LEASE).withoutRenewal(), Duration.ZERO);
    await().atMost(PROMPTLY).until(() -> !client.isLocked(key));
    LockHandle newer = client().acquire(key, Duration.ofSeconds(30), Duration.ZERO);

    assertThatThrownBy(() -> stale.extend(Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(
            LockLostException.class,
            e -> assertThat(e.reason()).isIn(LossReason.TAKEN_OVER, LossReason.EXPIRED));
    assertThat(client.owner(key).orElseThrow().tokenDigest()).isEqualTo(newer.tokenDigest());
    assertThat(newer.release()).isEqualTo(ReleaseOutcome.RELEASED);
    // EXPIRED if the watchdog saw the lease end first, TAKEN_OVER if the extend did
    logs.expect(Level.WARN, "lost " + where(stale) + " fence=" + stale.fence() + " reason=")
        .from(LOCK_LOG)
        .times(1);
  }

  @Test
  void lockExpiresAfterItsLeaseWithoutRenewal() {
    LockClient client = client();
    LockKey key = newKey();
    CountDownLatch lost = new CountDownLatch(1);
    AtomicReference<LossReason> reason = new AtomicReference<>();
    LockHandle h =
        client.acquire(
            key,
            LockOptions.lease(SHORT_LEASE)
                .withoutRenewal()
                .withLossListener(
                    loss -> {
                      reason.set(loss.reason());
                      lost.countDown();
                    }),
            Duration.ZERO);
    assertThat(client.owner(key).orElseThrow().ttlLeft())
        .isPositive()
        .isLessThanOrEqualTo(SHORT_LEASE);
    await().atMost(PROMPTLY).until(() -> !client.isLocked(key));
    await().atMost(PROMPTLY).until(() -> lost.getCount() == 0);
    assertThat(reason.get()).isEqualTo(LossReason.EXPIRED);
    assertThat(h.isValid()).isFalse();
    assertThat(h.release()).isEqualTo(ReleaseOutcome.ALREADY_EXPIRED);
    assertThat(client.tryAcquire(key)).isPresent();
    expectLost(h, LossReason.EXPIRED);
    expectRelease(h, ReleaseOutcome.ALREADY_EXPIRED);
  }

  /**
   * Builds a client whose ticker, wall clock and scheduler are {@code time}, so its renewals and
   * expiry notices run only when the test advances it; closed after the test.
   */
  protected LockClient client(FakeTime time, SimpleMeterRegistry registry) {
    return track(
        builder().ticker(time).clock(time.clock()).scheduler(time).meterRegistry(registry).build());
  }

  /**
   * Builds a client whose renewals and expiry notices never run (its scheduler is a {@link
   * FakeTime} nobody advances), on real time otherwise: a loss is then learned only by the call the
   * test makes, so the test knows which WARN it causes; closed after the test.
   */
  protected LockClient clientWithoutTimers() {
    return track(builder().scheduler(FakeTime.create()).build());
  }

  private static double renewals(SimpleMeterRegistry registry, String result) {
    var counter = registry.find("nodb.lock.renewals").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void renewalKeepsTheHolderValidAcrossManyLeasesOfFakeTime() {
    FakeTime time = FakeTime.create();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LockClient client = client(time, registry);
    LockKey key = newKey();
    // 30 s renewed every 10 s. Only the fake time line moves, so no renewal can be late; on Redis
    // the key's real TTL (30 s) is reset by every renewal, far longer than the test runs.
    Duration lease = Duration.ofSeconds(30);
    LockHandle h = client.acquire(key, lease, Duration.ZERO);
    long fence = h.fence();
    assertThat(time.pending()).as("the first renewal is queued").isOne();
    assertThat(time.untilNextTask()).isEqualTo(lease.dividedBy(3));

    for (int step = 1; step <= 10; step++) {
      assertThat(time.advance(lease)).as("renewals in lease %d", step).isEqualTo(3);
      assertThat(h.isValid()).isTrue();
      assertThat(h.remaining()).isGreaterThan(lease.multipliedBy(2).dividedBy(3).minusSeconds(1));
      assertThat(client.owner(key).orElseThrow().tokenDigest()).isEqualTo(h.tokenDigest());
    }

    assertThat(renewals(registry, "ok")).isEqualTo(30.0);
    assertThat(renewals(registry, "failed")).isZero();
    assertThat(h.loss()).isEmpty();
    assertThat(h.fence()).as("renewal keeps the fence").isEqualTo(fence);
    assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
    assertThat(time.pending()).as("release cancels the next renewal").isZero();
    assertThat(time.advance(lease)).isZero();
  }

  @Test
  void anUnrenewedHandleIsToldOfItsExpiryWhenItsLeaseRunsOutOnFakeTime() {
    FakeTime time = FakeTime.create();
    LockClient client = client(time, new SimpleMeterRegistry());
    LockKey key = newKey();
    AtomicReference<LossReason> told = new AtomicReference<>();
    Duration lease = Duration.ofSeconds(20);
    LockHandle h =
        client.acquire(
            key,
            LockOptions.lease(lease).withoutRenewal().withLossListener(l -> told.set(l.reason())),
            Duration.ZERO);
    Duration valid = h.remaining(); // lease minus the safety margin, on the fake ticker

    time.advance(valid.minusNanos(1));
    assertThat(told.get()).as("not before the lease runs out").isNull();
    assertThat(h.isValid()).isTrue();

    assertThat(time.advance(Duration.ofNanos(1))).as("the expiry notice").isOne();
    assertThat(told.get()).isEqualTo(LossReason.EXPIRED);
    assertThat(h.isValid()).isFalse();
    assertThat(time.pending()).isZero();
    expectLost(h, LossReason.EXPIRED);
    // not released: the backend's own expiry (real TTL on Redis, the fake clock on local files)
    // differs by backend, and other tests check release outcomes
  }

  @Test
  void theSharedWatchdogRenewsWhenNoSchedulerIsGiven() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LockClient client = client(registry);
    LockKey key = newKey();
    // Real time, so the bound is generous: 3 s renewed after 1 s; the renewal would have to be
    // 2 s late (the client's read timeout) to lose the lock. Fake-time tests check the rest.
    LockHandle h = client.acquire(key, Duration.ofSeconds(3), Duration.ZERO);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> renewals(registry, "ok") >= 1);
    assertThat(h.loss()).isEmpty();
    assertThat(client.owner(key).orElseThrow().tokenDigest()).isEqualTo(h.tokenDigest());
    assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
  }

  @Test
  void refusedRenewalMarksTheHandleLostAndTellsTheListener() throws Exception {
    LockClient holderClient = client();
    LockKey key = newKey();
    CountDownLatch told = new CountDownLatch(1);
    AtomicReference<LockLostException> loss = new AtomicReference<>();
    LockHandle h =
        holderClient.acquire(
            key,
            LockOptions.lease(SHORT_LEASE)
                .withLossListener(
                    l -> {
                      loss.set(l);
                      told.countDown();
                    }),
            Duration.ZERO);
    // Another process's operator: this client's handles are unknown to it, so the holder can only
    // learn through its own renewal being refused.
    assertThat(client().admin().forceUnlock(key, "contract test")).isPresent();
    assertThat(told.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(loss.get().reason()).isEqualTo(LossReason.FORCED);
    assertThat(loss.get().getMessage()).contains(key.toString()).contains("FORCED");
    assertThat(h.isValid()).isFalse();
    assertThatThrownBy(h::ensureValid).isInstanceOf(LockLostException.class);
    assertThat(h.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    logs.expect(Level.WARN, "forced " + key(key) + " reason='contract test'").times(1);
    expectLost(h, LossReason.FORCED);
    expectRelease(h, ReleaseOutcome.NOT_OWNER);
  }

  @Test
  void compareAndForceEvictsExactlyTheHolderSeenAndRefusesAnother() {
    LockClient operator = client();
    LockKey key = newKey();
    LockHandle first = client().acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    String seen = operator.owner(key).orElseThrow().tokenDigest();
    assertThat(seen).isEqualTo(first.tokenDigest());

    // the holder the operator saw releases; another takes the lock before the operator confirms
    assertThat(first.release()).isEqualTo(ReleaseOutcome.RELEASED);
    LockHandle second = clientWithoutTimers().acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    assertThatThrownBy(() -> operator.admin().forceUnlock(key, seen, "stuck build"))
        .isInstanceOf(LockHolderChangedException.class)
        .hasMessageContaining("expected token " + seen)
        .hasMessageContaining("token " + second.tokenDigest())
        .hasMessageContaining("nothing was forced")
        .satisfies(
            e ->
                assertThat(((LockHolderChangedException) e).holder().tokenDigest())
                    .isEqualTo(second.tokenDigest()));
    assertThat(second.isValid()).as("the new holder keeps its lock").isTrue();
    assertThat(operator.admin().audit(key.runId(), 10)).isEmpty();

    // confirmed against the holder now: exactly that one is evicted
    assertThat(operator.admin().forceUnlock(key, second.tokenDigest(), "stuck build"))
        .hasValueSatisfying(e -> assertThat(e.fence()).isEqualTo(second.fence()));
    assertThat(operator.isLocked(key)).isFalse();
    assertThat(operator.admin().forceUnlock(key, second.tokenDigest(), "again")).isEmpty();
    assertThatThrownBy(() -> operator.admin().forceUnlock(key, "NOT-HEX", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 lower-case hex digits");
    assertThat(second.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    logs.expect(Level.WARN, "forced " + key(key) + " reason='stuck build'").times(1);
    expectRelease(second, ReleaseOutcome.NOT_OWNER);
    expectLost(second, LossReason.FORCED); // learned by its release: its renewal never runs
  }

  @Test
  void forceUnlockEvictsTheHolderWhoseReleaseIsNotOwner() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LockClient holderClient = client(registry);
    LockClient operator = client();
    LockKey key = newKey();
    LockHandle h = holderClient.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    Optional<LockInfo> evicted = operator.admin().forceUnlock(key, "stuck build");
    assertThat(evicted).isPresent();
    assertThat(evicted.get().tokenDigest()).isEqualTo(h.tokenDigest());
    assertThat(evicted.get().fence()).isEqualTo(h.fence());
    assertThat(operator.isLocked(key)).isFalse();

    assertThat(h.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThat(h.loss()).map(LockLostException::reason).contains(LossReason.FORCED);
    assertThat(registry.get("nodb.lock.release").tag("outcome", "not_owner").counter().count())
        .isEqualTo(1.0);
    assertThat(operator.admin().forceUnlock(key, "again")).as("nothing left to force").isEmpty();
    assertThat(operator.tryAcquire(key)).as("re-lock works").isPresent();
    logs.expect(Level.WARN, "forced " + key(key) + " reason='stuck build'").times(1);
    expectLost(h, LossReason.FORCED);
    expectRelease(h, ReleaseOutcome.NOT_OWNER);
  }

  @Test
  void forceUnlockInTheSameClientTellsTheHolderAtOnce() {
    LockClient client = client();
    LockKey key = newKey();
    LockHandle h = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    client.admin().forceUnlock(key, "same process");
    assertThat(h.loss()).map(LockLostException::reason).contains(LossReason.FORCED);
    assertThat(h.isValid()).isFalse();
    logs.expect(Level.WARN, "forced " + key(key) + " reason='same process'").times(1);
    expectLost(h, LossReason.FORCED);
  }

  @Test
  void clearLocksClearsOnlyThatRunAndWakesItsWaiters() throws Exception {
    LockClient client = client();
    LockClient waiterClient = client();
    String run = newRunId();
    String otherRun = newRunId();
    LockKey climate = LockKey.of(run, "climate.nodb");
    LockKey landuse = LockKey.of(run, "landuse.nodb");
    LockKey other = LockKey.of(otherRun, "climate.nodb");
    LockHandle a = client.acquire(climate, Duration.ofSeconds(30), Duration.ZERO);
    LockHandle b = client.acquire(landuse, Duration.ofSeconds(30), Duration.ZERO);
    LockHandle c = client.acquire(other, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(client.admin().locks(run))
        .extracting(i -> i.key().name())
        .containsExactly("climate.nodb", "landuse.nodb");

    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              waiting.countDown();
              return waiterClient.acquire(climate, Duration.ofSeconds(30), Duration.ofSeconds(25));
            },
            TestThreads.PER_TASK);
    assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();

    List<LockInfo> cleared = client().admin().clearLocks(run, "run reset");
    assertThat(cleared)
        .extracting(i -> i.key().name())
        .containsExactlyInAnyOrder("climate.nodb", "landuse.nodb");
    LockHandle woken = waiter.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(woken.fence()).isGreaterThan(a.fence());

    assertThat(client.owner(other).orElseThrow().tokenDigest()).isEqualTo(c.tokenDigest());
    assertThat(c.isValid()).isTrue();
    assertThat(a.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThat(a.loss()).map(LockLostException::reason).contains(LossReason.CLEARED);
    assertThat(b.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThat(b.loss()).map(LockLostException::reason).contains(LossReason.CLEARED);
    assertThat(c.release()).isEqualTo(ReleaseOutcome.RELEASED);
    assertThat(woken.release()).isEqualTo(ReleaseOutcome.RELEASED);
    logs.expect(Level.WARN, "cleared run=" + run + " count=2 reason='run reset'").times(1);
    expectLost(a, LossReason.CLEARED);
    expectLost(b, LossReason.CLEARED);
    expectRelease(a, ReleaseOutcome.NOT_OWNER);
    expectRelease(b, ReleaseOutcome.NOT_OWNER);
  }

  private static java.util.Set<String> scanAll(LockClient client) {
    java.util.Set<String> found = new java.util.HashSet<>();
    String cursor = io.nodb.lock.RunScan.START;
    while (true) {
      io.nodb.lock.RunScan step = client.admin().scanRuns(cursor, 500);
      found.addAll(step.runIds());
      if (step.done()) {
        return found;
      }
      cursor = step.cursor();
    }
  }

  @Test
  void aNamespaceThatIsNotARunLocksListsForcesAndClearsApartFromTheRunOfItsId() {
    LockClient client = client();
    String id = newRunId();
    LockNamespace app = LockNamespace.of("app", id);
    LockKey invoice = LockKey.of(app, "invoice");
    LockKey ledger = LockKey.of(app, "ledger");
    LockKey runOfTheSameId = LockKey.of(id, "invoice");
    LockHandle a = client.acquire(invoice, Duration.ofSeconds(30), Duration.ZERO);
    LockHandle b = client.acquire(ledger, Duration.ofSeconds(30), Duration.ZERO);
    LockHandle r = client.acquire(runOfTheSameId, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(client.tryAcquire(invoice, LockOptions.lease(Duration.ofSeconds(30))))
        .as("held")
        .isEmpty();
    assertThat(b.fence()).as("one fence counter per namespace").isGreaterThan(a.fence());
    assertThat(client.admin().locks(app))
        .extracting(LockInfo::key)
        .containsExactly(invoice, ledger);
    assertThat(client.admin().locks(id)).extracting(LockInfo::key).containsExactly(runOfTheSameId);
    assertThat(scanAll(client)).as("a fleet listing finds both").contains(app.tag(), id);

    LockClient operator = client();
    assertThat(operator.admin().forceUnlock(invoice, "stuck invoice"))
        .map(LockInfo::tokenDigest)
        .contains(a.tokenDigest());
    assertThat(operator.admin().clearLocks(app, "app reset"))
        .extracting(LockInfo::key)
        .containsExactly(ledger);
    assertThat(operator.admin().audit(app, 10))
        .extracting(e -> e.previousOwner().key())
        .containsExactly(ledger, invoice);
    assertThat(operator.admin().audit(id, 10)).as("the run's trail is its own").isEmpty();
    assertThat(client.owner(runOfTheSameId).orElseThrow().tokenDigest()).isEqualTo(r.tokenDigest());
    assertThat(a.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThat(b.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThat(r.release()).isEqualTo(ReleaseOutcome.RELEASED);
    LockHandle again = client.acquire(invoice, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(again.fence()).isGreaterThan(b.fence());
    assertThat(again.release()).isEqualTo(ReleaseOutcome.RELEASED);
    assertThat(client.admin().locks(app)).isEmpty();
    logs.expect(Level.WARN, "forced run=app:" + id + " key=invoice reason='stuck invoice'")
        .times(1);
    logs.expect(Level.WARN, "cleared run=app:" + id + " count=1 reason='app reset'").times(1);
    expectRelease(a, ReleaseOutcome.NOT_OWNER);
    expectRelease(b, ReleaseOutcome.NOT_OWNER);
    expectLost(a, LossReason.FORCED);
    expectLost(b, LossReason.CLEARED);
  }

  @Test
  void fencesStrictlyIncreaseAcrossReleaseForceAndExpiry() {
    LockClient client = clientWithoutTimers();
    LockKey key = newKey();
    List<Long> fences = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      LockHandle h = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
      fences.add(h.fence());
      if (i % 3 == 0) {
        client().admin().forceUnlock(key, "fence test");
        expectLost(h, LossReason.FORCED);
        expectRelease(h, ReleaseOutcome.NOT_OWNER);
      }
      h.release();
    }
    logs.expect(
            Level.WARN, "forced run=" + key.runId() + " key=" + key.name() + " reason='fence test'")
        .times(10);
    LockHandle expiring =
        client.acquire(key, LockOptions.lease(SHORT_LEASE).withoutRenewal(), Duration.ZERO);
    fences.add(expiring.fence());
    // the backend expires the key; the holder is never told (no expiry notice runs), so no WARN
    await().atMost(PROMPTLY).until(() -> !client.isLocked(key));
    fences.add(client.acquire(key, Duration.ofSeconds(30), Duration.ZERO).fence());
    for (int i = 1; i < fences.size(); i++) {
      assertThat(fences.get(i)).as("fence #%d", i).isGreaterThan(fences.get(i - 1));
    }
  }

  @Test
  void tryExtendAnswersTrueWhileHeldAndFalseOnceTheLockIsNotOurs() {
    LockClient client = client();
    LockKey key = newKey();
    LockHandle h =
        client.acquire(key, LockOptions.lease(SHORT_LEASE).withoutRenewal(), Duration.ZERO);
    assertThat(h.tryExtend(Duration.ofSeconds(30))).isTrue();
    assertThat(client.owner(key).orElseThrow().ttlLeft()).isGreaterThan(SHORT_LEASE);
    assertThat(h.isValid()).isTrue();

    client().admin().forceUnlock(key, "tryExtend test");
    assertThat(h.tryExtend(Duration.ofSeconds(30))).isFalse();
    assertThat(h.loss()).map(LockLostException::reason).contains(LossReason.FORCED);
    assertThat(h.isValid()).isFalse();
    assertThatThrownBy(() -> h.tryExtend(Duration.ofMillis(9)))
        .isInstanceOf(IllegalArgumentException.class);

    LockHandle next = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(next.release()).isEqualTo(ReleaseOutcome.RELEASED);
    assertThat(next.tryExtend(Duration.ofSeconds(30))).as("released").isFalse();
    assertThat(client.isLocked(key)).isFalse();
    logs.expect(Level.WARN, "forced " + key(key) + " reason='tryExtend test'")
        .from(LOCK_LOG)
        .times(1);
    // no "lost" WARN: tryExtend learns the loss as its answer and logs it at DEBUG only
  }

  @Test
  void renewNowGivesAWholeFreshLeaseAndThrowsOnceTheLockIsNotOurs() {
    FakeTime time = FakeTime.create();
    LockClient client = client(time, new SimpleMeterRegistry());
    LockKey key = newKey();
    Duration lease = Duration.ofSeconds(20);
    LockHandle h = client.acquire(key, LockOptions.lease(lease).withoutRenewal(), Duration.ZERO);
    Duration valid = h.remaining();
    time.advance(Duration.ofSeconds(15));
    assertThat(h.remaining()).isEqualTo(valid.minusSeconds(15));

    h.renewNow();
    assertThat(h.remaining()).as("the current lease, from now").isEqualTo(valid);
    time.advance(Duration.ofSeconds(15));
    assertThat(h.isValid()).as("past the first lease's end").isTrue();

    LockClient operator = client(time, new SimpleMeterRegistry()); // its clock is the fake one
    assertThat(operator.admin().forceUnlock(key, "renewNow test")).isPresent();
    assertThatThrownBy(h::renewNow)
        .isInstanceOfSatisfying(
            LockLostException.class, e -> assertThat(e.reason()).isEqualTo(LossReason.FORCED));
    assertThat(h.isValid()).isFalse();
    assertThat(h.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThatThrownBy(h::renewNow).isInstanceOf(IllegalStateException.class);
    assertThat(client.isLocked(key)).as("never revived").isFalse();
    logs.expect(Level.WARN, "forced " + key(key) + " reason='renewNow test'")
        .from(LOCK_LOG)
        .times(1);
    expectLost(h, LossReason.FORCED);
    expectRelease(h, ReleaseOutcome.NOT_OWNER);
  }

  @Test
  void tryExtendAfterExpiryIsFalseAndDoesNotRevive() {
    LockClient client = clientWithoutTimers();
    LockKey key = newKey();
    LockHandle h =
        client.acquire(key, LockOptions.lease(SHORT_LEASE).withoutRenewal(), Duration.ZERO);
    await().atMost(PROMPTLY).until(() -> !client.isLocked(key));
    assertThat(h.tryExtend(Duration.ofSeconds(30))).isFalse();
    assertThat(client.isLocked(key)).isFalse();
    assertThat(h.loss()).map(LockLostException::reason).contains(LossReason.EXPIRED);
    // no WARN: the expiry notice never runs, so tryExtend meets the expired key and records the
    // loss quietly (at DEBUG), as its answer
  }

  @Test
  void releaseHoldingForKeepsTheKeyUntilTheDeadlineThenHandsItToAWaiter() throws Exception {
    LockClient holderClient = client();
    LockClient waiterClient = client();
    LockKey key = newKey();
    Duration hold = Duration.ofMillis(700);
    long beforeAcquire = System.nanoTime();
    LockHandle held = holderClient.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(held.releaseHoldingFor(hold)).isEqualTo(ReleaseOutcome.RELEASED);
    assertThat(held.isValid()).as("the handle is done").isFalse();
    assertThat(held.release()).as("idempotent").isEqualTo(ReleaseOutcome.RELEASED);
    // still held by the finished acquisition, with at most the hold left (renewal stopped)
    LockInfo owner = holderClient.owner(key).orElseThrow();
    assertThat(owner.tokenDigest()).isEqualTo(held.tokenDigest());
    assertThat(owner.ttlLeft()).isLessThanOrEqualTo(hold);
    assertThat(waiterClient.tryAcquire(key)).isEmpty();

    LockHandle got = waiterClient.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(20));
    Duration sinceAcquire = Duration.ofNanos(System.nanoTime() - beforeAcquire);
    assertThat(sinceAcquire).as("not before the hold ended").isGreaterThanOrEqualTo(hold);
    assertThat(sinceAcquire).as("at the hold's end, not the 30 s lease").isLessThan(PROMPTLY);
    assertThat(got.fence()).isGreaterThan(held.fence());
    assertThat(got.release()).isEqualTo(ReleaseOutcome.RELEASED);
  }

  @Test
  void releaseHoldingForAWaiterBlockedOnTheLongLeaseWakesAtTheHoldsEnd() throws Exception {
    LockClient holderClient = client();
    LockClient waiterClient = client();
    LockKey key = newKey();
    LockHandle held = holderClient.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              waiting.countDown();
              return waiterClient.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(25));
            });
    assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(waiter).isNotDone();
    long released = System.nanoTime();
    assertThat(held.releaseHoldingFor(Duration.ofMillis(50))).isEqualTo(ReleaseOutcome.RELEASED);
    LockHandle got = waiter.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - released))
        .as("woken to re-read the TTL, not left waiting for the 30 s lease")
        .isLessThan(PROMPTLY);
    assertThat(got.release()).isEqualTo(ReleaseOutcome.RELEASED);
  }

  @Test
  void releaseHoldingForAPassedDeadlineReleasesAtOnce() {
    LockClient client = client();
    LockKey key = newKey();
    LockHandle held = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(held.releaseHoldingFor(Duration.ZERO)).isEqualTo(ReleaseOutcome.RELEASED);
    assertThat(client.isLocked(key)).isFalse();
    assertThatThrownBy(() -> held.releaseHoldingFor(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Issue 15: leases and holds out of bounds are refused before anything is taken or changed (a
   * 300-year lease once threw after the lock was taken, and a huge extend wrapped an expiry into
   * the past, letting a second holder in).
   */
  @Test
  void durationsOutOfBoundsAreRefusedBeforeAnythingIsTakenOrChanged() {
    LockClient client = client();
    LockClient other = client();
    LockKey key = newKey();
    Duration centuries = Duration.ofDays(300L * 365);
    assertThatThrownBy(() -> client.acquire(key, centuries, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("24 h");
    assertThatThrownBy(() -> client.acquire(key, Duration.ofSeconds(30), Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(client.isLocked(key)).as("nothing taken").isFalse();

    LockHandle h = client.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(Long.MAX_VALUE));
    for (Duration bad :
        List.of(
            Duration.ZERO, Duration.ofMillis(-5), centuries, Duration.ofMillis(Long.MAX_VALUE))) {
      assertThatThrownBy(() -> h.extend(bad))
          .as("extend %s", bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> h.tryExtend(bad))
          .as("tryExtend %s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> h.releaseHoldingFor(centuries))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.releaseHoldingFor(LockOptions.MAX_HOLD.plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(h.isValid()).as("the holder keeps the lock").isTrue();
    assertThat(other.tryAcquire(key)).as("and nobody else gets it").isEmpty();
    assertThat(other.owner(key).orElseThrow().ttlLeft())
        .isLessThanOrEqualTo(Duration.ofSeconds(30));

    h.extend(LockOptions.MAX_LEASE);
    assertThat(other.owner(key).orElseThrow().ttlLeft()).isGreaterThan(Duration.ofHours(23));
    assertThat(other.tryAcquire(key)).isEmpty();
    assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
    assertThat(other.tryAcquire(key)).isPresent();
  }

  @Test
  void releaseHoldingForByAnEvictedHolderIsNotOwnerAndKeepsTheNewHolder() {
    LockClient client = client();
    LockKey key = newKey();
    LockHandle evicted = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    client().admin().forceUnlock(key, "hold test");
    LockHandle newer = client().acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(evicted.releaseHoldingFor(Duration.ofSeconds(5)))
        .isEqualTo(ReleaseOutcome.NOT_OWNER);
    LockInfo owner = client.owner(key).orElseThrow();
    assertThat(owner.tokenDigest()).isEqualTo(newer.tokenDigest());
    assertThat(owner.ttlLeft()).isGreaterThan(Duration.ofSeconds(5));
    assertThat(newer.release()).isEqualTo(ReleaseOutcome.RELEASED);
    logs.expect(Level.WARN, "forced " + key(key) + " reason='hold test'").from(LOCK_LOG).times(1);
    expectLost(evicted, LossReason.FORCED);
    expectRelease(evicted, ReleaseOutcome.NOT_OWNER);
  }

  @Test
  void releaseIsIdempotentAndCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LockClient client = client(registry);
    LockHandle h = client.acquire(newKey(), Duration.ofSeconds(30), Duration.ZERO);
    assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
    assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
    h.close();
    assertThat(registry.get("nodb.lock.release").tag("outcome", "released").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get("nodb.lock.acquire.wait").tag("outcome", "acquired").timer().count())
        .isEqualTo(1);
    assertThatThrownBy(h::ensureValid).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void locksListsOwnersOfOneRunOnly() {
    LockClient client = client();
    String run = newRunId();
    try (LockHandle a =
            client.acquire(
                LockKey.of(run, "watershed.nodb"), Duration.ofSeconds(30), Duration.ZERO);
        LockHandle b =
            client.acquire(
                LockKey.of(run, "sub/climate.nodb"), Duration.ofSeconds(30), Duration.ZERO);
        LockHandle other =
            client.acquire(
                LockKey.of(newRunId(), "watershed.nodb"), Duration.ofSeconds(30), Duration.ZERO)) {
      List<LockInfo> locks = client.admin().locks(run);
      assertThat(locks)
          .extracting(i -> i.key().name())
          .containsExactly("sub/climate.nodb", "watershed.nodb");
      assertThat(locks)
          .extracting(LockInfo::tokenDigest)
          .containsExactly(b.tokenDigest(), a.tokenDigest());
      assertThat(locks.get(0).thread()).isEqualTo(Thread.currentThread().getName());
      assertThat(other.isValid()).isTrue();
    }
    assertThat(client.admin().locks(run)).isEmpty();
    assertThat(client.admin().locks(newRunId())).as("a run that never locked anything").isEmpty();
  }

  @Test
  void auditTrailRecordsForcedUnlocksAndClearsNewestFirst() {
    LockClient client = client();
    LockClient operator = client();
    String run = newRunId();
    LockKey climate = LockKey.of(run, "climate.nodb");
    LockKey landuse = LockKey.of(run, "landuse.nodb");
    LockHandle a = client.acquire(climate, Duration.ofSeconds(30), Duration.ZERO);
    operator.admin().forceUnlock(climate, "stuck for an hour");
    LockHandle b = client.acquire(landuse, Duration.ofSeconds(30), Duration.ZERO);
    operator.admin().clearLocks(run, "reset the run");
    operator.admin().forceUnlock(climate, "nothing held: not audited");

    List<AuditEntry> trail = operator.admin().audit(run, 10);
    assertThat(trail).extracting(AuditEntry::operation).containsExactly("clear", "force");
    AuditEntry clear = trail.get(0);
    assertThat(clear.key()).isEqualTo(landuse);
    assertThat(clear.reason()).isEqualTo("reset the run");
    assertThat(clear.previousOwner().tokenDigest()).isEqualTo(b.tokenDigest());
    assertThat(clear.previousOwner().fence()).isEqualTo(b.fence());
    AuditEntry force = trail.get(1);
    assertThat(force.key()).isEqualTo(climate);
    assertThat(force.reason()).isEqualTo("stuck for an hour");
    assertThat(force.actor()).contains(":" + ProcessHandle.current().pid());
    assertThat(force.previousOwner().tokenDigest()).isEqualTo(a.tokenDigest());
    assertThat(force.previousOwner().pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(force.at()).isBeforeOrEqualTo(clear.at());
    assertThat(operator.admin().audit(run, 1)).hasSize(1);
    assertThat(operator.admin().audit(newRunId(), 10)).isEmpty();
    logs.expect(Level.WARN, "forced run=" + run + " key=climate.nodb reason='stuck for an hour'")
        .times(1);
    logs.expect(Level.WARN, "cleared run=" + run + " count=1 reason='reset the run'").times(1);
  }

  @Test
  void anInterruptedThreadCanStillReleaseAndKeepsItsInterruptFlag() {
    LockClient client = client();
    LockKey key = newKey();
    LockHandle h = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
    Thread.currentThread().interrupt();
    try {
      assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(client.isLocked(key)).isFalse();
  }

  @Test
  void pingAnswers() {
    assertThat(client().ping()).isPositive();
  }
}
