/**
 * The NoDb store: controllers persisted as fenced, crash-safe files under locks of {@code
 * io.nodb.lock}. State classes are bound by Jackson, so a module with controllers opens their
 * packages to {@code com.fasterxml.jackson.databind}. The Redis cache needs {@code
 * io.nodb.lock.redis} at run time.
 */
module io.nodb.store {
  requires transitive org.jspecify; // @NullMarked/@Nullable are part of the API's types
  requires transitive io.nodb.lock;
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static micrometer.core; // optional: MeterRegistry in the API is for those who have it

  exports io.nodb.store;
  // FencedFileWriter for the test kit's crashing writer
  exports io.nodb.store.internal to
      io.nodb.kit,
      io.nodb.testing;
}
