package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.nodb.NoDbException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.store.LockedScope;
import io.nodb.store.NoDbCorruptFileException;
import io.nodb.store.NoDbStaleWriteException;
import io.nodb.store.NoDbStore;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.controllers.CounterState;
import io.nodb.testing.redis.RunIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the envelope reader and the fenced writer with mutated controller files: truncated,
 * spliced with random bytes, bytes flipped, keys duplicated (in the header and in the state),
 * documents concatenated or followed by garbage, re-encoded (UTF-16, byte order marks), numbers out
 * of range, and files over the store's size limit. The invariant, for every file: reading it gives
 * a valid state or a typed {@link NoDbException} (never another exception, never a hang or an
 * {@code OutOfMemoryError}), and the bytes on disk never change unless a valid locked mutation
 * committed — in which case the result is itself a valid file holding the mutation. The lock is
 * free after every try.
 */
class EnvelopeFuzzTest {

  private static final long MAX_FILE = 16 * 1024;
  private static Path root;

  @BeforeContainer
  static void makeRoot() throws IOException {
    root = Files.createTempDirectory("nodb-fuzz");
  }

  @AfterContainer
  static void removeRoot() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One way to damage a file. */
  sealed interface Mutation {
    byte[] apply(byte[] in);
  }

  record Truncate(double at) implements Mutation {
    public byte[] apply(byte[] in) {
      return Arrays.copyOf(in, (int) (in.length * at));
    }
  }

  record Insert(double at, byte[] bytes) implements Mutation {
    public byte[] apply(byte[] in) {
      int i = (int) (in.length * at);
      byte[] out = new byte[in.length + bytes.length];
      System.arraycopy(in, 0, out, 0, i);
      System.arraycopy(bytes, 0, out, i, bytes.length);
      System.arraycopy(in, i, out, i + bytes.length, in.length - i);
      return out;
    }
  }

  record Flip(double at, int mask) implements Mutation {
    public byte[] apply(byte[] in) {
      byte[] out = in.clone();
      if (out.length > 0) {
        int i = Math.min(out.length - 1, (int) (out.length * at));
        out[i] = (byte) (out[i] ^ mask);
      }
      return out;
    }
  }

  /** Replaces the first occurrence of a text (a key with its value, a header field, …). */
  record Replace(String what, String with) implements Mutation {
    public byte[] apply(byte[] in) {
      String s = new String(in, StandardCharsets.UTF_8);
      return s.replaceFirst(
              java.util.regex.Pattern.quote(what), java.util.regex.Matcher.quoteReplacement(with))
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  record Append(String tail) implements Mutation {
    public byte[] apply(byte[] in) {
      byte[] t = tail.getBytes(StandardCharsets.UTF_8);
      byte[] out = Arrays.copyOf(in, in.length + t.length);
      System.arraycopy(t, 0, out, in.length, t.length);
      return out;
    }
  }

  record Concatenate() implements Mutation {
    public byte[] apply(byte[] in) {
      byte[] out = Arrays.copyOf(in, in.length * 2);
      System.arraycopy(in, 0, out, in.length, in.length);
      return out;
    }
  }

  record Reencode(String charset) implements Mutation {
    public byte[] apply(byte[] in) {
      String s = new String(in, StandardCharsets.UTF_8);
      return switch (charset) {
        case "BOM" -> ("\ufeff" + s).getBytes(StandardCharsets.UTF_8);
        default -> s.getBytes(java.nio.charset.Charset.forName(charset));
      };
    }
  }

  /** Pads the state with a field so the file passes the store's size limit (or nearly). */
  record Oversize(int bytes) implements Mutation {
    public byte[] apply(byte[] in) {
      return new Replace("\"state\":{", "\"state\":{\"pad\":\"" + "p".repeat(bytes) + "\",")
          .apply(in);
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
    Arbitrary<Mutation> one =
        Arbitraries.oneOf(
            at.map(Truncate::new),
            Combinators.combine(
                    at, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
                .as(Insert::new),
            Combinators.combine(at, Arbitraries.integers().between(1, 255)).as(Flip::new),
            Arbitraries.of(
                new Replace("\"count\":", "\"count\":7,\"count\":"),
                new Replace("\"version\":", "\"version\":9,\"version\":"),
                new Replace("\"fence\":", "\"fence\":9,\"fence\":"),
                new Replace("\"nodb\":{", "\"nodb\":{\"type\":\"counter\","),
                new Replace("\"state\":{", "\"state\":{\"label\":\"x\","),
                new Replace("\"state\":", "\"state\":{},\"state\":"),
                new Replace("{\"nodb\":", "{\"nodb\":{\"format\":1},\"nodb\":"),
                new Replace("\"fence\":", "\"fence\":9223372036854775807,\"x\":"),
                new Replace("\"version\":", "\"version\":1e400,\"x\":"),
                new Replace("\"version\":", "\"version\":-1,\"x\":"),
                new Replace("\"fence\":", "\"fence\":9007199254740992,\"x\":"),
                new Replace("\"lineage\":\"", "\"lineage\":\"g"),
                new Replace("\"format\":1", "\"format\":2"),
                new Replace("\"type\":\"counter\"", "\"type\":\"climate\""),
                new Replace("\"notes\":[", "\"notes\":[{\"a\":1,\"a\":2},"),
                new Replace("\"count\":", "\"count\":\"many\",\"x\":"),
                new Replace("\"label\":\"", "\"label\":\"\\ud800"),
                new Append("garbage"),
                new Append(" {}"),
                new Append("\n\n  \t"),
                new Concatenate(),
                new Reencode("UTF-16LE"),
                new Reencode("UTF-16BE"),
                new Reencode("UTF-32"),
                new Reencode("BOM")),
            Arbitraries.integers().between(100, (int) MAX_FILE + 100).map(Oversize::new));
    return one.list().ofMinSize(1).ofMaxSize(3);
  }

  private record World(NoDbStore store, LockClient client, Path run, Counter cached, byte[] valid)
      implements AutoCloseable {
    @Override
    public void close() {
      store.close();
      client.close();
    }
  }

  private static World world() {
    LockClient client = LockClient.builder().local(root).build();
    NoDbStore store =
        NoDbStore.builder()
            .lockClient(client)
            .lockWait(Duration.ofSeconds(10))
            .maxFileSize(MAX_FILE)
            .build();
    Path run = root.resolve(RunIds.unique("fuzz"));
    store.create(
        Counter.class,
        run,
        s -> {
          s.count = 5;
          s.label = "fuzz é ✓";
          s.notes.add("a");
          s.notes.add("b");
        });
    Counter cached = store.getInstance(Counter.class, run);
    try {
      return new World(store, client, run, cached, Files.readAllBytes(cached.file()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Optional<CounterState> freshRead(World w) {
    LockClient client = LockClient.builder().local(root).build();
    try (NoDbStore other = NoDbStore.builder().lockClient(client).maxFileSize(MAX_FILE).build()) {
      Throwable t = catchThrowable(() -> other.getInstance(Counter.class, w.run()));
      if (t == null) {
        return Optional.of(other.getInstance(Counter.class, w.run()).snapshot());
      }
      assertThat(t).as("a typed error").isInstanceOf(NoDbException.class);
      assertThat(t.getMessage()).contains("counter.nodb");
      return Optional.empty();
    } finally {
      client.close();
    }
  }

  private static void assertLockFree(World w) {
    Optional<LockHandle> h = w.store().locks(w.run()).tryAcquire(w.cached().lockKey());
    assertThat(h).as("lock free after the try").isPresent();
    h.get().close();
  }

  @Property(tries = 200)
  void aMutatedFileIsReadValidOrTypedAndNeverChangedUnlessAValidMutationCommitted(
      @ForAll("mutations") List<Mutation> mutations) throws IOException {
    try (World w = world()) {
      byte[] bytes = w.valid();
      for (Mutation m : mutations) {
        bytes = m.apply(bytes);
      }
      Path file = w.cached().file();
      Files.write(file, bytes);

      Optional<CounterState> read = freshRead(w);
      Throwable mutation = catchThrowable(() -> w.cached().increment());

      if (mutation == null) {
        assertThat(read).as("a mutation committed only over a valid file").isPresent();
        Optional<CounterState> after = freshRead(w);
        assertThat(after).as("the committed file is valid").isPresent();
        assertThat(after.get().count).isEqualTo(read.get().count + 1);
        assertThat(after.get().notes).isEqualTo(read.get().notes);
      } else {
        assertThat(mutation).isInstanceOf(NoDbException.class);
        assertThat(Files.readAllBytes(file)).as("the bytes on disk").isEqualTo(bytes);
        if (read.isEmpty()) {
          assertThat(mutation).isInstanceOf(NoDbCorruptFileException.class);
        }
      }
      assertThat(Files.exists(file.resolveSibling(".counter.nodb.tmp"))).isFalse();
      assertLockFree(w);
    }
  }

  @Property(tries = 100)
  void aFileReplacedDuringAMutationIsNeverOverwritten(@ForAll("mutations") List<Mutation> mutations)
      throws IOException {
    try (World w = world()) {
      byte[] bytes = w.valid();
      for (Mutation m : mutations) {
        bytes = m.apply(bytes);
      }
      Path file = w.cached().file();
      Throwable commit;
      try (LockedScope<CounterState> scope = w.cached().lock()) {
        scope.state().count = -1;
        Path replacement = file.resolveSibling("replacement");
        Files.write(replacement, bytes);
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        commit = catchThrowable(scope::commit);
      }
      assertThat(commit)
          .isInstanceOfAny(
              NoDbStaleWriteException.class,
              NoDbCorruptFileException.class,
              io.nodb.store.NoDbFencedWriteException.class);
      assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
      assertLockFree(w);
    }
  }
}
