package io.nodb.examples;

import io.micrometer.core.instrument.MeterRegistry;
import io.nodb.lock.LockClient;
import io.nodb.recipes.RedisValueStore;
import io.nodb.recipes.SingleFlight;
import io.nodb.recipes.ValueCodec;
import io.nodb.recipes.WaitTimeoutPolicy;
import java.time.Duration;
import java.util.function.Function;

/** A price cache whose slow, paid upstream call runs once per key across all processes. */
public final class QuoteCache implements AutoCloseable {

  /** A cached price. */
  public record Quote(String symbol, double price) {}

  private final LockClient locks;
  private final RedisValueStore<Quote> store;
  private final SingleFlight<Quote> quotes;
  private final Function<String, Quote> pricingApi;

  /**
   * Builds the cache.
   *
   * @param redisUrl where locks and values live, for example {@code redis://cache:6379}
   * @param registry where the meters go
   * @param pricingApi the slow upstream call
   */
  public QuoteCache(String redisUrl, MeterRegistry registry, Function<String, Quote> pricingApi) {
    this.pricingApi = pricingApi;
    // docs:begin single-flight
    LockClient locks = LockClient.builder().redis(redisUrl).build();
    RedisValueStore<Quote> store =
        RedisValueStore.builder(redisUrl, "quotes", ValueCodec.json(Quote.class))
            .ttl(Duration.ofMinutes(5))
            .build();
    SingleFlight<Quote> quotes =
        SingleFlight.builder("quotes", store)
            .lockClient(locks) // omit for single-flight within one JVM
            .waitTimeout(Duration.ofSeconds(20))
            .onWaitTimeout(WaitTimeoutPolicy.COMPUTE) // or FAIL
            .negativeTtl(Duration.ofSeconds(2)) // optional: cache failures briefly
            .meterRegistry(registry) // optional
            .build();
    // docs:end single-flight
    this.locks = locks;
    this.store = store;
    this.quotes = quotes;
  }

  /**
   * Returns the quote of a symbol, computing it at most once per key at a time.
   *
   * @param symbol the symbol
   * @return its quote
   */
  public Quote quote(String symbol) {
    // docs:begin get
    Quote q = quotes.getOrCompute(symbol, key -> pricingApi.apply(key));
    // docs:end get
    return q;
  }

  @Override
  public void close() {
    quotes.close();
    store.close();
    locks.close();
  }
}
