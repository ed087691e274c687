package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.TestThreads;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;
import redis.clients.jedis.Jedis;

/**
 * Topics on one pub/sub channel against a real Redis: delivery by topic from the moment of
 * registration, and what a restarted, paused or closed connection does to handlers.
 */
@ExtendWith(RedisExtension.class)
class RedisTopicsIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final Duration WITHIN = Duration.ofSeconds(2);
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  /** Records what a handler receives. */
  private static final class Recorder implements RedisTopics.Handler {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CountDownLatch lost = new CountDownLatch(1);

    @Override
    public void onMessage(String body) {
      messages.add(body);
    }

    @Override
    public void onLost() {
      lost.countDown();
    }

    String next() throws InterruptedException {
      String m = messages.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("a message within 10 s").isNotNull();
      return m;
    }

    boolean isLost() throws InterruptedException {
      return lost.await(10, TimeUnit.SECONDS);
    }
  }

  private static RedisKeyValue keyValue(TestRedis redis, Duration timeout) {
    return new RedisKeyValue(redis.url(), timeout, timeout, 4);
  }

  private static String channel() {
    return "nodb-test-topics:{" + RunIds.unique("topics") + "}";
  }

  private static RedisTopics.Registration register(
      RedisTopics topics, String topic, RedisTopics.Handler h) throws InterruptedException {
    return topics.register(topic, h, WITHIN).orElseThrow();
  }

  @Test
  void aMessagePublishedAfterRegisteringReachesTheHandlersOfItsTopicOnly(TestRedis redis)
      throws Exception {
    String channel = channel();
    try (RedisKeyValue kv = keyValue(redis, WITHIN);
        RedisTopics topics =
            kv.topics(channel, "topics-it", Duration.ofSeconds(1), Duration.ofSeconds(5))) {
      Recorder first = new Recorder();
      Recorder second = new Recorder();
      Recorder other = new Recorder();
      RedisTopics.Registration firstReg = register(topics, "a", first);
      register(topics, "a", second);
      register(topics, "b", other);

      kv.publish(channel, "a|hello|with bars");
      kv.publish(channel, "b|marker");
      kv.publish(channel, "no separator at all");

      assertThat(first.next()).isEqualTo("hello|with bars");
      assertThat(second.next()).isEqualTo("hello|with bars");
      assertThat(other.next()).as("topic b saw nothing of topic a").isEqualTo("marker");

      firstReg.close();
      firstReg.close(); // idempotent
      kv.publish(channel, "a|again");
      assertThat(second.next()).isEqualTo("again");
      assertThat(first.messages).as("nothing after close").isEmpty();
    }
  }

  @Test
  void aSilenceLongerThanTheReadTimeoutDoesNotEndTheConnection(TestRedis redis) throws Exception {
    String channel = channel();
    try (RedisKeyValue kv = keyValue(redis, Duration.ofMillis(200));
        RedisTopics topics =
            kv.topics(channel, "topics-it", Duration.ofSeconds(1), Duration.ofSeconds(5))) {
      Recorder h = new Recorder();
      register(topics, "t", h);
      // three read timeouts without a message: the subscriber must still be listening
      await()
          .during(Duration.ofMillis(600))
          .atMost(Duration.ofSeconds(2))
          .until(() -> h.lost.getCount() == 1);
      kv.publish(channel, "t|still here");
      assertThat(h.next()).isEqualTo("still here");
    }
  }

  @Test
  void aHandlerThatThrowsDoesNotEndTheConnectionForTheOthers(TestRedis redis) throws Exception {
    String channel = channel();
    try (RedisKeyValue kv = keyValue(redis, WITHIN);
        RedisTopics topics =
            kv.topics(channel, "topics-it", Duration.ofSeconds(1), Duration.ofSeconds(5))) {
      RedisTopics.Handler throwing =
          new RedisTopics.Handler() {
            @Override
            public void onMessage(String body) {
              throw new IllegalStateException("broken handler");
            }

            @Override
            public void onLost() {
              // this handler only ever throws
            }
          };
      Recorder healthy = new Recorder();
      register(topics, "t", throwing);
      register(topics, "t", healthy);
      kv.publish(channel, "t|one");
      kv.publish(channel, "t|two");
      assertThat(healthy.next()).isEqualTo("one");
      assertThat(healthy.next()).isEqualTo("two");
      assertThat(healthy.lost.getCount()).isEqualTo(1);
      assertThat(
              logs.expect(Level.WARN, "a handler of channel " + channel + " failed on a message")
                  .from(RedisTopics.class.getName())
                  .withThrowable(IllegalStateException.class)
                  .times(2)
                  .await())
          .allSatisfy(e -> assertThat(e.throwable()).hasMessage("broken handler"));
    }
  }

  @Test
  void closingTellsTheHandlersAndRefusesNewRegistrations(TestRedis redis) throws Exception {
    try (RedisKeyValue kv = keyValue(redis, WITHIN)) {
      RedisTopics topics =
          kv.topics(channel(), "topics-it", Duration.ofSeconds(1), Duration.ofSeconds(5));
      Recorder h = new Recorder();
      register(topics, "t", h);
      topics.close();
      assertThat(h.isLost()).isTrue();
      assertThat(topics.register("t", new Recorder(), WITHIN)).isEmpty();
    }
  }

  @Test
  @DedicatedRedis
  void closingWhileTheConnectionOpensLeavesNoSubscriberBehind(TestRedis redis) throws Exception {
    String channel = channel();
    String reader = "topics-it-" + RunIds.unique("t");
    try (RedisKeyValue kv = keyValue(redis, Duration.ofSeconds(5))) {
      RedisTopics topics = kv.topics(channel, reader, Duration.ofSeconds(1), Duration.ofSeconds(5));
      redis.pause(); // the connection is accepted, its handshake waits for the server
      CompletableFuture<Optional<RedisTopics.Registration>> registering;
      try {
        registering =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return topics.register("t", new Recorder(), Duration.ofSeconds(10));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                  }
                },
                TestThreads.PER_TASK);
        await()
            .atMost(TEN_SECONDS)
            .until(
                () ->
                    Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().equals(reader)));
        topics.close();
      } finally {
        redis.resume();
      }
      assertThat(registering.get(15, TimeUnit.SECONDS)).isEmpty();
      try (Jedis j = redis.connect(Duration.ofSeconds(2))) {
        await()
            .during(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(5))
            .until(() -> j.pubsubNumSub(channel).get(channel) == 0);
      }
    }
  }

  @Test
  @DedicatedRedis
  void aRestartedServerEndsTheHandlersAndALaterRegistrationReconnects(TestRedis redis)
      throws Exception {
    String channel = channel();
    try (RedisKeyValue kv = keyValue(redis, WITHIN);
        RedisTopics topics =
            kv.topics(channel, "topics-it", Duration.ofMillis(200), Duration.ofSeconds(5))) {
      Recorder before = new Recorder();
      register(topics, "t", before);
      redis.restart();
      assertThat(before.isLost()).as("told of the lost connection").isTrue();

      Recorder after = new Recorder();
      await().atMost(TEN_SECONDS).until(() -> topics.register("t", after, WITHIN).isPresent());
      kv.publish(channel, "t|after restart");
      assertThat(after.next()).isEqualTo("after restart");
      assertThat(before.messages).isEmpty();
      logs.expect(Level.WARN, "pub/sub connection for channel").from(RedisTopics.class.getName());
    }
  }

  @Test
  @DedicatedRedis
  void aPausedServerFailsARegistrationWithinItsTimeLimitAndIsUsedAgainAfterResume(TestRedis redis)
      throws Exception {
    String channel = channel();
    Duration timeout = Duration.ofMillis(300);
    try (RedisKeyValue kv = keyValue(redis, timeout);
        RedisTopics topics =
            // every registration proves the connection alive with a ping
            kv.topics(channel, "topics-it", Duration.ofMillis(200), Duration.ZERO)) {
      Recorder first = new Recorder();
      register(topics, "t", first);
      redis.pause();
      try {
        assertThat(topics.register("t", new Recorder(), timeout))
            .as("no pong from a paused server")
            .isEmpty();
        assertThat(first.isLost()).as("the silent connection was given up").isTrue();
      } finally {
        redis.resume();
      }
      Recorder later = new Recorder();
      await()
          .atMost(TEN_SECONDS)
          .until(() -> topics.register("t", later, Duration.ofSeconds(2)).isPresent());
      kv.publish(channel, "t|resumed");
      assertThat(later.next()).isEqualTo("resumed");
      logs.expect(Level.WARN, "pub/sub connection for channel").from(RedisTopics.class.getName());
    }
  }
}
