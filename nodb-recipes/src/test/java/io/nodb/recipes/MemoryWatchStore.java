package io.nodb.recipes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A watchable {@link ValueStore} in memory, shared by the "processes" of a unit test (several
 * single-flights with their own lock clients): every put, failure and abandon is delivered to the
 * key's open watches, as the Redis store does over pub/sub. Values never expire. The test can see
 * how many watches are open and how many threads wait in one, can break them all ({@link
 * #loseWatches()}), and can run code just before a watch starts or a failure is read (races).
 * Thread-safe.
 */
final class MemoryWatchStore implements ValueStore<String> {

  private final Map<String, String> values = new ConcurrentHashMap<>();
  private final Map<String, LoadFailure> failures = new ConcurrentHashMap<>();
  private final List<Watch> open = new CopyOnWriteArrayList<>();
  final AtomicInteger watchesStarted = new AtomicInteger();

  private final AtomicInteger awaiting = new AtomicInteger();
  private final AtomicInteger failureReads = new AtomicInteger();

  /** Runs at the start of every {@link #watch}, before the watch exists; for races. */
  volatile Consumer<String> beforeWatch = key -> {};

  /** Runs at the start of every {@link #failure} read with the number of that read (1, 2, ...). */
  volatile Consumer<Integer> beforeFailureRead = n -> {};

  /** A watch whose notices are queued for {@link #await}. */
  private final class Watch implements ValueWatch<String> {
    final String key;
    final LinkedBlockingQueue<StoreNotice<String>> notices = new LinkedBlockingQueue<>();
    volatile Consumer<? super String> listener;

    Watch(String key) {
      this.key = key;
    }

    void deliver(StoreNotice<String> n) {
      Consumer<? super String> l = listener;
      if (l != null && n.kind() == StoreNotice.Kind.STORED) {
        l.accept(n.value());
      }
      notices.add(n);
    }

    @Override
    public Optional<StoreNotice<String>> await(Duration timeout) throws InterruptedException {
      awaiting.incrementAndGet();
      try {
        return Optional.ofNullable(notices.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
      } finally {
        awaiting.decrementAndGet();
      }
    }

    @Override
    public void onStored(Consumer<? super String> l) {
      this.listener = l;
    }

    @Override
    public void close() {
      open.remove(this);
    }
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public void put(String key, String value) {
    values.put(key, value);
    notify(key, StoreNotice.stored(value));
  }

  @Override
  public void putFailure(String key, LoadFailure failure, Duration ttl) {
    failures.put(key, failure);
    notify(key, StoreNotice.failed(failure));
  }

  @Override
  public Optional<LoadFailure> failure(String key) {
    beforeFailureRead.accept(failureReads.incrementAndGet());
    return Optional.ofNullable(failures.get(key));
  }

  @Override
  public Optional<ValueWatch<String>> watch(String key) {
    beforeWatch.accept(key);
    Watch w = new Watch(key);
    open.add(w);
    watchesStarted.incrementAndGet();
    return Optional.of(w);
  }

  @Override
  public void abandon(String key) {
    notify(key, StoreNotice.abandoned());
  }

  /** Records a failure without telling anyone, as if it had been announced before any watch. */
  void recordFailureQuietly(String key, LoadFailure failure) {
    failures.put(key, failure);
  }

  /** Stores a value without telling anyone, as if it had been announced before any watch. */
  void putQuietly(String key, String value) {
    values.put(key, value);
  }

  /** Announces a failure to the watches of the key without recording it. */
  void announce(String key, StoreNotice<String> notice) {
    notify(key, notice);
  }

  /** Returns how many threads wait in a watch's {@code await}: past their second look. */
  int awaiting() {
    return awaiting.get();
  }

  /** Returns how many watches are open on the key. */
  int watching(String key) {
    return (int) open.stream().filter(w -> w.key.equals(key)).count();
  }

  /** Ends every open watch as a broken connection would. */
  void loseWatches() {
    for (Watch w : open) {
      open.remove(w);
      w.deliver(StoreNotice.lost());
    }
  }

  private void notify(String key, StoreNotice<String> n) {
    for (Watch w : open) {
      if (w.key.equals(key)) {
        w.deliver(n);
      }
    }
  }
}
