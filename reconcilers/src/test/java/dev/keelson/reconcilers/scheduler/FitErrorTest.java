package dev.keelson.reconcilers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FitErrorTest {

  @Test
  void oneReason() {
    assertThat(FitError.message(3, Map.of("Insufficient cpu", 3)))
        .isEqualTo("0/3 nodes are available: 3 Insufficient cpu.");
  }

  @Test
  void reasonsSortAsStringsWithTheirCounts() {
    Map<String, Integer> reasons = new LinkedHashMap<>();
    reasons.put("node(s) didn't match Pod's node affinity/selector", 2);
    reasons.put("node(s) had untolerated taint {dedicated: infra}", 1);
    reasons.put("Insufficient memory", 1);
    reasons.put("Insufficient cpu", 1);
    assertThat(FitError.message(4, reasons))
        .isEqualTo(
            "0/4 nodes are available: 1 Insufficient cpu, 1 Insufficient memory,"
                + " 1 node(s) had untolerated taint {dedicated: infra},"
                + " 2 node(s) didn't match Pod's node affinity/selector.");
  }

  @Test
  void countsCompareAsTextAsInGo() {
    Map<String, Integer> reasons = new LinkedHashMap<>();
    reasons.put("Insufficient cpu", 2);
    reasons.put("Too many pods", 10);
    assertThat(FitError.message(12, reasons))
        .isEqualTo("0/12 nodes are available: 10 Too many pods, 2 Insufficient cpu.");
  }

  @Test
  void aPreFilterReasonStandsAlone() {
    assertThat(FitError.preFilter(5, "pod affinity terms conflict"))
        .isEqualTo("0/5 nodes are available: pod affinity terms conflict.");
  }
}
