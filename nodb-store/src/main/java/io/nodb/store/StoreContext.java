package io.nodb.store;

import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.FencedFileWriter;
import io.nodb.store.internal.StoreMirror;
import java.time.Clock;
import java.time.Duration;

/** The services every controller of one store shares. Immutable. */
record StoreContext(
    EnvelopeCodec codec,
    FencedFileWriter writer,
    RunLocks locks,
    Duration lease,
    Duration lockWait,
    StoreMirror mirror,
    StoreMetrics metrics,
    Clock clock,
    String writerIdentity,
    long maxFileBytes) {

  /** The name of the marker file that makes a run read-only. */
  static final String READONLY_MARKER = "READONLY";
}
