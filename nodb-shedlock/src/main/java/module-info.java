/** A ShedLock {@code LockProvider} on nodb's locks. */
module io.nodb.shedlock {
  requires transitive io.nodb.lock;
  requires transitive net.javacrumbs.shedlock.core;

  exports io.nodb.shedlock;
}
