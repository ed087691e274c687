package io.nodb.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.internal.HostIdentity;
import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.FencedFileWriter;
import io.nodb.store.internal.StoreMirror;
import java.time.Clock;
import java.time.Duration;

/**
 * The services every controller of one store shares, made by {@link NoDbStoreBuilder#build()} from
 * its options, the lock clients and the mirror it chose. Immutable.
 */
final class StoreContext {

  private final EnvelopeCodec codec;
  private final FencedFileWriter writer;
  private final RunLocks locks;
  private final StoreMirror mirror;
  private final StoreMetrics metrics;
  private final Duration lease;
  private final Duration lockWait;
  private final Clock clock;
  private final long maxFileBytes;
  private final String writerIdentity = HostIdentity.current().describe();

  StoreContext(NoDbStoreBuilder options, RunLocks locks, StoreMirror mirror) {
    this.codec = new EnvelopeCodec(options.mapper != null ? options.mapper : new ObjectMapper());
    this.writer = new FencedFileWriter(codec);
    this.locks = locks;
    this.mirror = mirror;
    this.metrics = new StoreMetrics(options.meterRegistry);
    this.lease = options.lease;
    this.lockWait = options.lockWait;
    this.clock = options.clock;
    this.maxFileBytes = options.maxFileSize;
  }

  EnvelopeCodec codec() {
    return codec;
  }

  FencedFileWriter writer() {
    return writer;
  }

  /** The lock client of each run. */
  RunLocks locks() {
    return locks;
  }

  /** The Redis cache of files, or {@link StoreMirror#NONE}. */
  StoreMirror mirror() {
    return mirror;
  }

  StoreMetrics metrics() {
    return metrics;
  }

  /** The lease of the lock each mutation takes. */
  Duration lease() {
    return lease;
  }

  /** How long a mutation waits for its lock. */
  Duration lockWait() {
    return lockWait;
  }

  /** The clock of {@code writtenAt} stamps and backup names. */
  Clock clock() {
    return clock;
  }

  /** Who writes, recorded in each header: host, pid. */
  String writerIdentity() {
    return writerIdentity;
  }

  /** The largest file the store reads. */
  long maxFileBytes() {
    return maxFileBytes;
  }
}
