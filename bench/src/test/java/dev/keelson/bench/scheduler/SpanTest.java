package dev.keelson.bench.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpanTest {

  @Test
  void rateIsPodsOverTheTimeFromFirstToLast() {
    // 1,000 pods, the first at 5 s and the last at 7 s: 500 pods/s.
    Span span = Span.of(List.of(7_000_000_000L, 5_000_000_000L, 6_000_000_000L, 5_500_000_000L));
    Span thousand = new Span(1000, span.firstNanos(), span.lastNanos());

    assertThat(span.count()).isEqualTo(4);
    assertThat(span.firstNanos()).isEqualTo(5_000_000_000L);
    assertThat(span.lastNanos()).isEqualTo(7_000_000_000L);
    assertThat(thousand.perSecond()).isEqualTo(500.0);
    assertThat(span.firstAfter(4_000_000_000L)).isEqualTo(1.0);
    assertThat(span.lastAfter(4_000_000_000L)).isEqualTo(3.0);
  }

  @Test
  void noRateWithoutTwoMoments() {
    assertThat(Span.of(List.of()).perSecond()).isNaN();
    assertThat(Span.of(List.of(42L)).perSecond()).isNaN();
    assertThat(Span.rate(Double.NaN)).isEqualTo("-");
    assertThat(Span.rate(1234.4)).isEqualTo("1,234 pods/s");
  }
}
