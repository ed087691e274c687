/**
 * Recipes on nodb's locks: single-flight computes and exclusive jobs. {@code RedisValueStore} needs
 * {@code io.nodb.lock.redis} at run time.
 */
module io.nodb.recipes {
  requires transitive org.jspecify; // @NullMarked/@Nullable are part of the API's types
  requires transitive io.nodb.lock;
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static micrometer.core; // optional: MeterRegistry in the API is for those who have it

  exports io.nodb.recipes;
}
