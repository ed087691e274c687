package io.nodb.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one redaction of Redis URLs, and that parse errors go through it and carry no cause. */
class RedisUrlsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "redis://user:pa ss@h|redis://user:***@h",
        "redis://:pw%zz@h|redis://***@h",
        "redis://:pa/ss@h|redis://***@h",
        "redis://:pa@ss@h|redis://***@h",
        "rediss://:tls-secret@cache.example:6380|rediss://***@cache.example:6380",
        "redis://ops:acl-secret@cache.example:6380/3|redis://ops:***@cache.example:6380/3",
        "redis://ops:p@:/% x@host:1/2|redis://ops:***@host:1/2",
        "redis://secretonly@host|redis://***@host",
        "redis://:secret|redis://***",
        "redis://host:6379/0?password=secret|redis://host:6379/0?***",
        "redis://127.0.0.1:6379|redis://127.0.0.1:6379",
        "redis://[::1]:6379/1|redis://[::1]:6379/1"
      })
  void redactsEveryForm(String url, String expected) {
    assertThat(RedisUrls.redact(url)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "redis://user:pa ss@h",
        "redis://:pw%zz@h",
        "redis://:pa/ss@h",
        "redis://:pa@ss@h",
        "redis://:pa ss@h/notanumber",
        "rediss://u:pa@ss@h:bad",
        "http://u:pa ss@h",
        "redis://:pa%@h",
        "redis://:pa%4@h"
      })
  void malformedUrlsNeverShowThePasswordInTheMessageOrACause(String url) {
    String secretPart = "pa";
    assertThatThrownBy(() -> RedisEndpoint.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasNoCause()
        .hasMessageContaining("invalid Redis URL")
        .satisfies(
            e ->
                assertThat(e.getMessage().replace("invalid Redis URL", ""))
                    .doesNotContain(secretPart + " ss")
                    .doesNotContain(secretPart + "/ss")
                    .doesNotContain(secretPart + "@ss")
                    .doesNotContain("pw%zz")
                    .doesNotContain("zz")
                    .doesNotContain(secretPart + "%"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "redis://:p%40%3A%2F%25%20w@h:1|p@:/% w",
        "redis://ops:a+b@h|a+b",
        "rediss://ops:s%C3%A9cret@h:6380/2|s\u00e9cret"
      })
  void percentEncodedPasswordsDecode(String url, String password) {
    RedisEndpoint e = RedisEndpoint.parse(url);
    assertThat(e.password()).isEqualTo(password);
    assertThat(e.toString()).doesNotContain(password).doesNotContain("%");
  }
}
