package io.nodb.bench;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/**
 * Diagnostic: two PINGs (the round-trip floor of any two-call lock pair), optionally with a timer
 * scheduled 10 s out before the first and cancelled between them, on a {@link
 * ScheduledThreadPoolExecutor} configured like nodb's watchdog (2 threads, remove on cancel). The
 * difference between the two variants is what arming and disarming a per-acquisition timer costs.
 */
final class DoublePingOp implements PairOp {

  private final RedisClient client;
  private final ScheduledThreadPoolExecutor timer;

  DoublePingOp(String url, boolean withTimer) {
    this.client = Clients.jedis(url);
    if (withTimer) {
      timer = new ScheduledThreadPoolExecutor(2);
      timer.setRemoveOnCancelPolicy(true);
    } else {
      timer = null;
    }
  }

  @Override
  public String label() {
    return timer == null ? "diag: 2 × PING" : "diag: 2 × PING + timer schedule/cancel";
  }

  @Override
  public void run() {
    ScheduledFuture<?> f = timer == null ? null : timer.schedule(() -> {}, 10, TimeUnit.SECONDS);
    client.ping();
    if (f != null) {
      f.cancel(false);
    }
    client.ping();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    client.close();
  }
}
