/**
 * All of nodb's library in one module, as {@code java.se} is for the JDK: the lock client with its
 * local and Redis backends, the store and the recipes. It holds no code.
 */
module io.nodb.core {
  requires transitive io.nodb.lock;
  requires transitive io.nodb.lock.redis;
  requires transitive io.nodb.store;
  requires transitive io.nodb.recipes;
}
