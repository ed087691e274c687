package io.nodb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockAdmin;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockNamespace;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The Spring configuration of docs/recipes.md runs as written: a {@code @SchedulerLock} method runs
 * under a nodb lock (LockAssert passes), a second firing within {@code lockAtLeastFor} is skipped,
 * and the lock is visible to nodb in the lock namespace {@code shedlock:billing}.
 */
@ExtendWith(RedisExtension.class)
class SchedulerConfigIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void theJobRunsOnceUnderANodbLockAndIsHeldAtLeastAMinute(TestRedis redis) {
    try (AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext()) {
      ctx.getEnvironment()
          .getPropertySources()
          .addFirst(new MapPropertySource("test", Map.of("nodb.redis-url", redis.url())));
      ctx.register(SchedulerConfig.class, InvoiceExport.class);
      ctx.refresh();
      InvoiceExport job = ctx.getBean(InvoiceExport.class);

      job.run();
      job.run(); // another firing within lockAtLeastFor: skipped

      assertThat(job.exports()).isEqualTo(1);
      try (LockClient operator = LockClient.builder().redis(redis.url()).build()) {
        LockAdmin admin = operator.admin();
        LockNamespace billing = LockNamespace.parse("shedlock:billing");
        assertThat(admin.locks(billing))
            .singleElement()
            .satisfies(info -> assertThat(info.key().name()).isEqualTo("sl-invoice-export"));
        admin.clearLocks(billing, "test cleanup");
        logs.expect(Level.WARN, "cleared run=shedlock:billing count=1 reason='test cleanup'")
            .from("io.nodb.lock")
            .times(1);
      }
    }
  }
}
