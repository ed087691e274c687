package io.nodb.lock.internal.redis;

import io.nodb.lock.Ticker;
import io.nodb.lock.internal.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics carried on one Redis pub/sub channel, for the threads of one process: every message on the
 * channel is {@code <topic>|<body>} and is handed to the handlers registered for its topic. The
 * process holds one dedicated connection subscribed to the channel, opened at the first
 * registration and kept while it works, so registering a handler costs no round trip, and while the
 * connection works no message published after {@link #register} returns is missed.
 *
 * <p>The connection is watched. When it breaks (server restart, network, {@link #close()}), every
 * handler's {@link Handler#onLost()} is called and nothing more reaches it; the next registration
 * opens a new connection, but not sooner than {@code retryAfter} after a failure (until then it
 * returns empty at once). A registration after the connection was silent for {@code checkAfterIdle}
 * first proves it alive with a ping; a ping that is not answered within the caller's time limit, or
 * a connection that is not subscribed within its open timeout (a paused server, a dead peer), ends
 * the connection. A connection that died without a sign within the idle window is noticed only by
 * the next ping: its handlers wait for nothing until then, which users must bound themselves (the
 * single-flight re-checks its lock at the holder's TTL). The first failure after a working
 * connection is logged at WARN with its cause, later ones at DEBUG.
 *
 * <p>Thread-safe. Handlers run on the connection's reader thread and must return quickly; one that
 * throws is logged and does not disturb the others.
 */
public final class RedisTopics implements Topics {

  private static final Logger LOG = LoggerFactory.getLogger(RedisTopics.class);

  private final RedisConnection redis;
  private final String channel;
  private final String threadName;
  private final Ticker ticker;
  private final long retryNanos;
  private final long checkAfterIdleNanos;
  private final long openNanos;
  private final Object guard = new Object();

  // guarded by guard
  private Session session;
  private boolean retryBlocked;
  private long retryAt;
  private boolean closed;
  private boolean failing;

  RedisTopics(
      RedisConnection redis,
      String channel,
      String threadName,
      Ticker ticker,
      Duration retryAfter,
      Duration checkAfterIdle) {
    this.redis = redis;
    this.channel = channel;
    this.threadName = threadName;
    this.ticker = ticker;
    this.retryNanos = retryAfter.toNanos();
    this.checkAfterIdleNanos = checkAfterIdle.toNanos();
    this.openNanos = redis.openTimeout().toNanos();
  }

  /**
   * Registers {@code handler} for {@code topic}, once the connection is known to work.
   *
   * @param topic the topic (without {@link #SEPARATOR})
   * @param handler receives the topic's messages, then possibly one {@code onLost}
   * @param within how long this caller waits for the connection (and a ping, after an idle spell)
   * @return the registration, or empty if there is no working connection now (the handler is then
   *     not registered and is never called)
   * @throws InterruptedException if interrupted while waiting (nothing is registered)
   * @throws IllegalArgumentException if the topic contains the separator
   */
  @Override
  public Optional<Registration> register(String topic, Handler handler, Duration within)
      throws InterruptedException {
    if (topic.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("topic '" + topic + "' contains '" + SEPARATOR + "'");
    }
    Objects.requireNonNull(handler, "handler");
    long deadline = ticker.read() + within.toNanos();
    Session s = session();
    if (s == null || !s.awaitReady(deadline) || !s.provenAlive(deadline)) {
      return Optional.empty();
    }
    synchronized (guard) {
      if (s.over || s.endRequested) {
        return Optional.empty();
      }
      s.handlers.computeIfAbsent(topic, t -> new ArrayList<>(1)).add(handler);
    }
    return Optional.of(new TopicRegistration(s, topic, handler));
  }

  /** Returns the current session, starting one if allowed; null while a retry is not yet due. */
  private Session session() {
    synchronized (guard) {
      if (closed) {
        return null;
      }
      if (session != null) {
        return session;
      }
      if (retryBlocked && ticker.read() - retryAt < 0) {
        return null;
      }
      Session s = new Session();
      Thread t = new Thread(s, threadName);
      t.setDaemon(true);
      t.start(); // may throw (no threads left); then no session is recorded
      session = s;
      return s;
    }
  }

  @Override
  public void close() {
    Session s;
    synchronized (guard) {
      closed = true;
      s = session;
    }
    if (s != null) {
      s.end(false);
    }
  }

  /** One connection: its reader thread, its handlers, and the end of it. */
  private final class Session implements Runnable, PubSubSink {
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final long openBy = ticker.read() + openNanos;
    volatile long lastHeard = ticker.read();
    // guarded by guard:
    final Map<String, List<Handler>> handlers = new HashMap<>();
    PubSubCommands commands;
    CompletableFuture<Void> pendingPong;
    boolean over;
    boolean endRequested;
    boolean unhealthy;
    RuntimeException cause;

    @Override
    public void run() {
      try {
        redis.listen(channel, this);
      } catch (RuntimeException e) {
        synchronized (guard) {
          if (!endRequested) { // a break nobody asked for
            unhealthy = true;
            cause = e;
          }
        }
      } finally {
        finish();
      }
    }

    @Override
    public void opened(PubSubCommands c) {
      boolean endNow;
      synchronized (guard) {
        commands = c;
        endNow = endRequested;
      }
      if (endNow) {
        c.disconnect();
      }
    }

    @Override
    public void subscribed(String ch) {
      lastHeard = ticker.read();
      synchronized (guard) {
        failing = false;
      }
      ready.complete(null);
    }

    @Override
    public void pong() {
      lastHeard = ticker.read();
      CompletableFuture<Void> p;
      synchronized (guard) {
        p = pendingPong;
        pendingPong = null;
      }
      if (p != null) {
        p.complete(null);
      }
    }

    @Override
    public void message(String ch, String message) {
      lastHeard = ticker.read();
      int bar = message.indexOf(SEPARATOR);
      if (bar < 0) {
        return;
      }
      List<Handler> targets;
      synchronized (guard) {
        List<Handler> registered = handlers.get(message.substring(0, bar));
        if (registered == null) {
          return;
        }
        targets = List.copyOf(registered);
      }
      String body = message.substring(bar + 1);
      for (Handler h : targets) {
        try {
          h.onMessage(body);
        } catch (RuntimeException e) {
          // one broken handler must not end the connection every other handler relies on
          LOG.warn("[LOCK] a handler of channel {} failed on a message", channel, e);
        }
      }
    }

    /**
     * Waits until the connection is subscribed or the caller's deadline passes; a connection not
     * subscribed within its own open timeout is ended (one slow caller does not end it sooner).
     */
    boolean awaitReady(long deadline) throws InterruptedException {
      if (await(ready, Math.min(deadline, openBy))) {
        return true;
      }
      if (!ready.isDone() && ticker.read() - openBy >= 0) {
        end(true);
      }
      return false;
    }

    /** True if the server was heard from lately, or answers a ping before the deadline. */
    boolean provenAlive(long deadline) throws InterruptedException {
      if (ticker.read() - lastHeard < checkAfterIdleNanos) {
        return true;
      }
      CompletableFuture<Void> pong;
      boolean send = false;
      synchronized (guard) {
        if (over || endRequested) {
          return false;
        }
        pong = pendingPong;
        if (pong == null) {
          pong = new CompletableFuture<>();
          pendingPong = pong;
          send = true;
        }
      }
      if (send) {
        try {
          commands.sendPing();
        } catch (RuntimeException broken) {
          end(true); // the reader thread sees the break and finishes the session
          return false;
        }
      }
      if (await(pong, deadline)) {
        return true;
      }
      if (!pong.isDone()) {
        end(true); // a connection that does not answer in time cannot be trusted to deliver
      }
      return false;
    }

    /** Waits for a future of this session until the deadline. */
    private boolean await(CompletableFuture<Void> f, long deadline) throws InterruptedException {
      try {
        f.get(Math.max(0, deadline - ticker.read()), TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException slow) {
        return false;
      } catch (ExecutionException ended) {
        return false;
      }
    }

    /**
     * Asks the connection to end; the reader thread then finishes the session. Ending it for being
     * unhealthy delays the next session by the retry time.
     */
    void end(boolean isUnhealthy) {
      PubSubCommands c;
      synchronized (guard) {
        endRequested = true;
        unhealthy |= isUnhealthy;
        c = commands;
      }
      if (c != null) {
        c.disconnect();
      }
    }

    /** Runs once on the reader thread when the connection has ended. */
    private void finish() {
      List<Handler> lost = new ArrayList<>();
      CompletableFuture<Void> p;
      boolean warn;
      synchronized (guard) {
        over = true;
        if (session == this) {
          session = null;
        }
        warn = unhealthy && !failing && !closed;
        if (unhealthy) {
          failing = true;
          retryBlocked = true;
          retryAt = ticker.read() + retryNanos;
        }
        handlers.values().forEach(lost::addAll);
        handlers.clear();
        p = pendingPong;
        pendingPong = null;
      }
      if (warn) {
        LOG.warn(
            "[LOCK] pub/sub connection for channel {} failed; notices are not received until it"
                + " is reopened (not sooner than {} ms): {}",
            channel,
            TimeUnit.NANOSECONDS.toMillis(retryNanos),
            cause == null ? "no answer in time" : cause.toString());
      } else if (unhealthy) {
        LOG.debug("[LOCK] pub/sub connection for channel {} failed again", channel, cause);
      }
      IllegalStateException gone = new IllegalStateException("pub/sub connection ended");
      ready.completeExceptionally(gone);
      if (p != null) {
        p.completeExceptionally(gone);
      }
      for (Handler h : lost) {
        try {
          h.onLost();
        } catch (RuntimeException e) {
          LOG.warn("[LOCK] a handler of channel {} failed on losing the connection", channel, e);
        }
      }
    }
  }

  /** A handler's place under a topic; closing removes it, and the topic when it was the last. */
  private final class TopicRegistration implements Registration {
    private final Session session;
    private final String topic;
    private final Handler handler;
    private boolean closed; // guarded by guard

    TopicRegistration(Session session, String topic, Handler handler) {
      this.session = session;
      this.topic = topic;
      this.handler = handler;
    }

    @Override
    public void close() {
      synchronized (guard) {
        if (closed) {
          return;
        }
        closed = true;
        List<Handler> registered = session.handlers.get(topic);
        if (registered != null && registered.remove(handler) && registered.isEmpty()) {
          session.handlers.remove(topic);
        }
      }
    }
  }
}
