package dev.keelson.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BalancerTest {

  private static final ServicePortName WEB = new ServicePortName("default", "web", "");
  private static final Backend A = new Backend("127.0.0.2", 1);
  private static final Backend B = new Backend("127.0.0.3", 1);
  private static final Backend C = new Backend("127.0.0.4", 1);

  private final AtomicLong now = new AtomicLong();
  private final Balancer balancer = new Balancer(now::get);

  @Test
  void roundRobinSplitsConnectionsEvenly() {
    Route route = new Route(WEB, List.of(A, B, C), Duration.ZERO);
    Map<Backend, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(balancer.pick(route, "127.0.0.1").orElseThrow(), 1, Integer::sum);
    }
    assertThat(counts).containsOnly(Map.entry(A, 100), Map.entry(B, 100), Map.entry(C, 100));
  }

  @Test
  void noReadyEndpointPicksNothing() {
    assertThat(balancer.pick(new Route(WEB, List.of(), Duration.ZERO), "127.0.0.1")).isEmpty();
  }

  @Test
  void clientIpAffinityKeepsAClientOnItsEndpointUntilTheTimeout() {
    Route route = new Route(WEB, List.of(A, B, C), Duration.ofSeconds(10));
    Backend first = balancer.pick(route, "10.1.0.1").orElseThrow();
    Backend other = balancer.pick(route, "10.1.0.2").orElseThrow();
    assertThat(other).isNotEqualTo(first);
    for (int i = 0; i < 5; i++) {
      now.addAndGet(Duration.ofSeconds(9).toNanos()); // each use renews the timeout
      assertThat(balancer.pick(route, "10.1.0.1")).contains(first);
    }
    now.addAndGet(Duration.ofSeconds(11).toNanos());
    balancer.pick(route, "10.1.0.1"); // expired: picked afresh by round-robin
    assertThat(balancer.pick(route, "10.1.0.3")).isPresent();
  }

  @Test
  void aStickyClientMovesWhenItsEndpointIsNoLongerReady() {
    Route route = new Route(WEB, List.of(A, B), Duration.ofSeconds(10));
    Backend first = balancer.pick(route, "10.1.0.1").orElseThrow();
    Backend survivor = first.equals(A) ? B : A;
    Route shrunk = new Route(WEB, List.of(survivor), Duration.ofSeconds(10));
    assertThat(balancer.pick(shrunk, "10.1.0.1")).contains(survivor);
  }

  @Test
  void nextOffersAnotherEndpointAfterAFailure() {
    Route route = new Route(WEB, List.of(A, B), Duration.ZERO);
    assertThat(balancer.next(route, A)).contains(B);
    assertThat(balancer.next(new Route(WEB, List.of(A), Duration.ZERO), A)).isEmpty();
  }
}
