package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.InvalidLockNamespaceException;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.recipes.internal.StoredText;
import org.junit.jupiter.api.Test;

/** Key mapping and stored text formats. */
class RecipeKeysTest {

  @Test
  void anyUserKeyMapsToAValidLockName() {
    for (String key : new String[] {"", "../../etc", "a/b c{x}|y", "ü\0\n", "x".repeat(10_000)}) {
      String digest = RecipeKeys.digest(key);
      assertThat(digest).hasSize(40).matches("[0-9a-f]+");
      LockNamespace prices = RecipeKeys.namespace(LockNamespace.FLIGHT, "prices");
      assertThat(LockKey.of(prices, digest).name()).isEqualTo(digest);
    }
    assertThat(RecipeKeys.digest("a")).isNotEqualTo(RecipeKeys.digest("b"));
    assertThat(
            RecipeKeys.redisKey(
                "sf-value", RecipeKeys.namespace(LockNamespace.FLIGHT, "prices"), "k"))
        .isEqualTo("nodb-sf-value:{flight:prices}:" + RecipeKeys.digest("k"));
  }

  @Test
  void recipesHaveTheirOwnNamespacesNeverARun() {
    LockNamespace flight = RecipeKeys.namespace(LockNamespace.FLIGHT, "prices.v2");
    assertThat(flight.tag()).isEqualTo("flight:prices.v2");
    assertThat(flight.isRun()).isFalse();
    LockNamespace job = RecipeKeys.namespace(LockNamespace.JOB, "billing");
    assertThat(job.tag()).isEqualTo("job:billing");
    // the run ids the recipes used before are other namespaces: old and new never share a lock
    assertThat(flight).isNotEqualTo(LockNamespace.run("sf-prices.v2"));
    assertThat(job).isNotEqualTo(LockNamespace.run("job-billing"));
    assertThat(RecipeKeys.namespace(LockNamespace.FLIGHT, "x".repeat(128)).id()).hasSize(128);
  }

  @Test
  void recipeNamesAreValidatedNamingTheKind() {
    for (String bad : new String[] {"a{b}", "a:b", "x".repeat(129), "..x", "", "-x", "a\0b"}) {
      assertThatThrownBy(() -> RecipeKeys.namespace(LockNamespace.FLIGHT, bad))
          .isInstanceOf(InvalidLockNamespaceException.class)
          .hasMessageContaining("invalid flight id");
    }
    assertThatThrownBy(() -> RecipeKeys.namespace(LockNamespace.JOB, "a{b}"))
        .isInstanceOf(InvalidLockNamespaceException.class)
        .hasMessageContaining("invalid job id 'a{b}'");
    assertThatThrownBy(() -> RecipeKeys.namespace(LockNamespace.JOB, null))
        .isInstanceOf(InvalidLockNamespaceException.class)
        .hasMessageContaining("invalid job id null");
  }

  @Test
  void storedTextCarriesItsKeyAndRejectsAnotherKeysText() {
    String text = StoredText.wrap("k:1", "payload:with:colons");
    assertThat(StoredText.unwrap("k:1", text)).contains("payload:with:colons");
    assertThat(StoredText.unwrap("k:2", text)).isEmpty();
    assertThat(StoredText.unwrap("k", "garbage")).isEmpty();
    assertThat(StoredText.unwrap("k", "99:k")).isEmpty();
  }

  @Test
  void failuresRoundTripWithPipesInTheMessage() {
    LoadFailure f = new LoadFailure(42, "host:1", "java.io.IOException", "a|b|c", true);
    assertThat(StoredText.decodeFailure(StoredText.encodeFailure(f))).contains(f);
    assertThat(StoredText.decodeFailure("x|1|h|t|m")).isEmpty();
    assertThat(new LoadFailure(1, "h", "T", null, false).describe()).isEqualTo("T");
  }
}
