package io.nodb.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nodb.InvalidLockNamespaceException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.testing.time.FakeTime;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * The ShedLock provider contract, in the style of ShedLock's own provider tests ({@code
 * AbstractLockProviderIntegrationTest}, {@code AbstractExtensibleLockProviderIntegrationTest}): a
 * second lock is refused, names are independent, lockAtLeastFor holds the lock after unlock,
 * extension works while held and not after expiry, and a fuzz test with an unsynchronized counter
 * sees no lost update. A subclass per backend supplies the lock client builder. No fixed sleeps:
 * expiry is waited for with bounded polls.
 */
abstract class NodbLockProviderContract {

  /** A lease short enough to expire within a test, long enough to survive a GC pause. */
  private static final Duration SHORT = Duration.ofMillis(300);

  private static final Duration LONG = Duration.ofSeconds(30);

  /** The log events of each test: the WARN logs it causes are asserted, not printed. */
  @RegisterExtension final LogCapture logs = new LogCapture();

  private final List<LockClient> clients = new ArrayList<>();
  private NodbLockProvider provider;
  private NodbLockProvider otherProcess;
  private String namespace;

  /** Returns a builder wired to the backend under test. */
  protected abstract LockClientBuilder builder();

  @BeforeEach
  void open() {
    namespace = "t" + UUID.randomUUID().toString().substring(0, 12);
    provider = NodbLockProvider.create(client(), namespace);
    otherProcess = NodbLockProvider.create(client(), namespace);
  }

  @AfterEach
  void close() {
    clients.forEach(LockClient::close);
  }

  private LockClient client() {
    LockClient c = builder().build();
    clients.add(c);
    return c;
  }

  /**
   * Returns a provider of this namespace whose client never runs expiry notices (its scheduler is a
   * {@link FakeTime} nobody advances): only the calls a test makes learn of a loss.
   */
  private NodbLockProvider withoutTimers() {
    LockClient c = builder().scheduler(FakeTime.create()).build();
    clients.add(c);
    return NodbLockProvider.create(c, namespace);
  }

  private static LockConfiguration config(String name, Duration atMost, Duration atLeast) {
    return new LockConfiguration(Instant.now(), name, atMost, atLeast);
  }

  private static LockConfiguration config(String name) {
    return config(name, LONG, Duration.ZERO);
  }

  /** How the library's lock log begins the WARN that the holder of {@code name} lost it. */
  private String lost(String name) {
    LockKey key = provider.keyOf(name);
    return "lost run=" + key.namespace().tag() + " key=" + key.name() + " token=";
  }

  private boolean isLocked(String name) {
    return clients.get(0).isLocked(provider.keyOf(name));
  }

  @Test
  void shouldCreateLockAndUnlockIt() {
    SimpleLock lock = provider.lock(config("job")).orElseThrow();
    assertThat(isLocked("job")).isTrue();
    lock.unlock();
    assertThat(isLocked("job")).isFalse();
  }

  @Test
  void locksLiveInTheirOwnShedlockNamespaceNotInARun() {
    SimpleLock lock = provider.lock(config("report.daily")).orElseThrow();
    LockNamespace ns = LockNamespace.of(NodbLockProvider.NAMESPACE_KIND, namespace);
    assertThat(provider.namespace()).isEqualTo(ns);
    assertThat(provider.keyOf("report.daily")).isEqualTo(LockKey.of(ns, "sl-report_2Edaily"));
    List<LockInfo> held = clients.get(0).admin().locks(ns);
    List<LockInfo> inOldRun = clients.get(0).admin().locks("shedlock-" + namespace);
    lock.unlock();
    assertThat(held).extracting(i -> i.key().name()).containsExactly("sl-report_2Edaily");
    assertThat(inOldRun).isEmpty();
    assertThat(provider.toString()).contains("shedlock:" + namespace);
  }

  @Test
  void aBadNamespaceIsATypedErrorNamingTheKind() {
    for (String bad : new String[] {"", "a:b", "a{b}", "..x", "x".repeat(129)}) {
      assertThatThrownBy(() -> NodbLockProvider.create(clients.get(0), bad))
          .as(bad)
          .isExactlyInstanceOf(InvalidLockNamespaceException.class)
          .hasMessageContaining("invalid shedlock id");
    }
    assertThat(NodbLockProvider.create(clients.get(0), "x".repeat(128)).namespace().id())
        .hasSize(128);
  }

  @Test
  void shouldNotReturnSecondLock() {
    SimpleLock lock = provider.lock(config("job")).orElseThrow();
    assertThat(provider.lock(config("job"))).as("same process").isEmpty();
    assertThat(otherProcess.lock(config("job"))).as("another instance").isEmpty();
    lock.unlock();
    assertThat(otherProcess.lock(config("job"))).isPresent();
  }

  @Test
  void shouldCreateTwoIndependentLocks() {
    SimpleLock a = provider.lock(config("job-a")).orElseThrow();
    SimpleLock b = provider.lock(config("job-b")).orElseThrow();
    a.unlock();
    assertThat(isLocked("job-a")).isFalse();
    assertThat(isLocked("job-b")).isTrue();
    b.unlock();
  }

  @Test
  void namesThatDifferOnlyInPunctuationOrCaseAreIndependent() {
    List<String> names =
        List.of("a.b", "a_b", "a/b", "a-b", "A-b", "a_2Eb", "sl-a.b", "ä b", "a b", " ");
    List<SimpleLock> held = new ArrayList<>();
    for (String n : names) {
      held.add(provider.lock(config(n)).orElseThrow(() -> new AssertionError("refused " + n)));
    }
    for (String n : names) {
      assertThat(otherProcess.lock(config(n))).as(n).isEmpty();
    }
    held.forEach(SimpleLock::unlock);
  }

  @Test
  void shouldLockTwiceInARow() {
    provider.lock(config("job")).orElseThrow().unlock();
    provider.lock(config("job")).orElseThrow().unlock();
  }

  @Test
  void shouldTimeOutAfterLockAtMostForWithoutRenewal() {
    provider.lock(config("job", SHORT, Duration.ZERO)).orElseThrow();
    assertThat(otherProcess.lock(config("job"))).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> !isLocked("job"));
    assertThat(otherProcess.lock(config("job"))).isPresent();
    // the holder's expiry timer tells it (awaited here, before the clients close)
    logs.expect(Level.WARN, lost("job")).from("io.nodb.lock").times(1).await();
  }

  @Test
  void shouldLockAtLeastFor() {
    Duration atLeast = Duration.ofMillis(500);
    long start = System.nanoTime();
    SimpleLock lock = provider.lock(config("job", LONG, atLeast)).orElseThrow();
    lock.unlock();
    assertThat(otherProcess.lock(config("job"))).as("within lockAtLeastFor").isEmpty();
    LockInfo holder = clients.get(1).owner(provider.keyOf("job")).orElseThrow();
    assertThat(holder.ttlLeft()).isLessThanOrEqualTo(atLeast);
    Optional<SimpleLock> next =
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> otherProcess.lock(config("job")), Optional::isPresent);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(atLeast);
    next.orElseThrow().unlock();
  }

  @Test
  void unlockAfterLockAtLeastForHasPassedFreesAtOnce() {
    SimpleLock lock = provider.lock(config("job", LONG, Duration.ofMillis(20))).orElseThrow();
    await().pollDelay(Duration.ofMillis(30)).atMost(Duration.ofSeconds(5)).until(() -> true);
    lock.unlock();
    assertThat(otherProcess.lock(config("job"))).isPresent();
  }

  @Test
  void shouldBeAbleToExtendLock() {
    SimpleLock lock = provider.lock(config("job", SHORT, Duration.ZERO)).orElseThrow();
    SimpleLock extended = lock.extend(LONG, Duration.ZERO).orElseThrow();
    assertThat(clients.get(0).owner(provider.keyOf("job")).orElseThrow().ttlLeft())
        .isGreaterThan(SHORT);
    assertThat(otherProcess.lock(config("job"))).isEmpty();
    assertThatThrownBy(lock::unlock)
        .as("the old lock is spent")
        .isInstanceOf(IllegalStateException.class);
    extended.unlock();
    assertThat(otherProcess.lock(config("job"))).isPresent();
  }

  @Test
  void anExtendedLockKeepsItsNewLockAtLeastFor() {
    SimpleLock lock = provider.lock(config("job", LONG, Duration.ZERO)).orElseThrow();
    long extendedAt = System.nanoTime();
    SimpleLock extended = lock.extend(LONG, Duration.ofMillis(400)).orElseThrow();
    extended.unlock();
    assertThat(otherProcess.lock(config("job"))).isEmpty();
    Optional<SimpleLock> next =
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> otherProcess.lock(config("job")), Optional::isPresent);
    assertThat(Duration.ofNanos(System.nanoTime() - extendedAt))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    next.orElseThrow().unlock();
  }

  @Test
  void shouldNotBeAbleToExtendExpiredLock() {
    SimpleLock lock = withoutTimers().lock(config("job", SHORT, Duration.ZERO)).orElseThrow();
    await().atMost(Duration.ofSeconds(5)).until(() -> !isLocked("job"));
    assertThat(lock.extend(LONG, Duration.ZERO)).isEmpty();
    assertThat(isLocked("job")).isFalse();
    // no WARN: no expiry notice runs, so the extend (tryExtend) meets the expired key and records
    // the loss quietly, as its answer
  }

  @Test
  void shouldNotBeAbleToExtendALockTakenOverByAnother() {
    SimpleLock lock = withoutTimers().lock(config("job", SHORT, Duration.ZERO)).orElseThrow();
    await().atMost(Duration.ofSeconds(5)).until(() -> !isLocked("job"));
    SimpleLock other = otherProcess.lock(config("job")).orElseThrow();
    assertThat(lock.extend(LONG, Duration.ZERO)).isEmpty();
    other.unlock();
    // as above: only the refused extend learns the loss, quietly
  }

  @Test
  void extendAfterUnlockIsRefused() {
    SimpleLock lock = provider.lock(config("job")).orElseThrow();
    lock.unlock();
    assertThatThrownBy(() -> lock.extend(LONG, Duration.ZERO))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void leasesUnderTenMillisecondsOrOverADayAndOverlongNamesAreRefused() {
    assertThatThrownBy(() -> provider.lock(config("job", Duration.ofMillis(9), Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> provider.lock(config("job", Duration.ofHours(25), Duration.ZERO)))
        .as("over 24 h, refused before anything is locked")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("24 h");
    provider.lock(config("job", Duration.ofSeconds(30), Duration.ZERO)).orElseThrow().unlock();
    assertThatThrownBy(() -> provider.lock(config("x".repeat(253))))
        .isInstanceOf(IllegalArgumentException.class);
    provider.lock(config("x".repeat(252))).orElseThrow().unlock();
  }

  @Test
  void fuzzTestWithAnUnsynchronizedCounterLosesNoUpdate() throws Exception {
    int threads = 8;
    int rounds = 40;
    NodbLockProvider[] perThread = new NodbLockProvider[threads];
    for (int t = 0; t < threads; t++) {
      perThread[t] = t % 2 == 0 ? provider : otherProcess;
    }
    int[] counter = {0}; // deliberately unsynchronized: the lock is the only guard
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger acquired = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        NodbLockProvider p = perThread[t];
        done.add(
            pool.submit(
                () -> {
                  gate.await();
                  int mine = 0;
                  while (mine < rounds) {
                    Optional<SimpleLock> lock = p.lock(config("fuzz", LONG, Duration.ZERO));
                    if (lock.isEmpty()) {
                      Thread.onSpinWait();
                      continue;
                    }
                    assertThat(inside.incrementAndGet()).isEqualTo(1);
                    int seen = counter[0];
                    Thread.yield();
                    counter[0] = seen + 1;
                    inside.decrementAndGet();
                    lock.get().unlock();
                    acquired.incrementAndGet();
                    mine++;
                  }
                  return null;
                }));
      }
      gate.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(acquired).hasValue(threads * rounds);
    assertThat(counter[0]).isEqualTo(threads * rounds);
  }
}
