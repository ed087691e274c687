package io.nodb.examples;

import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.core.LockAssert;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

@Component
class InvoiceExport {
  private final AtomicInteger exports = new AtomicInteger();

  @Scheduled(cron = "0 0 * * * *")
  @SchedulerLock(name = "invoice-export", lockAtMostFor = "PT30M", lockAtLeastFor = "PT1M")
  void run() {
    LockAssert.assertLocked();
    exportInvoices();
  }

  void exportInvoices() {
    exports.incrementAndGet();
  }

  int exports() {
    return exports.get();
  }
}
