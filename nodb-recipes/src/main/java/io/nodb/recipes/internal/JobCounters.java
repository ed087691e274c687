package io.nodb.recipes.internal;

import java.util.concurrent.atomic.LongAdder;

/** The exclusive-job counters by outcome, exported to Micrometer when a registry is given. */
public final class JobCounters {

  /** Firings that ran the task successfully. */
  public final LongAdder ran = new LongAdder();

  /** Firings skipped because another instance held the job. */
  public final LongAdder skipped = new LongAdder();

  /** Firings whose task threw, or whose lock could not be taken because the backend failed. */
  public final LongAdder failed = new LongAdder();
}
