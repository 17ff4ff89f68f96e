package dev.keelson.bench.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

  private final SchedulerBench.DurationConverter converter = new SchedulerBench.DurationConverter();

  @Test
  void readsDurationsAsGoWritesThem() {
    assertThat(converter.convert("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void refusesWhatIsNotADuration() {
    assertThatThrownBy(() -> converter.convert("10"))
        .isInstanceOf(CommandLine.TypeConversionException.class);
    assertThatThrownBy(() -> converter.convert("10m junk"))
        .isInstanceOf(CommandLine.TypeConversionException.class);
  }

  @Test
  void printsThemBackShort() {
    assertThat(SchedulerBench.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(SchedulerBench.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(SchedulerBench.format(Duration.ofSeconds(40))).isEqualTo("40s");
  }
}
