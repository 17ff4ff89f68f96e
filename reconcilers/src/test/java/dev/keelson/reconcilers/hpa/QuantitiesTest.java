package dev.keelson.reconcilers.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuantitiesTest {

  @Test
  void quantitiesReadInThousandthsRoundedUp() {
    assertThat(Quantities.milli("150m")).hasValue(150);
    assertThat(Quantities.milli("1234567n")).hasValue(2);
    assertThat(Quantities.milli("1.5")).hasValue(1500);
    assertThat(Quantities.milli("1Ki")).hasValue(1_024_000);
    assertThat(Quantities.milli("lots")).isEmpty();
  }

  @Test
  void thousandthsWriteAsCanonicalDecimalQuantities() {
    assertThat(Quantities.ofMilli(0)).isEqualTo("0");
    assertThat(Quantities.ofMilli(150)).isEqualTo("150m");
    assertThat(Quantities.ofMilli(2000)).isEqualTo("2");
    assertThat(Quantities.ofMilli(1500)).isEqualTo("1500m");
    assertThat(Quantities.ofMilli(12_000_000_000L)).isEqualTo("12M");
  }

  @Test
  void goDurationsRead() {
    assertThat(Quantities.goDuration("10s")).hasValue(Duration.ofSeconds(10));
    assertThat(Quantities.goDuration("20.064s")).hasValue(Duration.ofMillis(20_064));
    assertThat(Quantities.goDuration("1m0s")).hasValue(Duration.ofMinutes(1));
    assertThat(Quantities.goDuration("500ms")).hasValue(Duration.ofMillis(500));
    assertThat(Quantities.goDuration("1h2m")).hasValue(Duration.ofMinutes(62));
    assertThat(Quantities.goDuration("ten")).isEmpty();
    assertThat(Quantities.goDuration("")).isEmpty();
  }
}
