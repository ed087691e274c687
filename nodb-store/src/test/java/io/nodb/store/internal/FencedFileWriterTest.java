package io.nodb.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LossReason;
import io.nodb.store.NoDbStaleWriteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FencedFileWriterTest {

  private static final long MAX = 1 << 20;
  private final EnvelopeCodec codec = new EnvelopeCodec(new ObjectMapper());
  private final FencedFileWriter writer = new FencedFileWriter(codec);
  @TempDir Path run;

  private static byte[] file(long version, String lineage) {
    return ("{\"nodb\":{\"format\":1,\"type\":\"t\",\"version\":"
            + version
            + ",\"fence\":1,\"lineage\":\""
            + lineage
            + "\"},\"state\":{}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aBaseOfAnotherLineageIsRefusedEvenWhenTheSignatureMatches() throws IOException {
    Path target = run.resolve("t.nodb");
    Files.write(target, file(5, "a".repeat(32)));
    FileSignature sig = FileSignature.of(target).orElseThrow();
    // the base claims the same version of another history, with the signature of this file: what
    // an inode reused within one timestamp tick would look like
    EnvelopeHeader otherHistory = codec.parseHeader(target, file(5, "b".repeat(32)));

    assertThatThrownBy(
            () ->
                writer.write(
                    run, target, file(6, "b".repeat(32)), otherHistory, sig, 2, MAX, () -> {}))
        .isInstanceOf(NoDbStaleWriteException.class)
        .hasMessageContaining("lineage");
    assertThat(Files.readAllBytes(target)).isEqualTo(file(5, "a".repeat(32)));
  }

  @Test
  void theSameVersionLineageAndSignatureIsReplaced() throws IOException {
    Path target = run.resolve("t.nodb");
    Files.write(target, file(5, "a".repeat(32)));
    FileSignature sig = FileSignature.of(target).orElseThrow();
    EnvelopeHeader base = codec.parseHeader(target, Files.readAllBytes(target));

    writer.write(run, target, file(6, "a".repeat(32)), base, sig, 2, MAX, () -> {});
    assertThat(Files.readAllBytes(target)).isEqualTo(file(6, "a".repeat(32)));
  }

  @Test
  void aFailedDumpRemovesItsTempFile() throws IOException {
    Path target = run.resolve("t.nodb");
    Files.write(target, file(5, "a".repeat(32)));
    FileSignature sig = FileSignature.of(target).orElseThrow();
    EnvelopeHeader base = codec.parseHeader(target, Files.readAllBytes(target));

    assertThatThrownBy(
            () ->
                writer.write(
                    run,
                    target,
                    file(6, "a".repeat(32)),
                    base,
                    sig,
                    2,
                    MAX,
                    () -> {
                      throw new LockLostException(
                          io.nodb.lock.LockKey.of("r", "t.nodb"),
                          LossReason.EXPIRED,
                          1,
                          "abcd",
                          "test");
                    }))
        .isInstanceOf(LockLostException.class);
    assertThat(FencedFileWriter.tempFileOf(target)).doesNotExist();
    assertThat(Files.readAllBytes(target)).isEqualTo(file(5, "a".repeat(32)));
  }
}
