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
  void formatsDurationsForHumans() {
    assertThat(Format.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(Format.duration(Duration.ofMillis(12_345))).isEqualTo("12.3 s");
    assertThat(Format.duration(Duration.ofSeconds(245))).isEqualTo("4 m 05 s");
    assertThat(Format.duration(Duration.ofMinutes(123))).isEqualTo("2 h 03 m");
  }
}
