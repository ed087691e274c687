package io.nodb.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.NoDbException;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.lock.internal.LockHandles;
import io.nodb.store.StoreMetrics.Event;
import io.nodb.store.internal.Envelope;
import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.EnvelopeHeader;
import io.nodb.store.internal.FileSignature;
import io.nodb.store.internal.LegacyBackup;
import io.nodb.store.internal.RunFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one controller instance does with its file and its lock: hydrate, refresh when a newer
 * version was dumped elsewhere, open locked scopes ({@link Scope}), and commit them with a fenced
 * dump followed by a volatile publish. Parsing and copying states is its {@link StateCodec}'s.
 * Thread-safe: publication is a volatile swap; refreshes are serialized by a local lock; mutations
 * by the distributed lock.
 */
final class ControllerRuntime<S> {

  /** How an instance was loaded: cached or not, writable or not. */
  enum LoadMode {
    /** The store's cached instance of a writable run. */
    CACHED(false, false),
    /** A fresh, uncached instance of a run with a {@code READONLY} marker: refuses to lock. */
    READ_ONLY(true, false),
    /** A detached copy ({@code ignoreLock}), never cached, of a writable run. */
    DETACHED(false, true),
    /** A detached copy of a read-only run. */
    DETACHED_READ_ONLY(true, true);

    private final boolean readOnly;
    private final boolean detached;

    LoadMode(boolean readOnly, boolean detached) {
      this.readOnly = readOnly;
      this.detached = detached;
    }

    /** The mode of a detached copy ({@code ignoreLock}) of a run that is or is not read-only. */
    static LoadMode detached(boolean readOnly) {
      return readOnly ? DETACHED_READ_ONLY : DETACHED;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger("io.nodb.store");
  private static final int MAX_READ_ATTEMPTS = 10;

  private final ControllerType<?, S> type;
  private final StateCodec<S> codec;
  private final StoreContext ctx;

  /** Resolved once at bind (real path, nested runs): a mutation needs no path walk for its lock. */
  private final RunIdentity run;

  private final Path runDir;
  private final Path file;
  private final LockKey key;
  private final LoadMode mode;
  private final ThreadLocal<Scope> active = new ThreadLocal<>();
  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile Published<S> published;

  ControllerRuntime(
      ControllerType<?, S> type,
      NoDbBase<S> controller,
      StoreContext ctx,
      RunIdentity run,
      LoadMode mode) {
    this.type = type;
    this.codec = new StateCodec<>(type, controller, ctx.codec());
    this.ctx = ctx;
    this.run = run;
    this.runDir = run.dir();
    this.file = runDir.resolve(type.fileName());
    this.key = run.key(type.fileName());
    this.mode = mode;
  }

  Path runDir() {
    return runDir;
  }

  Path file() {
    return file;
  }

  LockKey key() {
    return key;
  }

  boolean readOnly() {
    return mode.readOnly;
  }

  boolean detached() {
    return mode.detached;
  }

  Published<S> published() {
    return published;
  }

  S copyOfPublished() {
    return codec.copy(published, file);
  }

  /** Hydrates from the mirror (when it provably matches) or from disk. */
  void hydrate() {
    FileSignature sig = signature().orElseThrow(() -> notFound());
    Optional<byte[]> mirrored = ctx.mirror().read(key, sig);
    if (mirrored.isPresent()) {
      try {
        published = codec.parse(mirrored.get(), sig, Path.of("redis-cache:" + key));
        ctx.metrics().count(Event.HYDRATED_CACHE);
        return;
      } catch (NoDbCorruptFileException e) {
        LOG.warn("[STORE] dropping a cache entry of {} that does not parse: {}", file, e.problem());
        ctx.mirror().drop(key);
      }
    }
    published = readFromDisk().orElseThrow(() -> notFound());
  }

  /** Starts a new controller that has no file yet (version 0, a new lineage). */
  void initialize(S initial) {
    published = codec.initial(initial);
  }

  /**
   * Swaps in the file on disk when it is not the file the published state was read from (or written
   * as); a {@code stat} when unchanged. The file on disk is the truth: a file dumped by another
   * process, repaired, restored from a backup or deleted and created again is read and published
   * whatever its version number says, so a later mutation never starts from a state that did not
   * come from the file it replaces.
   */
  void refreshIfChanged() {
    Published<S> current = published;
    if (current.signature() == null) {
      // created in memory (create()): it never adopts a file; its first dump must create the file,
      // and the writer refuses if one appeared meanwhile
      return;
    }
    Optional<FileSignature> sig = signature();
    if (sig.isEmpty() || sig.get().equals(current.signature())) {
      return;
    }
    refreshLock.lock();
    try {
      current = published;
      if (sig.get().equals(current.signature())) {
        return;
      }
      Optional<Published<S>> read = readFromDisk();
      if (read.isEmpty() || read.get().signature().equals(current.signature())) {
        return;
      }
      // a dump of this JVM renames before it publishes (under this lock): if the file moved on
      // since we read it, what we read is older than what may be published now
      if (!read.get().signature().equals(signature().orElse(null))) {
        return;
      }
      published = read.get();
      ctx.metrics().count(Event.REFRESHED);
    } finally {
      refreshLock.unlock();
    }
  }

  LockedScope<S> openScope() {
    if (mode.readOnly || Files.exists(runDir.resolve(NoDbStore.READONLY_MARKER))) {
      throw new NoDbReadOnlyException(
          "run "
              + runDir
              + " is read-only (READONLY marker): cannot lock or write "
              + type.fileName());
    }
    Scope outer = active.get();
    if (outer != null && outer.isOpen()) {
      if (outer.isCommitted()) {
        throw new IllegalStateException(
            "the locked scope of "
                + file
                + " on this thread is already committed; close it before opening another");
      }
      return new Scope(outer.handle, outer.base, outer.working, outer);
    }
    LockHandle handle =
        ctx.locks().forRun(run).acquire(key, LockOptions.lease(ctx.lease()), ctx.lockWait());
    try {
      refreshIfChanged();
      Published<S> base = published;
      if (handle.fence() <= base.fence()) {
        long lifted = LockHandles.liftFence(handle, base.fence());
        LOG.warn(
            "[STORE] lock fence {} of {} was not above the file's fence {} (the lock backend lost its"
                + " fence counter); lifted it to {}",
            handle.fence(),
            file,
            base.fence(),
            lifted);
      }
      Scope scope = new Scope(handle, base, codec.copy(base, file), null);
      active.set(scope);
      return scope;
    } catch (Throwable t) {
      // every Throwable, Errors included: a leaked handle would be renewed for good
      try {
        handle.close();
      } catch (Throwable release) {
        t.addSuppressed(release);
      }
      throw t;
    }
  }

  private void scopeClosed(Scope scope) {
    if (active.get() == scope) {
      active.remove();
    }
  }

  private void commit(LockHandle handle, Published<S> base, S working) {
    try {
      handle.ensureValid();
    } catch (RuntimeException e) {
      ctx.metrics().count(Event.REJECTED_LOST);
      throw e;
    }
    ObjectNode tree = codec.treeOf(working, base);
    ObjectNode extra = base.header().extra().deepCopy();
    extra.put(TypeCheck.FIELD, type.writer());
    if (base.original() != null) {
      extra.set("legacy", keepOriginal(base));
    }
    EnvelopeHeader header =
        new EnvelopeHeader(
            EnvelopeCodec.CURRENT_FORMAT,
            type.typeName(),
            base.version() + 1,
            handle.fence(),
            ctx.clock().instant().toString(),
            ctx.writerIdentity(),
            base.header().lineage().isEmpty()
                ? EnvelopeHeader.newLineage()
                : base.header().lineage(),
            extra);
    byte[] bytes = ctx.codec().write(new Envelope(header, tree, base.kept(), null));
    FileSignature sig;
    try {
      sig =
          ctx.writer()
              .write(
                  runDir,
                  file,
                  bytes,
                  base.signature() == null ? null : base.header(),
                  base.signature(),
                  handle.fence(),
                  ctx.maxFileBytes(),
                  handle::renewNow);
    } catch (NoDbStaleWriteException e) {
      ctx.metrics().count(Event.REJECTED_STALE);
      throw e;
    } catch (NoDbFencedWriteException e) {
      ctx.metrics().count(Event.REJECTED_FENCED);
      throw e;
    } catch (io.nodb.lock.LockLostException e) {
      ctx.metrics().count(Event.REJECTED_LOST);
      throw e;
    } catch (UncheckedIOException e) {
      throw new NoDbException("cannot write " + file + ": " + e.getCause().getMessage(), e);
    }
    refreshLock.lock();
    try {
      published = new Published<>(working, tree, header, sig, base.kept(), null, null);
    } finally {
      refreshLock.unlock();
    }
    ctx.metrics().count(Event.DUMPED);
    ctx.mirror().stored(key, sig, header.version(), bytes);
  }

  /**
   * Reads the file and the signature it had while it was read (a stat before and after the read
   * agree), or empty if it does not exist.
   */
  private Optional<Published<S>> readFromDisk() {
    for (int attempt = 1; ; attempt++) {
      Optional<FileSignature> before = signature();
      if (before.isEmpty()) {
        return Optional.empty();
      }
      byte[] bytes;
      try {
        bytes = RunFiles.read(runDir, file, ctx.maxFileBytes());
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new NoDbException("cannot read " + file + ": " + e.getMessage(), e);
      }
      if (before.equals(signature())) {
        Published<S> p = codec.parse(bytes, before.get(), file);
        ctx.metrics().count(Event.HYDRATED_DISK);
        return Optional.of(p);
      }
      if (attempt == MAX_READ_ATTEMPTS) {
        throw new NoDbException(
            "cannot read " + file + ": it changed during each of " + attempt + " reads");
      }
    }
  }

  /**
   * Keeps the legacy file's original bytes beside it (before its first format-1 dump) and returns
   * the header's {@code legacy} record naming them.
   */
  private ObjectNode keepOriginal(Published<S> base) {
    String name;
    try {
      name = LegacyBackup.keep(runDir, file, base.original(), ctx.maxFileBytes());
    } catch (IOException e) {
      throw new NoDbException(
          "cannot keep the original of legacy file " + file + ": " + e.getMessage(), e);
    }
    ObjectNode legacy = codec.mapper().createObjectNode();
    legacy.put("pythonClass", base.legacy().pythonClass());
    legacy.put("original", name);
    legacy.put("sha256", LegacyBackup.sha256(base.original()));
    legacy.put("migratedAt", ctx.clock().instant().toString());
    return legacy;
  }

  private Optional<FileSignature> signature() {
    try {
      return RunFiles.signature(runDir, file);
    } catch (IOException e) {
      throw new NoDbException("cannot stat " + file + ": " + e.getMessage(), e);
    }
  }

  private NoDbNotFoundException notFound() {
    return new NoDbNotFoundException(
        "no " + type.fileName() + " in run " + runDir + " (" + file + " does not exist)");
  }

  /**
   * The scope of one locked mutation (see {@link LockedScope}); a nested scope on the same thread
   * shares the outer scope's handle and working copy and does nothing on commit or close. Confined
   * to the thread that opened it.
   */
  private final class Scope implements LockedScope<S> {

    private final LockHandle handle;
    private final Published<S> base;
    private final S working;
    private final Scope outer;
    private boolean committed;
    private boolean closed;

    Scope(LockHandle handle, Published<S> base, S working, Scope outer) {
      this.handle = handle;
      this.base = base;
      this.working = working;
      this.outer = outer;
    }

    boolean isOpen() {
      return !closed;
    }

    boolean isCommitted() {
      return committed || (outer != null && outer.isCommitted());
    }

    @Override
    public S state() {
      if (closed || committed) {
        throw new IllegalStateException(
            "scope of " + file + " is " + (closed ? "closed" : "committed"));
      }
      return working;
    }

    @Override
    public LockHandle lock() {
      return handle;
    }

    @Override
    public void commit() {
      if (closed || committed) {
        throw new IllegalStateException(
            "scope of " + file + " is already " + (closed ? "closed" : "committed"));
      }
      if (outer == null) {
        ControllerRuntime.this.commit(handle, base, working);
      }
      committed = true;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (outer == null) {
        try {
          scopeClosed(this);
        } finally {
          handle.close();
        }
      }
    }
  }
}
