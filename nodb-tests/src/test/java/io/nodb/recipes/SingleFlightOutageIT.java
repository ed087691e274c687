package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single-flight when Redis stops: each of three JVMs falls back to calling the loader at most once
 * per key, logs the outage once, and cross-process deduplication resumes when Redis is back.
 */
@ExtendWith(RedisExtension.class)
@DedicatedRedis
class SingleFlightOutageIT {

  @TempDir Path logs;

  @Test
  void redisStoppedMeansOneLoaderCallPerJvmAndRedisBackResumesDedup(TestRedis redis)
      throws Exception {
    try (WorkerJvms jvms =
        WorkerJvms.start(3, logs, "flight", redis.url(), "outage", "10", "5000", "300")) {
      FlightRounds.Round up = FlightRounds.run(jvms, "up", "k0", 200, "ok", 4, 3, 3);
      assertThat(up.calls()).isEqualTo(1);

      redis.stop();
      FlightRounds.Round down = FlightRounds.run(jvms, "down", "k1", 200, "ok", 4, 3, 3);
      assertThat(down.callsPerWorker()).containsExactly(1, 1, 1);
      assertThat(down.values()).hasSize(10);
      for (WorkerJvms.Worker w : jvms.all()) {
        assertThat(countOf(w.log(), "Redis is unavailable; degrading")).isEqualTo(1);
      }

      redis.start();
      // The first calls after the restart may meet pooled connections that died with the server
      // (each such failure degrades once more); within a few rounds dedup must be back.
      List<Integer> callsPerRound = new ArrayList<>();
      for (int i = 0; i < 5 && !callsPerRound.contains(1); i++) {
        FlightRounds.Round back =
            FlightRounds.run(jvms, "back" + i, "k-back" + i, 200, "ok", 4, 3, 3);
        assertThat(back.values()).hasSize(10);
        assertThat(back.callsPerWorker()).allMatch(c -> c <= 1);
        callsPerRound.add(back.calls());
      }
      assertThat(callsPerRound).contains(1);
      for (WorkerJvms.Worker w : jvms.all()) {
        assertThat(w.log()).contains("Redis answers again; cross-process coordination resumed");
      }
    }
  }

  private static int countOf(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
