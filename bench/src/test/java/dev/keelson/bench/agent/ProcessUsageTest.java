package dev.keelson.bench.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessUsageTest {

  @Test
  void cpuTicksAreUserPlusSystemTimeCountedFromTheLastParenthesis() {
    // A command name with a space and a parenthesis, as a thread may name itself.
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 90210 0 12 0 1234 567 0 0 20 0 58 0"
            + " 123456 6000000000 50000 18446744073709551615 1 1 0 0 0 0 0 2 16800972 0 0 0 17 1";

    assertThat(ProcessUsage.cpuTicks(stat)).isEqualTo(1234 + 567);
  }

  @Test
  void rssIsTheVmRssLine() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t  523412 kB\nRssAnon:\t 1 kB\n";

    assertThat(ProcessUsage.rssKib(status)).isEqualTo(523412);
    assertThatThrownBy(() -> ProcessUsage.rssKib("Name:\tzombie\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoLooksGiveTheShareOfOneCore() {
    long second = 1_000_000_000L;
    ProcessUsage before = new ProcessUsage(1000, 1, 0);
    ProcessUsage after = new ProcessUsage(1000 + 2 * ProcessUsage.TICKS_PER_SECOND, 1, 4 * second);

    assertThat(after.coresSince(before)).isEqualTo(0.5);
  }

  @Test
  void readsThisJvm() throws Exception {
    ProcessUsage self = ProcessUsage.of(ProcessHandle.current().pid());

    assertThat(self.cpuTicks()).isPositive();
    assertThat(self.rssKib()).isGreaterThan(10_000);
  }
}
