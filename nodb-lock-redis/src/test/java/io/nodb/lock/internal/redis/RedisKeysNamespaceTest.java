package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RedisKeysNamespaceTest {

  @Test
  void runKeysKeepTheDeployedLayoutByteForByte() {
    LockKey key = LockKey.of("run-42", "climate.nodb");
    assertThat(RedisKeys.lock(key)).isEqualTo("nodb-lock:{run-42}:climate.nodb");
    assertThat(RedisKeys.waitFlag(key)).isEqualTo("nodb-wait:{run-42}:climate.nodb");
    assertThat(RedisKeys.signal(key)).isEqualTo("nodb-signal:{run-42}:climate.nodb");
    assertThat(RedisKeys.fenceCounter(key.namespace().tag())).isEqualTo("nodb-fence:{run-42}");
    assertThat(RedisKeys.runIndex(key.namespace().tag())).isEqualTo("nodb-run:{run-42}");
  }

  @Test
  void otherNamespacesAreOneHashTagOfTheirOwn() {
    LockKey key = LockKey.of(LockNamespace.of("flight", "prices"), "ab12");
    assertThat(RedisKeys.lock(key)).isEqualTo("nodb-lock:{flight:prices}:ab12");
    assertThat(RedisKeys.runIndex(key.namespace().tag())).isEqualTo("nodb-run:{flight:prices}");
  }

  @Property(tries = 2000)
  void noKeyOfAnotherNamespaceEqualsAnyKeyOfAnyRun(
      @ForAll("others") LockKey other, @ForAll("runs") LockKey run) {
    assertThat(keysOf(run)).doesNotContainAnyElementsOf(keysOf(other));
  }

  private static List<String> keysOf(LockKey k) {
    String tag = k.namespace().tag();
    return List.of(
        RedisKeys.lock(k),
        RedisKeys.waitFlag(k),
        RedisKeys.signal(k),
        RedisKeys.fenceCounter(tag),
        RedisKeys.runIndex(tag),
        RedisKeys.evicted(tag),
        RedisKeys.audit(tag));
  }

  @Provide
  Arbitrary<LockKey> runs() {
    // run ids that look like other namespaces' pieces: "flight", "flight-prices", "prices"...
    Arbitrary<String> id =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("flight-pric.s_0:").ofMinLength(1).ofMaxLength(20),
            Arbitraries.of("flight", "prices", "job", "flight-prices", "sf-prices"));
    return Combinators.combine(id, names())
        .as((r, n) -> valid(() -> LockKey.of(r, n)))
        .filter(k -> k != null);
  }

  @Provide
  Arbitrary<LockKey> others() {
    Arbitrary<String> kind = Arbitraries.of("flight", "job", "app", "f");
    Arbitrary<String> id =
        Arbitraries.strings().withChars("flight-pric.s_0:").ofMinLength(1).ofMaxLength(20);
    return Combinators.combine(kind, id, names())
        .as((k, i, n) -> valid(() -> LockKey.of(LockNamespace.of(k, i), n)))
        .filter(k -> k != null);
  }

  private static Arbitrary<String> names() {
    return Arbitraries.strings().withChars("abprices:-._/").ofMinLength(1).ofMaxLength(20);
  }

  private static LockKey valid(java.util.function.Supplier<LockKey> make) {
    try {
      return make.get();
    } catch (RuntimeException refused) {
      return null;
    }
  }
}
