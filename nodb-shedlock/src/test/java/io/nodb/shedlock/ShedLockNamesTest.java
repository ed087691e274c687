package io.nodb.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The name encoding is valid, lossless and injective, and refuses what it cannot keep whole. */
class ShedLockNamesTest {

  @Test
  void examplesFromTheDocs() {
    assertThat(ShedLockNames.encode("invoice-export")).isEqualTo("sl-invoice-export");
    assertThat(ShedLockNames.encode("reports.daily")).isEqualTo("sl-reports_2Edaily");
    assertThat(ShedLockNames.encode("")).isEqualTo("sl-");
    assertThat(ShedLockNames.encode("a_b/ä")).isEqualTo("sl-a_5Fb_2F_C3_A4");
  }

  @Test
  void randomNamesRoundTripAreValidKeysAndNeverCollide() {
    Random random = new Random(42);
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      StringBuilder name = new StringBuilder();
      int length = random.nextInt(12);
      for (int j = 0; j < length; j++) {
        // mostly the characters that matter: escapes, separators, dots, case, and some Unicode
        String alphabet = "aA0-_./%~ \u00e4\u4e2d\ud83d\ude00";
        int k = random.nextInt(alphabet.length());
        char c = alphabet.charAt(k);
        if (Character.isHighSurrogate(c) && k + 1 < alphabet.length()) {
          name.append(c).append(alphabet.charAt(k + 1));
        } else if (!Character.isLowSurrogate(c)) {
          name.append(c);
        }
      }
      String n = name.toString();
      String encoded = ShedLockNames.encode(n);
      assertThat(ShedLockNames.decode(encoded)).isEqualTo(n);
      LockKey.of(LockNamespace.of(NodbLockProvider.NAMESPACE_KIND, "default"), encoded); // valid
      String before = seen.putIfAbsent(encoded, n);
      assertThat(before == null || before.equals(n)).as("%s and %s collide", before, n).isTrue();
    }
  }

  @Test
  void theLongestNamesFitAndLongerAreRefused() {
    assertThat(ShedLockNames.encode("x".repeat(252))).hasSize(255);
    assertThat(ShedLockNames.encode("\u00e4".repeat(42))).hasSize(3 + 42 * 6);
    for (String tooLong : List.of("x".repeat(253), ".".repeat(85))) {
      assertThatThrownBy(() -> ShedLockNames.encode(tooLong))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("255");
    }
  }

  @Test
  void decodeRefusesWhatEncodeNeverMakes() {
    for (String bad : List.of("job", "sl-_", "sl-_4", "sl-_ZZ")) {
      assertThatThrownBy(() -> ShedLockNames.decode(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
