package dev.keelson.reconcilers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeHealthTest {

  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  final NodeHealth health = new NodeHealth();

  @Test
  void aNodeSeenForTheFirstTimeIsAliveNow() {
    assertThat(health.observe("n", "2020-01-01T00:00:00Z", T0.minusSeconds(3600), T0))
        .isEqualTo(T0);
  }

  @Test
  void nothingNewKeepsTheLastProbe() {
    Instant lease = T0.minusSeconds(1);
    health.observe("n", "h1", lease, T0);
    assertThat(health.observe("n", "h1", lease, T0.plusSeconds(30))).isEqualTo(T0);
  }

  @Test
  void aRenewedLeaseIsASignOfLifeOnTheControllersClock() {
    health.observe("n", "h1", T0, T0);
    // The agent's clock may be far off: only its order against its own earlier renewal counts.
    Instant renewed = T0.minusSeconds(7200).plusSeconds(10);
    assertThat(health.observe("n", "h1", T0.plusSeconds(10), T0.plusSeconds(12)))
        .isEqualTo(T0.plusSeconds(12));
    assertThat(health.observe("n", "h1", renewed, T0.plusSeconds(40)))
        .as("a renewTime older than the last one is no renewal")
        .isEqualTo(T0.plusSeconds(12));
  }

  @Test
  void aNewReadyHeartbeatIsASignOfLife() {
    health.observe("n", "h1", null, T0);
    assertThat(health.observe("n", "h2", null, T0.plusSeconds(20))).isEqualTo(T0.plusSeconds(20));
  }

  @Test
  void aForgottenNodeStartsAfresh() {
    health.observe("n", "h1", T0, T0);
    health.forget("n");
    assertThat(health.observe("n", "h1", T0, T0.plusSeconds(100))).isEqualTo(T0.plusSeconds(100));
  }
}
