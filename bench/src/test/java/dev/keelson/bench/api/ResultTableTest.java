package dev.keelson.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  private static PhaseResult phase(String target, long millis, int writes) {
    PhaseResult r = new PhaseResult(target, 16, "create");
    for (int i = 0; i < writes; i++) r.accepted(millis * 1_000_000);
    r.finished(1.0, 0);
    return r;
  }

  @Test
  void keelsonRowsCarryTheRatioToEtcdAtTheSameLoad() {
    PhaseResult keelson = phase("keelson", 20, 500);
    PhaseResult etcd = phase("etcd", 10, 1000);

    String table = ResultTable.render(List.of(keelson, etcd));

    assertThat(ResultTable.ratio(keelson, List.of(keelson, etcd)))
        .isEqualTo("0.50x writes/s, 2.00x p99");
    assertThat(ResultTable.ratio(etcd, List.of(keelson, etcd))).isEmpty();
    assertThat(table.lines())
        .hasSize(4)
        .anySatisfy(l -> assertThat(l).startsWith("| keelson ").contains("| 500 ").contains("20.0"))
        .anySatisfy(l -> assertThat(l).startsWith("| etcd ").contains("| 1,000 "));
  }

  @Test
  void rejectedAndUnansweredWritesAreNotAcceptedAndLateAnswersAreIgnored() {
    PhaseResult r = new PhaseResult("keelson", 16, "update");
    r.accepted(5_000_000);
    r.rejected("409 Conflict");
    r.finished(2.0, 3);
    r.accepted(1_000_000);

    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.notAccepted()).isEqualTo(4);
    assertThat(r.writesPerSecond()).isEqualTo(0.5);
    assertThat(r.problem()).contains("1 rejected").contains("3 unanswered").contains("409");
  }
}
