package io.nodb.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.NoDbException;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one controller instance does with its file and its lock: hydrate, refresh when a newer
 * version was dumped elsewhere, open locked scopes, and commit them with a fenced dump followed by
 * a volatile publish. Thread-safe: publication is a volatile swap; refreshes are serialized by a
 * local lock; mutations by the distributed lock.
 */
final class ControllerRuntime<S> implements ScopeOwner<S> {

  private static final Logger LOG = LoggerFactory.getLogger("io.nodb.store");
  private static final int MAX_READ_ATTEMPTS = 10;

  private final ControllerSpec<S> type;
  private final StoreContext ctx;
  private final Path runDir;
  private final Path file;
  private final LockKey key;
  private final boolean readOnly;
  private final boolean detached;
  private final ThreadLocal<ControllerScope<S>> active = new ThreadLocal<>();
  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile Published<S> published;

  ControllerRuntime(
      ControllerSpec<S> type,
      StoreContext ctx,
      Path runDir,
      LockKey key,
      boolean readOnly,
      boolean detached) {
    this.type = type;
    this.ctx = ctx;
    this.runDir = runDir;
    this.file = runDir.resolve(type.fileName());
    this.key = key;
    this.readOnly = readOnly;
    this.detached = detached;
  }

  Path runDir() {
    return runDir;
  }

  @Override
  public Path file() {
    return file;
  }

  LockKey key() {
    return key;
  }

  boolean readOnly() {
    return readOnly;
  }

  boolean detached() {
    return detached;
  }

  Published<S> published() {
    return published;
  }

  S copyOfPublished() {
    return copy(published);
  }

  /** Hydrates from the mirror (when it provably matches) or from disk. */
  void hydrate() {
    FileSignature sig = signature().orElseThrow(() -> notFound());
    Optional<byte[]> mirrored = ctx.mirror().read(key, sig);
    if (mirrored.isPresent()) {
      try {
        published = parse(mirrored.get(), sig, Path.of("redis-cache:" + key));
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
    ObjectNode tree = ctx.codec().mapper().valueToTree(initial);
    published =
        new Published<>(
            initial,
            tree,
            new EnvelopeHeader(
                EnvelopeCodec.CURRENT_FORMAT,
                type.typeName(),
                0,
                0,
                "",
                "",
                EnvelopeHeader.newLineage(),
                ctx.codec().mapper().createObjectNode()),
            null);
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
    if (readOnly || Files.exists(runDir.resolve(StoreContext.READONLY_MARKER))) {
      throw new NoDbReadOnlyException(
          "run "
              + runDir
              + " is read-only (READONLY marker): cannot lock or write "
              + type.fileName());
    }
    ControllerScope<S> outer = active.get();
    if (outer != null && outer.isOpen()) {
      if (outer.isCommitted()) {
        throw new IllegalStateException(
            "the locked scope of "
                + file
                + " on this thread is already committed; close it before opening another");
      }
      return outer.nested();
    }
    LockHandle handle =
        ctx.locks().forRun(runDir).acquire(key, LockOptions.lease(ctx.lease()), ctx.lockWait());
    try {
      refreshIfChanged();
      Published<S> base = published;
      if (handle.fence() <= base.fence()) {
        long lifted = handle.liftFence(base.fence());
        LOG.warn(
            "[STORE] lock fence {} of {} was not above the file's fence {} (the lock backend lost its"
                + " fence counter); lifted it to {}",
            handle.fence(),
            file,
            base.fence(),
            lifted);
      }
      ControllerScope<S> scope = new ControllerScope<>(this, handle, base, copy(base));
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

  @Override
  public void scopeClosed(LockedScope<S> scope) {
    if (active.get() == scope) {
      active.remove();
    }
  }

  @Override
  public void commit(LockHandle handle, Published<S> base, S working) {
    try {
      handle.ensureValid();
    } catch (RuntimeException e) {
      ctx.metrics().count(Event.REJECTED_LOST);
      throw e;
    }
    ObjectNode tree =
        JsonNode.class.isAssignableFrom(type.stateClass())
            ? ((ObjectNode) working).deepCopy()
            : merge(ctx.codec().mapper().valueToTree(working), base.tree());
    ObjectNode extra = base.header().extra().deepCopy();
    extra.put(TypeCheck.FIELD, type.controller());
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
                  handle::verify);
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
        Published<S> p = parse(bytes, before.get(), file);
        ctx.metrics().count(Event.HYDRATED_DISK);
        return Optional.of(p);
      }
      if (attempt == MAX_READ_ATTEMPTS) {
        throw new NoDbException(
            "cannot read " + file + ": it changed during each of " + attempt + " reads");
      }
    }
  }

  private Published<S> parse(byte[] bytes, FileSignature sig, Path source) {
    Envelope env = ctx.codec().read(source, bytes);
    TypeCheck.require(type, source, env.header());
    ObjectNode state = env.state();
    EnvelopeHeader header = env.header();
    if (env.legacy() != null) {
      header =
          new EnvelopeHeader(
              0, type.typeName(), 0, 0, "", "", "", ctx.codec().mapper().createObjectNode());
      if (type.legacy() != null) {
        LegacyMigration.Mapped<S> m =
            LegacyMigration.map(type, source, env.legacy(), ctx.codec().mapper());
        ObjectNode tree = ctx.codec().mapper().valueToTree(m.state());
        return new Published<>(m.state(), tree, header, sig, m.kept(), m.report(), bytes);
      }
      try {
        state = type.migrator().migrate(0, state.deepCopy());
      } catch (RuntimeException e) {
        throw new NoDbCorruptFileException(
            source, "cannot migrate from format 0: " + e.getMessage(), e);
      }
      List<String> names = new ArrayList<>();
      env.legacy().original().fieldNames().forEachRemaining(names::add);
      return new Published<>(
          typed(state, source),
          state,
          header,
          sig,
          null,
          new LegacyReport(env.legacy().pythonClass(), names, List.of()),
          bytes);
    }
    if (header.format() < EnvelopeCodec.CURRENT_FORMAT) {
      try {
        state = type.migrator().migrate(header.format(), state.deepCopy());
      } catch (RuntimeException e) {
        throw new NoDbCorruptFileException(
            source, "cannot migrate from format " + header.format() + ": " + e.getMessage(), e);
      }
    }
    return new Published<>(typed(state, source), state, header, sig, env.kept(), null, null);
  }

  private S typed(ObjectNode state, Path source) {
    try {
      return ctx.codec().mapper().treeToValue(state, type.stateClass());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new NoDbCorruptFileException(
          source,
          "state does not fit " + type.stateClass().getSimpleName() + ": " + e.getMessage(),
          e);
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
    ObjectNode legacy = ctx.codec().mapper().createObjectNode();
    legacy.put("pythonClass", base.legacy().pythonClass());
    legacy.put("original", name);
    legacy.put("sha256", LegacyBackup.sha256(base.original()));
    legacy.put("migratedAt", ctx.clock().instant().toString());
    return legacy;
  }

  private S copy(Published<S> p) {
    if (JsonNode.class.isAssignableFrom(type.stateClass())) {
      // treeToValue would hand back the published tree itself
      return type.stateClass().cast(p.tree().deepCopy());
    }
    try {
      return ctx.codec().mapper().treeToValue(p.tree(), type.stateClass());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot copy the state of " + file, e);
    }
  }

  /** Keeps top-level fields the state class does not know, so they survive a round trip. */
  private static ObjectNode merge(ObjectNode written, ObjectNode previous) {
    for (Map.Entry<String, JsonNode> e : previous.properties()) {
      if (!written.has(e.getKey())) {
        written.set(e.getKey(), e.getValue());
      }
    }
    return written;
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
}
