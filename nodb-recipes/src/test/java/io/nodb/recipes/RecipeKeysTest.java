package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockKey;
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
      assertThat(LockKey.of(RecipeKeys.runId("sf", "prices"), digest).name()).isEqualTo(digest);
    }
    assertThat(RecipeKeys.digest("a")).isNotEqualTo(RecipeKeys.digest("b"));
    assertThat(RecipeKeys.redisKey("sf-value", "sf-prices", "k"))
        .isEqualTo("nodb-sf-value:{sf-prices}:" + RecipeKeys.digest("k"));
  }

  @Test
  void recipeNamesAreValidated() {
    assertThat(RecipeKeys.runId("sf", "prices.v2")).isEqualTo("sf-prices.v2");
    assertThatThrownBy(() -> RecipeKeys.runId("sf", "a{b}")).hasMessageContaining("'a{b}'");
    assertThatThrownBy(() -> RecipeKeys.runId("sf", "x".repeat(101)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecipeKeys.runId("sf", null))
        .isInstanceOf(IllegalArgumentException.class);
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
