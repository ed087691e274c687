package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The listing of a run's controller files while writers rename temp files around it. */
class ControllerFilesTest {

  @Test
  void anEntryThatVanishedMidWalkIsSkippedAndOtherFailuresEndTheWalk() throws Exception {
    assertThat(ControllerFiles.afterFailure(new NoSuchFileException("r045/.climate.nodb.tmp")))
        .isEqualTo(FileVisitResult.CONTINUE);
    assertThatThrownBy(() -> ControllerFiles.afterFailure(new AccessDeniedException("r045")))
        .isInstanceOf(AccessDeniedException.class);
  }
}
