package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.ReleaseOutcome;
import io.nodb.testing.check.CheckReport;
import io.nodb.testing.check.HoldRecord;
import io.nodb.testing.check.LostUpdateChecker;
import io.nodb.testing.check.OverlapChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkers on hand-made records: each violation kind is reported, valid runs are clean. */
class CheckersTest {

  private static HoldRecord hold(long fence, long enter, long exit, boolean valid) {
    return valid
        ? hold(fence, enter, exit, ReleaseOutcome.RELEASED, exit)
        : hold(fence, enter, exit, ReleaseOutcome.NOT_OWNER, enter);
  }

  private static HoldRecord hold(
      long fence, long enter, long exit, ReleaseOutcome outcome, long validUntil) {
    return new HoldRecord("r/k", fence, enter, exit, 1, "t" + fence, outcome, validUntil);
  }

  @Test
  void disjointHoldsWithGrowingFencesAreClean() {
    assertThat(OverlapChecker.check(List.of(hold(1, 0, 10, true), hold(2, 10, 20, true))).isClean())
        .isTrue();
  }

  @Test
  void anIntervalInsideAnEarlierLongOneIsAnOverlap() {
    List<HoldRecord> h =
        List.of(hold(1, 0, 100, true), hold(2, 10, 20, true), hold(3, 30, 40, true));
    assertThat(OverlapChecker.check(h).violations())
        .hasSize(2)
        .allMatch(v -> v.startsWith("overlap"));
  }

  @Test
  void fencesMustGrowWithinAnEpochButMayRestartAfterIt() {
    List<HoldRecord> h = List.of(hold(5, 0, 10, true), hold(1, 20, 30, true));
    assertThat(OverlapChecker.check(h).violations())
        .singleElement()
        .asString()
        .startsWith("fence order");
    assertThat(OverlapChecker.check(h, 15).isClean()).isTrue();
  }

  @Test
  void aHoldPastItsLastValidityDeadlineMayOverlapItsSuccessorUnlessAllAreChecked() {
    // the zombie believed itself valid up to 5, its successor entered at 10
    List<HoldRecord> h =
        List.of(
            hold(1, 0, 100, ReleaseOutcome.ALREADY_EXPIRED, 5),
            hold(2, 10, 20, ReleaseOutcome.RELEASED, 20));
    assertThat(OverlapChecker.check(h).isClean()).isTrue();
    assertThat(OverlapChecker.checkAll(h).isClean()).isFalse();
  }

  @Test
  void anOverlapWithinTheValidityOfAHoldWhoseReleaseWasNotReleasedIsCaught() {
    for (ReleaseOutcome lapsed :
        List.of(
            ReleaseOutcome.ALREADY_EXPIRED,
            ReleaseOutcome.NOT_OWNER,
            ReleaseOutcome.BACKEND_ERROR)) {
      // still valid (deadline 50) when the next holder entered at 10: a real violation
      List<HoldRecord> h =
          List.of(hold(1, 0, 30, lapsed, 50), hold(2, 10, 20, ReleaseOutcome.RELEASED, 20));
      assertThat(OverlapChecker.check(h).violations())
          .as("%s", lapsed)
          .singleElement()
          .asString()
          .startsWith("overlap on r/k")
          .contains(lapsed.name());
    }
    // two lapsed holds whose windows intersect: caught too
    List<HoldRecord> both =
        List.of(
            hold(1, 0, 30, ReleaseOutcome.BACKEND_ERROR, 25),
            hold(2, 20, 40, ReleaseOutcome.NOT_OWNER, 35));
    assertThat(OverlapChecker.check(both).violations()).hasSize(1);
  }

  @Test
  void aLapsedHoldIsCheckedOnlyUpToItsDeadlineEvenIfItsBodyRanOn() {
    // deadline 15 inside the body [0, 100]: a successor at 16 is fine, one at 14 is not
    HoldRecord zombie = hold(1, 0, 100, ReleaseOutcome.NOT_OWNER, 15);
    assertThat(OverlapChecker.check(List.of(zombie, hold(2, 16, 20, true))).isClean()).isTrue();
    assertThat(OverlapChecker.check(List.of(zombie, hold(2, 14, 20, true))).isClean()).isFalse();
  }

  @Test
  void theReportCountsTheHoldsPerReleaseOutcome() {
    List<HoldRecord> h =
        List.of(
            hold(1, 0, 10, ReleaseOutcome.RELEASED, 10),
            hold(2, 10, 20, ReleaseOutcome.RELEASED, 20),
            hold(3, 20, 30, ReleaseOutcome.ALREADY_EXPIRED, 25),
            hold(4, 30, 40, ReleaseOutcome.BACKEND_ERROR, 45),
            hold(5, 50, 60, ReleaseOutcome.NOT_OWNER, 40)); // lapsed before its body: no window
    CheckReport r = OverlapChecker.check(h);
    assertThat(r.isClean()).isTrue();
    assertThat(r.checked()).as("every hold is checked, whatever its release said").isEqualTo(5);
    assertThat(r.counts())
        .containsEntry("RELEASED", 2L)
        .containsEntry("ALREADY_EXPIRED", 1L)
        .containsEntry("NOT_OWNER", 1L)
        .containsEntry("BACKEND_ERROR", 1L)
        .containsEntry(OverlapChecker.WITHOUT_WINDOW, 1L);
  }

  @Test
  void aLapsedHoldSpanningABackendResetIsValidUpToTheResetOnly() {
    List<HoldRecord> h =
        List.of(
            hold(7, 0, 30, ReleaseOutcome.ALREADY_EXPIRED, 50),
            hold(1, 20, 40, ReleaseOutcome.RELEASED, 40));
    assertThat(OverlapChecker.check(h).isClean()).isFalse();
    assertThat(OverlapChecker.check(h, 15).isClean()).isTrue();
  }

  @Test
  void holdRecordsSurviveTheirLineForm() {
    HoldRecord r =
        new HoldRecord("run/res-0.nodb", 3, 10, 20, 42, "lock 1", ReleaseOutcome.NOT_OWNER, 15);
    assertThat(HoldRecord.parse(r.toLine()))
        .isEqualTo(
            new HoldRecord(
                "run/res-0.nodb", 3, 10, 20, 42, "lock_1", ReleaseOutcome.NOT_OWNER, 15));
  }

  @Test
  void lostUpdatesAndLandedRejectedWritesAreBothViolations() {
    assertThat(LostUpdateChecker.check(10, 10).isClean()).isTrue();
    assertThat(LostUpdateChecker.check(9, 10).violations())
        .singleElement()
        .asString()
        .contains("lost update");
    assertThat(LostUpdateChecker.check(11, 10).isClean()).isFalse();
    assertThat(LostUpdateChecker.check(11, 10, 1).isClean()).isTrue();
  }
}
