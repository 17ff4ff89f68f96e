package dev.keelson.bench.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void percentilesAreNearestRanks() {
    // 50 samples 1..50 ms, given out of order.
    Latencies l = new Latencies(LongStream.rangeClosed(1, 50).map(i -> 51 - i).boxed().toList());

    assertThat(l.count()).isEqualTo(50);
    assertThat(l.percentile(50)).isEqualTo(25);
    assertThat(l.percentile(90)).isEqualTo(45);
    assertThat(l.percentile(99)).isEqualTo(50);
    assertThat(l.max()).isEqualTo(50);
    assertThat(l.cells()).containsExactly("25", "45", "50", "50");
  }

  @Test
  void oneSampleIsEveryPercentileAndNoneIsDashes() {
    assertThat(new Latencies(List.of(1234L)).cells())
        .containsExactly("1,234", "1,234", "1,234", "1,234");
    assertThat(new Latencies(List.of()).cells()).containsExactly("-", "-", "-", "-");
  }
}
