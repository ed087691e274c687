package io.nodb.store;

import io.nodb.InvalidRunIdException;
import io.nodb.NoDbException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockKey;
import io.nodb.store.ControllerRuntime.LoadMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The NoDb store: finds, caches, creates and repairs controllers of runs, over one lock client.
 *
 * <p>{@link #getInstance(Class, Path)} returns one instance per (controller class, absolute run
 * directory) per store. A later call returns the same object, refreshed in place when another
 * process dumped a newer version. <b>Freshness</b> is checked on every call with one {@code stat}
 * of the file (file key, size, mtime — every dump renames a new file into place, so the key
 * changes) and one {@code stat} for the {@code READONLY} marker: about two microseconds when
 * nothing changed. Only when the signature differs is the file read, and then what is on disk is
 * swapped in, whatever its {@code version}: a file dumped elsewhere, repaired, restored from a
 * backup or created again is another file (its header's lineage tells them apart), and a mutation
 * never starts from a state that did not come from the file it replaces.
 *
 * <p>Files are read only if they are regular files no larger than {@link
 * NoDbStoreBuilder#maxFileSize}, and nothing is written, locked or created through a symbolic link
 * inside the run ({@link NoDbUnsafePathException}).
 *
 * <p>Runs with a {@code READONLY} marker file are never cached: each call returns a fresh instance
 * that refuses {@code locked()} and dumps. {@link #ignoreLock(Class, Path)} returns a detached
 * fresh copy that is never cached.
 *
 * <p>Thread-safe. Most programs use the shared store through the controllers' static {@code
 * getInstance(Path)} ({@link NoDbStoreBuilder#shared()}); tests and services build their own with
 * {@link #builder()}. A controller reaches its siblings through {@link NoDbBase#store()}, the store
 * that bound it, so the instances of one store never mix with the shared store's.
 */
public final class NoDbStore implements AutoCloseable {

  /** The name of the marker file that makes a run read-only. */
  public static final String READONLY_MARKER = "READONLY";

  private final StoreContext ctx;
  private final InstanceRegistry registry;

  /**
   * Returns a new builder of a store, with the defaults of {@link NoDbStoreBuilder}.
   *
   * @return the builder
   */
  public static NoDbStoreBuilder builder() {
    return new NoDbStoreBuilder();
  }

  NoDbStore(StoreContext ctx, long maxPerClass) {
    this.ctx = ctx;
    this.registry = new InstanceRegistry(maxPerClass);
  }

  /**
   * Returns the controller of a run, loading it once and refreshing it when a newer version was
   * dumped elsewhere.
   *
   * @param type the controller class
   * @param runDir the run directory
   * @param <C> the controller class
   * @return the shared instance (a fresh uncached one for a read-only run)
   * @throws NoDbNotFoundException if the run or the controller file does not exist
   * @throws NoDbCorruptFileException if the file cannot be used
   * @throws InvalidRunIdException if the directory name is not a valid run id (see {@link
   *     RunIdentity}: the locks of a run come from its real path, a nested run's from the run that
   *     holds it)
   */
  public <C extends NoDbBase<?>> C getInstance(Class<C> type, Path runDir) {
    Path dir = normalize(runDir);
    if (isReadOnly(dir)) {
      registry.evict(type, dir);
      return type.cast(load(ControllerType.of(type), dir, LoadMode.READ_ONLY));
    }
    NoDbBase<?> c = registry.get(type, dir, d -> load(ControllerType.of(type), d, LoadMode.CACHED));
    c.runtime().refreshIfChanged();
    return type.cast(c);
  }

  /**
   * Returns the generic tree controller of any {@code .nodb} file of a run (see {@link NoDbTree}):
   * for the Python NoDb's controllers that have no Java class. One shared instance per file, like
   * {@link #getInstance}.
   *
   * @param runDir the run directory
   * @param fileName the file's path inside the run, e.g. {@code soils.nodb}
   * @return the shared instance (a fresh uncached one for a read-only run)
   * @throws NoDbNotFoundException if the run or the file does not exist
   * @throws NoDbCorruptFileException if the file cannot be used
   * @throws IllegalArgumentException if the file name is not a valid controller file name, or a
   *     registered typed controller owns it (load that controller instead: a tree would bypass its
   *     mapping and class check)
   * @throws NoDbWrongTypeException if the file holds a typed controller's state
   */
  public NoDbTree getTree(Path runDir, String fileName) {
    Optional<ControllerType<?, ?>> owner = ControllerType.owning(fileName);
    if (owner.isPresent()) {
      throw new IllegalArgumentException(
          fileName
              + " belongs to controller "
              + owner.get().controllerClass().getName()
              + " (type '"
              + owner.get().typeName()
              + "'); load it with getInstance("
              + owner.get().controllerClass().getSimpleName()
              + ".class, runDir), not as a tree");
    }
    Path dir = normalize(runDir);
    ControllerType<NoDbTree, com.fasterxml.jackson.databind.node.ObjectNode> tree =
        ControllerType.tree(fileName);
    Path key = dir.resolve(fileName);
    if (isReadOnly(dir)) {
      registry.evict(NoDbTree.class, key);
      return load(tree, dir, LoadMode.READ_ONLY);
    }
    NoDbBase<?> c = registry.get(NoDbTree.class, key, k -> load(tree, dir, LoadMode.CACHED));
    c.runtime().refreshIfChanged();
    return (NoDbTree) c;
  }

  /**
   * Like {@link #getInstance} but empty when the controller file does not exist.
   *
   * @param type the controller class
   * @param runDir the run directory
   * @param <C> the controller class
   * @return the instance, or empty
   */
  public <C extends NoDbBase<?>> Optional<C> tryGetInstance(Class<C> type, Path runDir) {
    try {
      return Optional.of(getInstance(type, runDir));
    } catch (NoDbNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns a detached fresh copy read from disk now, without waiting for any lock; never cached.
   *
   * @param type the controller class
   * @param runDir the run directory
   * @param <C> the controller class
   * @return a new instance
   */
  public <C extends NoDbBase<?>> C ignoreLock(Class<C> type, Path runDir) {
    Path dir = normalize(runDir);
    return type.cast(load(ControllerType.of(type), dir, LoadMode.detached(isReadOnly(dir))));
  }

  /**
   * Creates a controller file with the type's initial state, changed by {@code init}, under the
   * controller's lock.
   *
   * @param type the controller class
   * @param runDir the run directory (created if missing)
   * @param init adjusts the initial state before the first dump
   * @param <C> the controller class
   * @param <S> its state class
   * @return the shared instance
   * @throws NoDbStaleWriteException if the file already exists
   */
  public <C extends NoDbBase<S>, S> C create(Class<C> type, Path runDir, Consumer<? super S> init) {
    Path dir = normalize(runDir);
    RunIdentity.of(dir); // an invalid run id is refused before anything is created
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new NoDbException("cannot create run directory " + dir + ": " + e.getMessage(), e);
    }
    @SuppressWarnings("unchecked")
    ControllerType<C, S> ct = (ControllerType<C, S>) ControllerType.of(type);
    C fresh = bind(ct, dir, isReadOnly(dir) ? LoadMode.READ_ONLY : LoadMode.CACHED);
    fresh.runtime().initialize(ct.newState());
    fresh.locked(init);
    registry.evict(type, dir);
    return getInstance(type, dir);
  }

  /**
   * Replaces a corrupt controller file: moves it aside as {@code <file>.corrupt-<millis>} (never
   * deleted) and writes a new file with the initial state changed by {@code init}, under the lock.
   *
   * @param type the controller class
   * @param runDir the run directory
   * @param init builds the replacement state
   * @param <C> the controller class
   * @param <S> its state class
   * @return the path the corrupt file was moved to
   */
  public <C extends NoDbBase<S>, S> Path repair(
      Class<C> type, Path runDir, Consumer<? super S> init) {
    Path dir = normalize(runDir);
    ControllerType<?, ?> ct = ControllerType.of(type);
    Path file = dir.resolve(ct.fileName());
    RunIdentity run = RunIdentity.of(dir);
    LockKey key = run.key(ct.fileName());
    try (var handle = ctx.locks().forRun(run).acquire(key, ctx.lease(), ctx.lockWait())) {
      io.nodb.store.internal.RunFiles.requireWritable(dir, file);
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + ctx.clock().millis());
      for (int n = 1; Files.exists(aside, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
        aside =
            file.resolveSibling(file.getFileName() + ".corrupt-" + ctx.clock().millis() + "-" + n);
      }
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
      handle.release();
      registry.evict(type, dir);
      create(type, dir, init);
      return aside;
    } catch (IOException e) {
      throw new NoDbException("cannot move corrupt " + file + " aside: " + e.getMessage(), e);
    }
  }

  /** Forgets every cached instance (tests). */
  public void clearCache() {
    registry.clear();
  }

  /**
   * Returns how many instances of a class are strongly cached (bounded by the cache size).
   *
   * @param type the controller class
   * @return the count
   */
  public long cachedCount(Class<?> type) {
    return registry.strongSize(type);
  }

  /**
   * Returns how many times files were parsed from disk by this store (for tests and diagnostics).
   */
  public long diskHydrations() {
    return ctx.metrics().get(StoreMetrics.Event.HYDRATED_DISK);
  }

  /** Returns how many Redis cache operations failed and were skipped (logged, never fatal). */
  public long cacheFailures() {
    return ctx.mirror().failures();
  }

  /** Returns how many hydrations were served by the Redis cache. */
  public long cacheHydrations() {
    return ctx.metrics().get(StoreMetrics.Event.HYDRATED_CACHE);
  }

  /**
   * Returns the lock client used for a run directory.
   *
   * @param runDir the run directory
   * @return the client
   */
  public LockClient locks(Path runDir) {
    return ctx.locks().forRun(RunIdentity.of(normalize(runDir)));
  }

  /** Closes the lock clients and the cache connection this store created. */
  @Override
  public void close() {
    ctx.locks().close();
    if (ctx.mirror() instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger("io.nodb.store")
            .warn("[STORE] closing the cache failed", e);
      }
    }
  }

  private <C extends NoDbBase<S>, S> C load(ControllerType<C, S> ct, Path dir, LoadMode mode) {
    C c = bind(ct, dir, mode);
    c.runtime().hydrate();
    return c;
  }

  private <C extends NoDbBase<S>, S> C bind(ControllerType<C, S> ct, Path dir, LoadMode mode) {
    RunIdentity run = RunIdentity.of(dir);
    if (!Files.isDirectory(dir)) {
      throw new NoDbNotFoundException("no run directory " + dir);
    }
    C c = ct.newController();
    c.bind(new ControllerRuntime<>(ct, c, ctx, run, mode), this);
    return c;
  }

  private static Path normalize(Path runDir) {
    return runDir.toAbsolutePath().normalize();
  }

  private static boolean isReadOnly(Path dir) {
    return Files.exists(dir.resolve(READONLY_MARKER));
  }
}
