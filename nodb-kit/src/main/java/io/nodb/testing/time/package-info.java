/**
 * Fake time for tests of code that uses nodb: {@link io.nodb.testing.time.FakeTime} is a ticker, a
 * wall clock and a lock scheduler on one time line that only the test moves. JUnit-free.
 */
package io.nodb.testing.time;
