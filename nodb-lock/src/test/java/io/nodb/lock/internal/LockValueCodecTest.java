package io.nodb.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LockValueCodecTest {

  private final LockKey key = LockKey.of("run", "climate.nodb");

  @Test
  void roundTripsAValueWhoseThreadNameContainsBars() {
    OwnerStamp stamp = new OwnerStamp("host-1", 4242, "worker|7", 1_700_000_000_000L, 30_000);
    String value = LockValueCodec.encode("tok", 17, stamp);
    LockInfo info = LockValueCodec.decode(key, value, 12_345);
    assertThat(info.host()).isEqualTo("host-1");
    assertThat(info.pid()).isEqualTo(4242);
    assertThat(info.thread()).isEqualTo("worker|7");
    assertThat(info.fence()).isEqualTo(17);
    assertThat(info.acquiredAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(info.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(info.ttlLeft()).isEqualTo(Duration.ofMillis(12_345));
    assertThat(info.tokenDigest())
        .isEqualTo(TokenDigest.of("tok"))
        .hasSize(8)
        .doesNotContain("tok");
  }

  @Test
  void ownershipIsAnExactTokenPrefixMatch() {
    String value = LockValueCodec.encode("abc", 1, new OwnerStamp("h", 1, "t", 0, 10));
    assertThat(LockValueCodec.isHeldBy(value, "abc")).isTrue();
    assertThat(LockValueCodec.isHeldBy(value, "ab")).isFalse();
    assertThat(LockValueCodec.isHeldBy(value, "abcd")).isFalse();
    assertThat(LockValueCodec.isHeldBy(null, "abc")).isFalse();
    assertThat(LockValueCodec.tokenOf(value)).isEqualTo("abc");
  }

  @Test
  void foreignValuesDecodeAsUnknownOwners() {
    LockInfo info = LockValueCodec.decode(key, "locked-by-a-shell-script", -1);
    assertThat(info.host()).isEqualTo("?");
    assertThat(info.pid()).isEqualTo(-1);
    assertThat(info.fence()).isEqualTo(-1);
    assertThat(info.ttlLeft()).isEqualTo(Duration.ZERO);
    assertThat(LockValueCodec.decode(key, "a|b|c|d|e|f|g", 5).fence()).isEqualTo(-1);
  }

  @Test
  void tokensAreUniqueAndUrlSafe() {
    TokenFactory tokens = new TokenFactory();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String t = tokens.next();
      assertThat(t).matches("[A-Za-z0-9_-]{22}").startsWith(tokens.tag());
      assertThat(seen.add(t)).isTrue();
    }
    assertThat(tokens.tag()).hasSize(TokenFactory.TAG_LENGTH);
    assertThat(new TokenFactory().next()).isNotEqualTo(new TokenFactory().next());
    assertThat(new TokenFactory().tag()).isNotEqualTo(new TokenFactory().tag());
  }

  @Test
  void aHugeForeignValueIsShownAsAnExcerptWithItsSize() {
    String huge = "h".repeat(10 * 1024 * 1024);
    LockInfo info = LockValueCodec.decode(key, "tok|1|0|1000|" + huge + "|1|" + huge, 500);
    assertThat(info.host()).hasSizeLessThan(300).endsWith("\u2026(10485760 bytes)");
    assertThat(info.thread()).hasSizeLessThan(300).endsWith("\u2026(10485760 bytes)");
    assertThat(info.toString()).hasSizeLessThan(2000);
    assertThat(LockValueCodec.excerpt("short")).isEqualTo("short");
    assertThat(LockValueCodec.excerpt(huge)).startsWith("h".repeat(200)).hasSize(200 + 17);
  }
}
