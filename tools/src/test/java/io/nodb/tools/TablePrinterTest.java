package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TablePrinterTest {

  @Test
  void alignsColumnsAndPrintsNullAsDash() {
    StringWriter s = new StringWriter();
    new TablePrinter("A", "LONG HEADER", "C")
        .row("wide value", null, "x")
        .row("v", "w", null)
        .print(new PrintWriter(s));

    assertThat(s.toString().lines())
        .containsExactly(
            "A           LONG HEADER  C",
            "wide value  -            x",
            "v           w            -");
  }

  @Test
  void rejectsRowsOfTheWrongWidth() {
    assertThatThrownBy(() -> new TablePrinter("A", "B").row("1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected 2 cells, got 1");
  }

  @Test
  void aTableWiderThanItsLimitWrapsItsLastColumnThenTruncatesMarkedColumns() {
    StringWriter s = new StringWriter();
    new TablePrinter("NAME", "OWNER", "DETAIL")
        .maxWidth(40)
        .truncate(1, 8)
        .row("climate.nodb", "a-very-long-host-name:12345 'worker'", "one two three four five six")
        .print(new PrintWriter(s));

    assertThat(s.toString().lines())
        .containsExactly(
            "NAME          OWNER     DETAIL",
            "climate.nodb  a-ver...  one two three",
            "                        four five six");
    assertThat(s.toString().lines())
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
  }

  @Test
  void withoutALimitEverythingIsPrintedInFull() {
    StringWriter s = new StringWriter();
    String detail = "x".repeat(150);
    new TablePrinter("A", "B")
        .maxWidth(0)
        .truncate(0, 4)
        .row("y".repeat(50), detail)
        .print(new PrintWriter(s));

    assertThat(s.toString().lines().toList().get(1)).isEqualTo("y".repeat(50) + "  " + detail);
  }

  @Test
  void colourCodesTakeNoColumns() {
    StringWriter s = new StringWriter();
    new TablePrinter("STATUS", "X")
        .row(Style.ANSI.good("ok"), "1")
        .row("warn", "2")
        .print(new PrintWriter(s));

    assertThat(s.toString().lines())
        .containsExactly("STATUS  X", "\u001B[32mok\u001B[0m      1", "warn    2");
  }

  @Test
  void relativeAgesAndTimestampsToTheSecond() {
    java.time.Instant now = java.time.Instant.parse("2025-05-03T10:15:30Z");
    assertThat(Format.age("2025-05-03T10:15:00.123456789Z", now)).isEqualTo("29 s ago");
    assertThat(Format.age("2025-05-03T09:16:30Z", now)).isEqualTo("59 m ago");
    assertThat(Format.age("2025-05-03T09:15:30Z", now)).isEqualTo("1 h ago");
    assertThat(Format.age("2025-05-02T10:15:30Z", now)).isEqualTo("24 h ago");
    assertThat(Format.age("2025-05-01T10:15:30Z", now)).isEqualTo("2 d ago");
    assertThat(Format.age("2025-04-01T10:15:30Z", now)).isEqualTo("32 d ago");
    assertThat(Format.age("2025-05-03T10:20:30Z", now)).isEqualTo("future");
    assertThat(Format.age("not a time", now)).isEqualTo("not a time");
    assertThat(Format.writtenAt("2026-11-22T08:08:49.033893909Z"))
        .isEqualTo("2026-11-22T08:08:49Z");
  }

  @Test
  void formatsDurationsForHumans() {
    assertThat(Format.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(Format.duration(Duration.ofMillis(12_345))).isEqualTo("12.3 s");
    assertThat(Format.duration(Duration.ofSeconds(245))).isEqualTo("4 m 05 s");
    assertThat(Format.duration(Duration.ofMinutes(123))).isEqualTo("2 h 03 m");
  }
}
