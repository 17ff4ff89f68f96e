package dev.keelson.reconcilers.scheduler;

import static dev.keelson.reconcilers.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnschedulablePodsTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final UnschedulablePods pods = new UnschedulablePods(now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void theBackOffDoublesFromOneSecondToTen() {
    assertThat(UnschedulablePods.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(UnschedulablePods.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(UnschedulablePods.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(UnschedulablePods.backoff(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(UnschedulablePods.backoff(50)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aWokenPodComesBackWhenItsBackOffIsOver() {
    PodInfo p = pod("p", "8", "1Gi");
    pods.failed(p, "0/1 nodes are available: 1 Insufficient cpu.");
    advance(Duration.ofMillis(400));
    assertThat(pods.wake(false))
        .containsExactly(new UnschedulablePods.Wakeup(p.key(), Duration.ofMillis(600)));
    assertThat(pods.backingOff(p.key(), p.revision())).isTrue();
    advance(Duration.ofMillis(600));
    assertThat(pods.backingOff(p.key(), p.revision())).isFalse();
    assertThat(pods.wake(false))
        .containsExactly(new UnschedulablePods.Wakeup(p.key(), Duration.ZERO));
  }

  @Test
  void aBoundPodWakesOnlyPodsWithRequiredAffinity() {
    PodInfo plain = pod("plain", "8", "1Gi");
    PodInfo affine =
        pod(
            Fixtures.spec(
                Fixtures.podJson("affine", "1", "1Gi"),
                "affinity",
                "{\"podAffinity\": {\"requiredDuringSchedulingIgnoredDuringExecution\": [{"
                    + "\"labelSelector\": {\"matchLabels\": {\"app\": \"db\"}},"
                    + " \"topologyKey\": \"zone\"}]}}"));
    pods.failed(plain, "m");
    pods.failed(affine, "m");
    assertThat(pods.wake(true))
        .extracting(UnschedulablePods.Wakeup::key)
        .containsExactly(affine.key());
    assertThat(pods.wake(false)).hasSize(2);
  }

  @Test
  void aRepeatedMessageIsRecordedAgainOnlyAfterFiveMinutes() {
    PodInfo p = pod("p", "8", "1Gi");
    assertThat(pods.failed(p, "a")).isTrue();
    advance(Duration.ofSeconds(30));
    assertThat(pods.failed(p, "a")).isFalse();
    assertThat(pods.failed(p, "b")).isTrue();
    advance(Duration.ofMinutes(5));
    assertThat(pods.failed(p, "b")).isTrue();
  }

  @Test
  void thePodAsLastReadIsKeptWhileItsRevisionHolds() {
    PodInfo p = pod("p", "8", "1Gi");
    pods.failed(p, "m");
    assertThat(pods.cached(p.key(), p.revision())).isSameAs(p);
    assertThat(pods.cached(p.key(), p.revision() + 1)).isNull();
    pods.remove(p.key());
    assertThat(pods.cached(p.key(), p.revision())).isNull();
    assertThat(pods.size()).isZero();
  }
}
