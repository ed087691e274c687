package io.nodb.lock.internal;

import io.nodb.lock.LockDomain;
import io.nodb.lock.LockDomainException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The run's lock-domain record, {@code <run>/.nodb-domain}: a few {@code key=value} lines saying
 * which lock backend every process must use for the run, since when and who recorded it. Written
 * once, atomically and without ever replacing an existing record (a hard link of a complete temp
 * file), except by an explicit {@linkplain #replace move}. Never read or written through a link;
 * only a regular file of at most {@value #MAX_BYTES} bytes is read. Stateless and thread-safe.
 */
public final class RunDomainFile {

  /** The record's file name in the run directory. */
  public static final String NAME = ".nodb-domain";

  static final int MAX_BYTES = 4096;
  private static final Pattern DEPLOYMENT = Pattern.compile("[0-9a-f]{32}");

  private RunDomainFile() {}

  /**
   * A record as read.
   *
   * @param domain the recorded domain
   * @param since when it was recorded
   * @param by who recorded it ({@code host:pid})
   * @param fields every field of the file, in order (moves add {@code moved-*} fields)
   */
  public record Record(LockDomain domain, Instant since, String by, Map<String, String> fields) {}

  /**
   * Returns the record's path in a run directory.
   *
   * @param runDir the run directory
   * @return {@code <runDir>/.nodb-domain}
   */
  public static Path path(Path runDir) {
    return runDir.resolve(NAME);
  }

  /**
   * Reads the record of a run.
   *
   * @param runDir the run directory
   * @return the record; empty if there is none
   * @throws LockDomainException if the record is a link, not a regular file, too big or malformed
   */
  public static Optional<Record> read(Path runDir) {
    Path file = path(runDir);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw unreadable(runDir, file, e.toString());
    }
    if (!attrs.isRegularFile()) {
      throw unreadable(
          runDir, file, attrs.isSymbolicLink() ? "it is a symbolic link" : "not a regular file");
    }
    if (attrs.size() > MAX_BYTES) {
      throw unreadable(runDir, file, attrs.size() + " bytes, more than " + MAX_BYTES);
    }
    byte[] bytes;
    try (InputStream in =
        Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw unreadable(runDir, file, e.toString());
    }
    if (bytes.length > MAX_BYTES) {
      throw unreadable(runDir, file, "more than " + MAX_BYTES + " bytes");
    }
    return Optional.of(parse(runDir, file, new String(bytes, StandardCharsets.UTF_8)));
  }

  static Record parse(Path runDir, Path file, String text) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String line : text.split("\n", -1)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw unreadable(runDir, file, "malformed line '" + shorten(l) + "'");
      }
      if (f.putIfAbsent(l.substring(0, eq), l.substring(eq + 1)) != null) {
        throw unreadable(runDir, file, "duplicate field " + l.substring(0, eq));
      }
    }
    String backend = f.get("backend");
    LockDomain domain;
    if ("local".equals(backend)) {
      domain = LockDomain.LOCAL;
    } else if ("redis".equals(backend)) {
      String deployment = f.get("deployment");
      if (deployment == null || !DEPLOYMENT.matcher(deployment).matches()) {
        throw unreadable(runDir, file, "redis without a deployment id of 32 hex digits");
      }
      domain = LockDomain.redis(deployment, f.getOrDefault("endpoint", "redis"));
    } else {
      throw unreadable(
          runDir,
          file,
          backend == null ? "no backend field" : "unknown backend '" + shorten(backend) + "'");
    }
    Instant since;
    try {
      since = Instant.parse(f.getOrDefault("since", "1970-01-01T00:00:00Z"));
    } catch (RuntimeException e) {
      throw unreadable(runDir, file, "bad since '" + shorten(f.get("since")) + "'");
    }
    return new Record(domain, since, f.getOrDefault("by", "?"), Map.copyOf(f));
  }

  /**
   * Records {@code domain} for a run that has no record yet. Two processes racing both succeed or
   * see the winner's record: the file appears complete or not at all (hard link of a temp file).
   *
   * @param runDir the run directory (must exist)
   * @param domain the domain
   * @param by who records it
   * @return the record now on disk (the winner's if another process was first)
   * @throws java.io.UncheckedIOException if the record cannot be written (read-only run, no
   *     permission, full disk)
   * @throws LockDomainException if the record cannot be read back
   */
  public static Record recordIfAbsent(Path runDir, LockDomain domain, String by) {
    Path file = path(runDir);
    Path temp = tempFile(runDir);
    try {
      writeTemp(temp, format(domain, Instant.now(), by, Map.of()));
      try {
        Files.createLink(file, temp); // atomic, never replaces, never follows a link at file
      } catch (FileAlreadyExistsException raced) {
        // another process recorded first: its record is read back below
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temp);
    }
    return read(runDir)
        .orElseThrow(() -> unreadable(runDir, file, "it vanished right after it was written"));
  }

  /**
   * Replaces the record of a run with {@code domain}, keeping the old fields as {@code
   * moved-from-*} with the reason and actor: the explicit, audited move of a run between domains.
   *
   * @param runDir the run directory
   * @param domain the new domain
   * @param by who moves it
   * @param reason why
   * @return the new record
   * @throws LockDomainException if the record cannot be written
   */
  public static Record replace(Path runDir, LockDomain domain, String by, String reason) {
    Path file = path(runDir);
    Optional<Record> old = read(runDir);
    Map<String, String> extra = new LinkedHashMap<>();
    old.ifPresent(
        r -> {
          extra.put("moved-from", r.domain().describe());
          extra.put("moved-from-since", r.since().toString());
        });
    extra.put("moved-at", Instant.now().toString());
    extra.put("moved-by", by);
    extra.put("moved-reason", reason.replace('\n', ' '));
    Path temp = tempFile(runDir);
    try {
      writeTemp(temp, format(domain, Instant.now(), by, extra));
      Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw unreadable(runDir, file, "cannot write it: " + e);
    } finally {
      deleteQuietly(temp);
    }
    return read(runDir).orElseThrow(() -> unreadable(runDir, file, "it vanished after the move"));
  }

  static String format(LockDomain domain, Instant since, String by, Map<String, String> extra) {
    StringBuilder b = new StringBuilder();
    b.append("# nodb: the lock domain of this run. Every process must lock it there;")
        .append(" move it only with 'nodb domain'.\n");
    b.append("backend=").append(domain.backend() == LockDomain.Backend.LOCAL ? "local" : "redis");
    b.append('\n');
    if (domain.deployment() != null) {
      b.append("deployment=").append(domain.deployment()).append('\n');
    }
    b.append("endpoint=").append(oneLine(domain.endpoint())).append('\n');
    b.append("since=").append(since).append('\n');
    b.append("by=").append(oneLine(by)).append('\n');
    extra.forEach((k, v) -> b.append(k).append('=').append(oneLine(v)).append('\n'));
    return b.toString();
  }

  private static Path tempFile(Path runDir) {
    return runDir.resolve(
        NAME + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
  }

  private static void writeTemp(Path temp, String text) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      LockLog.warn("cannot delete the temporary domain record " + temp + ": " + e);
    }
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }

  private static String shorten(String s) {
    return s == null ? "null" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static LockDomainException unreadable(Path runDir, Path file, String why) {
    return new LockDomainException(
        "cannot use the lock-domain record "
            + file
            + ": "
            + why
            + "; nothing was locked. Fix or remove it (it names the lock backend of the run;"
            + " 'nodb domain' shows and moves it)",
        runDir,
        null,
        null);
  }
}
