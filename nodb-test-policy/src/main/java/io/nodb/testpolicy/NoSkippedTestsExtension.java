package io.nodb.testpolicy;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * A JUnit Jupiter extension that turns an aborted test (a failed assumption) into a failure, so a
 * test can never be skipped silently in CI.
 *
 * <p>It is registered for every test of every module through the service loader and {@code
 * junit.jupiter.extensions.autodetection.enabled=true} in this module's {@code
 * junit-platform.properties}; the same file deactivates every execution condition, so
 * {@code @Disabled} tests run too.
 *
 * <p>Thread-safety: stateless; safe for parallel test execution.
 */
public final class NoSkippedTestsExtension
    implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw failIfAborted(context, throwable);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw failIfAborted(context, t);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw failIfAborted(context, t);
  }

  private static Throwable failIfAborted(ExtensionContext context, Throwable throwable) {
    if (throwable instanceof TestAbortedException) {
      return new AssertionError(
          "nodb does not allow skipped tests; "
              + context.getDisplayName()
              + " was aborted: "
              + throwable.getMessage(),
          throwable);
    }
    return throwable;
  }
}
