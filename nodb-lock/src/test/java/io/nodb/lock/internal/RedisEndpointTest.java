package io.nodb.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisEndpointTest {

  @Test
  void parsesHostPortUserPasswordAndDatabase() {
    RedisEndpoint e = RedisEndpoint.parse("redis://ops:s%40cret@cache.example:6380/3");
    assertThat(e.host()).isEqualTo("cache.example");
    assertThat(e.port()).isEqualTo(6380);
    assertThat(e.user()).isEqualTo("ops");
    assertThat(e.password()).isEqualTo("s@cret");
    assertThat(e.database()).isEqualTo(3);
    assertThat(e.tls()).isFalse();
    assertThat(e.toString()).isEqualTo("redis://cache.example:6380/3").doesNotContain("cret");
  }

  @Test
  void defaultsAndTlsAndPasswordOnly() {
    RedisEndpoint e = RedisEndpoint.parse("rediss://:pw@localhost");
    assertThat(e.port()).isEqualTo(6379);
    assertThat(e.user()).isNull();
    assertThat(e.password()).isEqualTo("pw");
    assertThat(e.tls()).isTrue();
  }

  @Test
  void rejectsBadUrlsWithoutLeakingThePassword() {
    assertThatThrownBy(() -> RedisEndpoint.parse("http://u:topsecret@host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis://")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> RedisEndpoint.parse("redis://host/notanumber"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database");
  }
}
