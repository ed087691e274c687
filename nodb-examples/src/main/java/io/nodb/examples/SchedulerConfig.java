package io.nodb.examples;

import io.nodb.lock.LockClient;
import io.nodb.shedlock.NodbLockProvider;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "PT10M")
class SchedulerConfig {

  @Bean(destroyMethod = "close")
  LockClient nodbLocks(@Value("${nodb.redis-url}") String redisUrl) {
    return LockClient.builder().redis(redisUrl).build(); // or .local(runsRoot) on one host
  }

  @Bean
  LockProvider lockProvider(LockClient nodbLocks) {
    return NodbLockProvider.create(nodbLocks, "billing"); // locks in namespace shedlock:billing
  }
}
