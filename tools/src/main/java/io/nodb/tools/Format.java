package io.nodb.tools;

import io.nodb.lock.LockInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Human formatting of durations, instants and lock owners for the text output. Stateless. */
final class Format {

  private Format() {}

  /** Formats a duration as {@code 850 ms}, {@code 12.3 s}, {@code 4 m 05 s} or {@code 2 h 03 m}. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d m %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d m", s / 3600, (s % 3600) / 60);
  }

  /**
   * Formats a duration without spaces for narrow columns: {@code 850ms}, {@code 12.3s}, {@code
   * 4m05s}.
   */
  static String compact(Duration d) {
    return duration(d).replace(" ", "");
  }

  /** Formats an instant as ISO-8601 UTC, to the second. */
  static String instant(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Formats a recorded write time to the second ({@code 2025-05-01T10:15:30Z}); a value that is not
   * an ISO-8601 instant is shown as recorded.
   */
  static String writtenAt(String recorded) {
    if (recorded == null) {
      return null;
    }
    try {
      return instant(Instant.parse(recorded));
    } catch (DateTimeParseException e) {
      return recorded;
    }
  }

  /**
   * Formats how long ago a recorded write time was: {@code 12 s ago}, {@code 5 m ago}, {@code 3 h
   * ago}, {@code 4 d ago}; {@code future} for a time after {@code now} by more than a second (clock
   * skew between hosts); a value that is not an ISO-8601 instant is shown as recorded.
   */
  static String age(String recorded, Instant now) {
    if (recorded == null) {
      return null;
    }
    Instant at;
    try {
      at = Instant.parse(recorded);
    } catch (DateTimeParseException e) {
      return recorded;
    }
    long s = Duration.between(at, now).getSeconds();
    if (s < -1) {
      return "future";
    }
    s = Math.max(0, s);
    if (s < 60) {
      return s + " s ago";
    }
    if (s < 3600) {
      return s / 60 + " m ago";
    }
    if (s < 48 * 3600) {
      return s / 3600 + " h ago";
    }
    return s / 86400 + " d ago";
  }

  /** Returns {@code host:pid 'thread'}. */
  static String owner(LockInfo info) {
    return info.host() + ":" + info.pid() + " '" + info.thread() + "'";
  }

  /** Returns the owner, fence, held-for and TTL left of a holder, in one line. */
  static String ownerLine(LockInfo info, Instant now) {
    return owner(info)
        + ", fence "
        + info.fence()
        + ", held for "
        + duration(info.heldFor(now))
        + ", TTL left "
        + duration(info.ttlLeft());
  }
}
