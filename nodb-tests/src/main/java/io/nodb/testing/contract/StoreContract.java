package io.nodb.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.InvalidRunIdException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockLostException;
import io.nodb.store.LockedScope;
import io.nodb.store.NoDbCorruptFileException;
import io.nodb.store.NoDbFencedWriteException;
import io.nodb.store.NoDbNotFoundException;
import io.nodb.store.NoDbReadOnlyException;
import io.nodb.store.NoDbStaleWriteException;
import io.nodb.store.NoDbStore;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.controllers.CounterState;
import io.nodb.testpolicy.logging.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.Level;

/**
 * The store contract: identity and freshness of instances, locked() semantics, fenced crash-safe
 * dumps and bad input, written once and run per lock backend. A subclass supplies a lock client for
 * a runs root; every store here is built on it.
 *
 * <p>Not thread-safe itself; JUnit creates one instance per test.
 */
public abstract class StoreContract {

  /** The log events of each test: the WARN/ERROR logs it expects are asserted, not printed. */
  @RegisterExtension protected final LogCapture logs = new LogCapture();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The runs root of this test. */
  @TempDir protected Path runsRoot;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** Returns a new lock client for the backend under test, for runs under {@code runsRoot}. */
  protected abstract LockClient newLockClient(Path runsRoot);

  /** Returns a run id no other test uses. */
  protected abstract String newRunId();

  /** Builds a store on a new lock client; both are closed after the test. */
  protected NoDbStore store() {
    LockClient client = newLockClient(runsRoot);
    NoDbStore store =
        NoDbStore.builder().lockClient(client).lockWait(Duration.ofSeconds(30)).build();
    closeables.add(store);
    closeables.add(client);
    return store;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  protected Path newRun(NoDbStore store) {
    Path run = runsRoot.resolve(newRunId());
    store.create(Counter.class, run, s -> s.label = "fresh");
    return run;
  }

  @Test
  void createdControllerIsOneInstanceWithAVersionedEnvelope() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    assertThat(store.getInstance(Counter.class, run.resolve("..").resolve(run.getFileName())))
        .isSameAs(c);
    assertThat(c.version()).isEqualTo(1);
    assertThat(c.increment()).isEqualTo(1);
    assertThat(c.version()).isEqualTo(2);

    JsonNode file = JSON.readTree(run.resolve("counter.nodb").toFile());
    assertThat(file.at("/nodb/format").asInt()).isEqualTo(1);
    assertThat(file.at("/nodb/type").asText()).isEqualTo("counter");
    assertThat(file.at("/nodb/version").asLong()).isEqualTo(2);
    assertThat(file.at("/nodb/fence").asLong()).isPositive();
    assertThat(file.at("/nodb/writer").asText()).contains(":" + ProcessHandle.current().pid());
    assertThat(file.at("/nodb/writtenAt").asText()).isNotEmpty();
    assertThat(file.at("/state/count").asLong()).isEqualTo(1);
  }

  @Test
  void thirtyTwoThreadsRacingGetTheSameInstanceAndTheFileIsParsedOnce() throws Exception {
    Path run = newRun(store());
    NoDbStore store = store();
    int threads = 32;
    CountDownLatch gate = new CountDownLatch(1);
    Set<Counter> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        fs.add(
            pool.submit(
                () -> {
                  gate.await();
                  seen.add(store.getInstance(Counter.class, run));
                  return null;
                }));
      }
      gate.countDown();
      for (Future<?> f : fs) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).hasSize(1);
    assertThat(store.diskHydrations()).isEqualTo(1);
  }

  @Test
  void anExternalDumpIsSeenInPlaceWithTheSameIdentity() {
    NoDbStore mine = store();
    NoDbStore otherProcess = store();
    Path run = newRun(mine);
    Counter c = mine.getInstance(Counter.class, run);
    long before = c.count();

    otherProcess.getInstance(Counter.class, run).increment();

    Counter again = mine.getInstance(Counter.class, run);
    assertThat(again).isSameAs(c);
    assertThat(again.count()).isEqualTo(before + 1);
    assertThat(c.version()).isEqualTo(2);
  }

  @Test
  void lockedRefreshesFromANewerVersionBeforeTheBodyRuns() {
    NoDbStore mine = store();
    NoDbStore other = store();
    Path run = newRun(mine);
    Counter c = mine.getInstance(Counter.class, run);
    other.getInstance(Counter.class, run).increment();
    other.getInstance(Counter.class, run).increment();
    assertThat(c.increment())
        .as("no lost update: the body saw the other store's count")
        .isEqualTo(3);
  }

  @Test
  void ignoreLockReturnsADetachedFreshCopyThatIsNeverCached() {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter shared = store.getInstance(Counter.class, run);
    long parses = store.diskHydrations();
    Counter a = store.ignoreLock(Counter.class, run);
    Counter b = store.ignoreLock(Counter.class, run);
    assertThat(a).isNotSameAs(shared).isNotSameAs(b);
    assertThat(a.isDetached()).isTrue();
    assertThat(store.diskHydrations()).isEqualTo(parses + 2);
    assertThat(store.getInstance(Counter.class, run)).isSameAs(shared);
  }

  @Test
  void everyInstanceAnswersTheStoreThatBoundIt() throws IOException {
    NoDbStore store = store();
    NoDbStore other = store();
    Path run = newRun(store);
    assertThat(store.getInstance(Counter.class, run).store()).isSameAs(store);
    assertThat(other.getInstance(Counter.class, run).store()).isSameAs(other);
    assertThat(store.ignoreLock(Counter.class, run).store()).as("detached").isSameAs(store);
    Path created = runsRoot.resolve(newRunId());
    assertThat(other.create(Counter.class, created, s -> {}).store()).isSameAs(other);
    Files.createFile(run.resolve(NoDbStore.READONLY_MARKER));
    assertThat(other.getInstance(Counter.class, run).store()).as("read-only").isSameAs(other);
  }

  @Test
  void readOnlyRunsAreNeverCachedAndRefuseLockedAndDumps() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter before = store.getInstance(Counter.class, run);
    Files.createFile(run.resolve(NoDbStore.READONLY_MARKER));
    byte[] bytes = Files.readAllBytes(run.resolve("counter.nodb"));

    Counter a = store.getInstance(Counter.class, run);
    Counter b = store.getInstance(Counter.class, run);
    assertThat(a).isNotSameAs(b).isNotSameAs(before);
    assertThat(a.isReadOnly()).isTrue();
    assertThatThrownBy(a::increment)
        .isInstanceOf(NoDbReadOnlyException.class)
        .hasMessageContaining("READONLY");
    assertThatThrownBy(a::lock).isInstanceOf(NoDbReadOnlyException.class);
    assertThat(Files.readAllBytes(run.resolve("counter.nodb"))).isEqualTo(bytes);

    Files.delete(run.resolve(NoDbStore.READONLY_MARKER));
    Counter writable = store.getInstance(Counter.class, run);
    assertThat(writable.isReadOnly()).isFalse();
    assertThat(store.getInstance(Counter.class, run)).isSameAs(writable);
  }

  @Test
  void aThrowingBodyDumpsNothingAndLeavesTheSharedInstanceUnchanged() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    CounterState published = c.state();
    byte[] bytes = Files.readAllBytes(run.resolve("counter.nodb"));
    IllegalStateException failure = new IllegalStateException("model crashed half way");

    assertThatThrownBy(
            () ->
                c.locked(
                    s -> {
                      s.count = 999;
                      s.label = "half-applied";
                      throw failure;
                    }))
        .isSameAs(failure);

    assertThat(c.state()).isSameAs(published);
    assertThat(c.count()).isZero();
    assertThat(c.state().label).isEqualTo("fresh");
    assertThat(c.version()).isEqualTo(1);
    assertThat(Files.readAllBytes(run.resolve("counter.nodb"))).isEqualTo(bytes);
    assertThat(store.locks(run).isLocked(c.lockKey())).as("the lock was released").isFalse();
  }

  @Test
  void otherThreadsNeverSeeAHalfAppliedMutation() throws Exception {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    CountDownLatch inBody = new CountDownLatch(1);
    CountDownLatch observed = new CountDownLatch(1);
    Future<?> writer =
        Executors.newSingleThreadExecutor()
            .submit(
                () ->
                    c.locked(
                        s -> {
                          s.count = 41;
                          inBody.countDown();
                          await(observed);
                          s.count = 42;
                        }));
    assertThat(inBody.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(c.count()).as("mid-body, readers see the old version").isZero();
    observed.countDown();
    writer.get(10, TimeUnit.SECONDS);
    assertThat(c.count()).isEqualTo(42);
  }

  @Test
  void nestedLockedOnTheSameThreadJoinsTheOuterScopeWithOneDump() {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    c.locked(
        outer -> {
          outer.count = 10;
          c.locked(inner -> inner.label = "inner");
          assertThat(c.increment())
              .as("nested read-modify-write sees the outer working copy")
              .isEqualTo(11);
          assertThat(c.version()).as("nothing dumped yet").isEqualTo(1);
        });
    assertThat(c.version()).isEqualTo(2);
    assertThat(c.count()).isEqualTo(11);
    assertThat(c.state().label).isEqualTo("inner");
  }

  @Test
  void aNestedLockedAfterTheOuterCommitIsRefused() {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    try (LockedScope<CounterState> scope = c.lock()) {
      scope.state().count = 1;
      scope.commit();
      assertThatThrownBy(c::increment)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already committed");
    }
    assertThat(c.count()).isEqualTo(1);
    assertThat(c.increment()).isEqualTo(2);
  }

  @Test
  void createNeverOverwritesAnExistingFile() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    store.getInstance(Counter.class, run).increment();
    byte[] before = Files.readAllBytes(run.resolve("counter.nodb"));
    assertThatThrownBy(() -> store().create(Counter.class, run, s -> s.label = "again"))
        .isInstanceOf(NoDbStaleWriteException.class)
        .hasMessageContaining("created by someone else");
    assertThat(Files.readAllBytes(run.resolve("counter.nodb"))).isEqualTo(before);
  }

  @Test
  void aReadOnlyMarkerStopsAnInstanceObtainedBeforeIt() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    Files.createFile(run.resolve(NoDbStore.READONLY_MARKER));
    assertThatThrownBy(c::increment).isInstanceOf(NoDbReadOnlyException.class);
    assertThat(c.count()).isZero();
  }

  @Test
  void scopeWithoutCommitDumpsNothing() throws Exception {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    try (LockedScope<CounterState> scope = c.lock()) {
      scope.state().count = 5;
      assertThat(scope.lock().isValid()).isTrue();
      throwChecked(false);
    }
    assertThat(c.count()).isZero();
    try (LockedScope<CounterState> scope = c.lock()) {
      scope.state().count = 5;
      scope.commit();
      assertThatThrownBy(scope::state).isInstanceOf(IllegalStateException.class);
    }
    assertThat(c.count()).isEqualTo(5);
    assertThat(c.version()).isEqualTo(2);
  }

  @Test
  void aHolderWhoseLockWasForcedCannotDumpAndTheFileKeepsTheNewHoldersData() throws IOException {
    NoDbStore first = store();
    NoDbStore second = store();
    Path run = newRun(first);
    Counter mine = first.getInstance(Counter.class, run);
    try (LockedScope<CounterState> scope = mine.lock()) {
      scope.state().label = "stale holder";
      assertThat(
              second.locks(run).admin().forceUnlock(mine.lockKey(), "test: evict a stuck holder"))
          .isPresent();
      second.getInstance(Counter.class, run).locked(s -> s.label = "new holder");

      assertThatThrownBy(scope::commit)
          .isInstanceOfAny(
              LockLostException.class,
              NoDbStaleWriteException.class,
              NoDbFencedWriteException.class);
    }
    assertThat(JSON.readTree(run.resolve("counter.nodb").toFile()).at("/state/label").asText())
        .isEqualTo("new holder");
    assertThat(first.getInstance(Counter.class, run).state().label).isEqualTo("new holder");
    expectForcedHolder(mine.lockKey(), "test: evict a stuck holder");
  }

  @Test
  void aForcedHolderWhoseSuccessorHasNotWrittenIsRejectedAsLost() {
    NoDbStore first = store();
    NoDbStore second = store();
    Path run = newRun(first);
    Counter mine = first.getInstance(Counter.class, run);
    try (LockedScope<CounterState> scope = mine.lock()) {
      scope.state().label = "stale holder";
      second.locks(run).admin().forceUnlock(mine.lockKey(), "test");
      LockHandle successor =
          second.locks(run).acquire(mine.lockKey(), Duration.ofSeconds(30), Duration.ZERO);
      assertThatThrownBy(scope::commit).isInstanceOf(LockLostException.class);
      successor.release();
    }
    assertThat(mine.state().label).isEqualTo("fresh");
    expectForcedHolder(mine.lockKey(), "test");
  }

  @Test
  void aStaleWriteIsRejectedEvenIfTheFenceCheckWouldPass() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    try (LockedScope<CounterState> scope = c.lock()) {
      scope.state().count = 7;
      // Someone rewrote the file behind the lock's back (an editor, a restore): version 9.
      rewriteHeader(run, 9, 0);
      assertThatThrownBy(scope::commit)
          .isInstanceOf(NoDbStaleWriteException.class)
          .hasMessageContaining("version 1")
          .hasMessageContaining("version 9");
    }
    assertThat(JSON.readTree(run.resolve("counter.nodb").toFile()).at("/nodb/version").asLong())
        .isEqualTo(9);
  }

  @Test
  void aFileWithAHigherFenceRejectsTheDump() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    try (LockedScope<CounterState> scope = c.lock()) {
      rewriteHeader(run, 1, scope.lock().fence() + 100);
      assertThatThrownBy(scope::commit)
          .isInstanceOf(NoDbFencedWriteException.class)
          .hasMessageContaining("fence");
    }
  }

  @Test
  void aFenceBelowTheFilesIsLiftedSoTheHolderCanWrite() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    rewriteHeader(run, 1, 1_000_000);
    store.clearCache();
    Counter c = store.getInstance(Counter.class, run);
    assertThat(c.fence()).isEqualTo(1_000_000);
    c.increment();
    assertThat(c.fence()).isGreaterThan(1_000_000);
    try (LockHandle next =
        store.locks(run).acquire(c.lockKey(), Duration.ofSeconds(30), Duration.ZERO)) {
      assertThat(next.fence()).as("the counter itself was lifted").isGreaterThan(c.fence());
    }
    logs.expect(
            Level.WARN,
            "of " + run.resolve("counter.nodb") + " was not above the file's fence 1000000")
        .from("io.nodb.store")
        .times(1);
  }

  /**
   * Expects the lock log of a holder evicted by an operator: the force, the holder's loss and its
   * release that found another owner.
   */
  private void expectForcedHolder(LockKey key, String reason) {
    String where = "run=" + key.runId() + " key=" + key.name();
    logs.expect(Level.WARN, "forced " + where + " reason='" + reason + "'").times(1);
    logs.expect(Level.WARN, "reason=FORCED").from("io.nodb.lock").times(1);
    logs.expect(Level.WARN, "release NOT_OWNER " + where).from("io.nodb.lock").times(1);
  }

  @Test
  void aCrashedWritersTempFileLeavesTheFileIntactAndIsCleanedByTheNextDump() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    byte[] before = Files.readAllBytes(run.resolve("counter.nodb"));
    Path garbage = run.resolve(".counter.nodb.tmp");
    Files.write(garbage, "{\"nodb\": {\"format\": 1, \"ty".getBytes(StandardCharsets.UTF_8));

    assertThat(store.ignoreLock(Counter.class, run).count()).isZero();
    assertThat(Files.readAllBytes(run.resolve("counter.nodb"))).isEqualTo(before);
    c.increment();
    try (Stream<Path> files = Files.list(run)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void unknownFieldsSurviveALoadDumpRoundTrip() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    ((ObjectNode) root.get("state")).put("addedByANewerVersion", "keep me");
    ((ObjectNode) root.get("nodb")).put("checksum", "abc");
    Files.write(file, JSON.writeValueAsBytes(root));
    store.clearCache();

    store.getInstance(Counter.class, run).increment();

    JsonNode after = JSON.readTree(file.toFile());
    assertThat(after.at("/state/addedByANewerVersion").asText()).isEqualTo("keep me");
    assertThat(after.at("/nodb/checksum").asText()).isEqualTo("abc");
    assertThat(after.at("/state/count").asLong()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   \n",
        "{\"nodb\": {\"format\": 1, \"type\": \"counter\", \"vers",
        "this is not json",
        "[1, 2, 3]",
        "{\"state\": {}}",
        "{\"nodb\": {\"format\": 1, \"type\": \"counter\", \"version\": \"two\", \"fence\": 1}, \"state\": {}}",
        "{\"nodb\": {\"format\": 1, \"type\": \"climate\", \"version\": 2, \"fence\": 1}, \"state\": {}}",
        "{\"nodb\": {\"format\": 99, \"type\": \"counter\", \"version\": 2, \"fence\": 1}, \"state\": {}}",
        "{\"nodb\": {\"format\": 1, \"type\": \"counter\", \"version\": 2, \"fence\": 1}, \"state\": 7}",
        "{\"nodb\": {\"format\": 1, \"type\": \"counter\", \"version\": 2, \"fence\": 1}, \"state\": {\"count\": \"many\"}}"
      })
  void everyKindOfCorruptFileIsATypedErrorAndTheFileIsNeverOverwritten(String content)
      throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    Files.writeString(file, content);
    store.clearCache();

    assertThatThrownBy(() -> store.getInstance(Counter.class, run))
        .isInstanceOfSatisfying(
            NoDbCorruptFileException.class,
            e -> {
              assertThat(e.getMessage()).contains(file.toString());
              assertThat(e.problem()).isNotBlank();
            });
    assertThatThrownBy(() -> store.ignoreLock(Counter.class, run))
        .isInstanceOf(NoDbCorruptFileException.class);
    assertThat(Files.readString(file)).isEqualTo(content);

    Path aside = store.repair(Counter.class, run, s -> s.label = "repaired");
    assertThat(Files.readString(aside)).isEqualTo(content);
    assertThat(store.getInstance(Counter.class, run).state().label).isEqualTo("repaired");
  }

  /**
   * Nested runs (wepppy's {@code _pups/...}) of two runs with the same pup name, and a top-level
   * run of that name, lock apart while all three are held at once: each is keyed under the run that
   * holds it ({@link io.nodb.store.RunIdentity}), and a link to a run locks the run's keys.
   */
  @Test
  void nestedRunsOfTwoRunsWithOnePupNameNeverShareALock() throws Exception {
    NoDbStore store = store();
    String pup = newRunId();
    String idA = newRunId();
    String idB = newRunId();
    Path a = runsRoot.resolve(idA).resolve("_pups/omni/scenarios/" + pup);
    Path b = runsRoot.resolve(idB).resolve("_pups/omni/scenarios/" + pup);
    Path top = runsRoot.resolve(pup);
    for (Path run : List.of(a, b, top)) {
      store.create(Counter.class, run, s -> s.label = "fresh");
    }
    String nested = "_pups/omni/scenarios/" + pup + "/counter.nodb";
    assertThat(store.getInstance(Counter.class, a).lockKey()).isEqualTo(LockKey.of(idA, nested));
    assertThat(store.getInstance(Counter.class, b).lockKey()).isEqualTo(LockKey.of(idB, nested));
    assertThat(store.getInstance(Counter.class, top).lockKey())
        .isEqualTo(LockKey.of(pup, "counter.nodb"));
    Path link = Files.createSymbolicLink(runsRoot.resolve("link-" + pup), a);
    assertThat(store.getInstance(Counter.class, link).lockKey()).isEqualTo(LockKey.of(idA, nested));

    LockClient otherClient = newLockClient(runsRoot);
    closeables.add(otherClient);
    NoDbStore other =
        NoDbStore.builder().lockClient(otherClient).lockWait(Duration.ofMillis(300)).build();
    closeables.add(other);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (LockedScope<CounterState> held = store.getInstance(Counter.class, a).lock()) {
      held.state().count = 100;
      // another process locks b's pup and the top-level run of the same name while a's is held
      assertThat(
              pool.submit(() -> other.getInstance(Counter.class, b).increment())
                  .get(1, TimeUnit.MINUTES))
          .isEqualTo(1);
      assertThat(
              pool.submit(() -> other.getInstance(Counter.class, top).increment())
                  .get(1, TimeUnit.MINUTES))
          .isEqualTo(1);
      // ... but not a's, through its path or a link to it
      for (Path run : List.of(a, link)) {
        Future<?> blocked = pool.submit(() -> other.getInstance(Counter.class, run).increment());
        assertThatThrownBy(() -> blocked.get(1, TimeUnit.MINUTES))
            .hasCauseInstanceOf(io.nodb.lock.LockTimeoutException.class);
      }
      held.commit();
    } finally {
      pool.shutdownNow();
    }
    assertThat(other.getInstance(Counter.class, a).state().count).isEqualTo(100);
  }

  @Test
  void missingFilesAndRunsAreNotFoundAndInvalidRunIdsAreRejected() throws IOException {
    NoDbStore store = store();
    Path empty = Files.createDirectories(runsRoot.resolve(newRunId()));
    assertThatThrownBy(() -> store.getInstance(Counter.class, empty))
        .isInstanceOf(NoDbNotFoundException.class)
        .hasMessageContaining("counter.nodb");
    assertThat(store.tryGetInstance(Counter.class, empty)).isEmpty();
    assertThat(store.tryGetInstance(Counter.class, runsRoot.resolve("no-such-run"))).isEmpty();
    Path badName = Files.createDirectories(runsRoot.resolve("bad name"));
    assertThatThrownBy(() -> store.getInstance(Counter.class, badName))
        .isInstanceOf(InvalidRunIdException.class)
        .hasMessageContaining("bad name");
  }

  @Test
  void theInstanceCacheIsBoundedButIdentityHoldsWhileAnInstanceIsInUse() {
    LockClient client = newLockClient(runsRoot);
    closeables.add(client);
    NoDbStore small = NoDbStore.builder().lockClient(client).cacheSize(2).build();
    closeables.add(small);
    List<Counter> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      held.add(small.getInstance(Counter.class, newRun(small)));
    }
    assertThat(small.cachedCount(Counter.class)).isLessThanOrEqualTo(2);
    for (Counter c : held) {
      assertThat(small.getInstance(Counter.class, c.runDir())).isSameAs(c);
    }
  }

  private void rewriteHeader(Path run, long version, long fence) throws IOException {
    Path file = run.resolve("counter.nodb");
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    ((ObjectNode) root.get("nodb")).put("version", version).put("fence", fence);
    Files.write(file, JSON.writeValueAsBytes(root));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void throwChecked(boolean really) throws IOException {
    if (really) {
      throw new IOException("unreachable");
    }
  }
}
