/** A ShedLock {@code LockProvider} on nodb's locks. */
module io.nodb.shedlock {
  requires transitive org.jspecify; // @NullMarked/@Nullable are part of the API's types
  requires transitive io.nodb.lock;
  requires transitive net.javacrumbs.shedlock.core;

  exports io.nodb.shedlock;
}
