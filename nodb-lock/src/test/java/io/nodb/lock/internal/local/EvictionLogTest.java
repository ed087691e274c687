package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LossReason;
import org.junit.jupiter.api.Test;

class EvictionLogTest {

  @Test
  void remembersTheReasonOfAnEvictedTokenUntilTheRetentionEnds() {
    EvictionLog log = EvictionLog.empty().with("t", LossReason.CLEARED, 1_000);

    assertThat(log.reasonFor("t", 1_000)).contains(LossReason.CLEARED);
    assertThat(log.reasonFor("other", 1_000)).isEmpty();
    assertThat(log.reasonFor("t", 1_000 + EvictionLog.RETENTION_MILLIS - 1))
        .contains(LossReason.CLEARED);
    assertThat(log.reasonFor("t", 1_000 + EvictionLog.RETENTION_MILLIS)).isEmpty();
    assertThat(log.pruned(1_000 + EvictionLog.RETENTION_MILLIS).entries()).isEmpty();
  }

  @Test
  void keepsOnlyTheNewestEntries() {
    EvictionLog log = EvictionLog.empty();
    for (int i = 0; i <= EvictionLog.MAX_ENTRIES; i++) {
      log = log.with("t" + i, LossReason.FORCED, i);
    }

    assertThat(log.entries()).hasSize(EvictionLog.MAX_ENTRIES);
    assertThat(log.reasonFor("t0", 100)).isEmpty();
    assertThat(log.reasonFor("t1", 100)).contains(LossReason.FORCED);
    assertThat(log.reasonFor("t" + EvictionLog.MAX_ENTRIES, 100)).contains(LossReason.FORCED);
  }
}
