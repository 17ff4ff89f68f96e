package dev.keelson.reconcilers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodRequestsTest {

  private static PodRequests of(String spec) {
    return PodRequests.of(Json.parseObject(spec));
  }

  @Test
  void containersAddUp() {
    PodRequests r =
        of(
            """
            {"containers": [
              {"name": "a", "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}},
              {"name": "b", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}
            """);
    assertThat(r.requests().milliCpu()).isEqualTo(1250);
    assertThat(r.requests().memory()).isEqualTo((64L << 20) + (1L << 30));
  }

  @Test
  void theLargestInitContainerWinsOverTheSumOfContainers() {
    // Upstream's own example: init 2 cpu/1G and 2 cpu/3G, containers 2 cpu/1G and 1 cpu/1G.
    PodRequests r =
        of(
            """
            {"initContainers": [
              {"name": "i1", "resources": {"requests": {"cpu": "2", "memory": "1G"}}},
              {"name": "i2", "resources": {"requests": {"cpu": "2", "memory": "3G"}}}],
             "containers": [
              {"name": "c1", "resources": {"requests": {"cpu": "2", "memory": "1G"}}},
              {"name": "c2", "resources": {"requests": {"cpu": "1", "memory": "1G"}}}]}
            """);
    assertThat(r.requests().milliCpu()).isEqualTo(3000);
    assertThat(r.requests().memory()).isEqualTo(3_000_000_000L);
  }

  @Test
  void sidecarsRunBesideTheContainersAndTheLaterInitContainers() {
    PodRequests r =
        of(
            """
            {"initContainers": [
              {"name": "side", "restartPolicy": "Always",
               "resources": {"requests": {"cpu": "500m"}}},
              {"name": "init", "resources": {"requests": {"cpu": "2"}}}],
             "containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]}
            """);
    // containers + sidecar = 1.5; the init container runs beside the sidecar: 2.5.
    assertThat(r.requests().milliCpu()).isEqualTo(2500);
  }

  @Test
  void overheadComesOnTop() {
    PodRequests r =
        of(
            """
            {"overhead": {"cpu": "100m", "memory": "10Mi"},
             "containers": [{"name": "c",
               "resources": {"requests": {"cpu": "1", "memory": "100Mi"}}}]}
            """);
    assertThat(r.requests().milliCpu()).isEqualTo(1100);
    assertThat(r.requests().memory()).isEqualTo(110L << 20);
    assertThat(r.nonZeroMilliCpu()).isEqualTo(1100);
  }

  @Test
  void aLimitWithoutARequestIsTheRequest() {
    PodRequests r =
        of(
            """
            {"containers": [{"name": "c",
               "resources": {"limits": {"cpu": "750m", "memory": "1Gi"},
                             "requests": {"memory": "512Mi"}}}]}
            """);
    assertThat(r.requests().milliCpu()).isEqualTo(750);
    assertThat(r.requests().memory()).isEqualTo(512L << 20);
  }

  @Test
  void containersWithoutRequestsCountUpstreamsDefaultsForScoringOnly() {
    PodRequests r =
        of(
            """
            {"containers": [
              {"name": "none"},
              {"name": "zero", "resources": {"requests": {"cpu": "0", "memory": "0"}}}]}
            """);
    assertThat(r.requests().isZero()).isTrue();
    // The one that names no request counts 100m and 200Mi; an explicit zero stays zero.
    assertThat(r.nonZeroMilliCpu()).isEqualTo(100);
    assertThat(r.nonZeroMemory()).isEqualTo(200L << 20);
  }

  @Test
  void cpuRoundsUpToAMillicoreAndOtherResourcesAreScalars() {
    PodRequests r =
        of(
            """
            {"containers": [{"name": "c", "resources": {"requests":
              {"cpu": "0.0001", "ephemeral-storage": "1Gi", "example.com/gpu": "2"}}}]}
            """);
    assertThat(r.requests().milliCpu()).isEqualTo(1);
    assertThat(r.requests().ephemeralStorage()).isEqualTo(1L << 30);
    assertThat(r.requests().scalars()).isEqualTo(Map.of("example.com/gpu", 2L));
  }
}
