package dev.keelson.reconcilers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsLabelsTest {

  @Test
  void theEndpointsCarryTheServicesLabels() {
    assertThat(
            EndpointsReconciler.labels(
                Json.parseObject(
                    "{\"metadata\":{\"labels\":{\"app\":\"web\",\"service.kubernetes.io/headless\":\"\"}},"
                        + "\"spec\":{\"clusterIP\":\"10.96.0.10\"}}")))
        .isEqualTo(Map.of("app", "web"));
  }

  @Test
  void theEndpointsOfAHeadlessServiceSaySo() {
    assertThat(
            EndpointsReconciler.labels(
                Json.parseObject(
                    "{\"metadata\":{\"labels\":{\"app\":\"db\"}},\"spec\":{\"clusterIP\":\"None\"}}")))
        .isEqualTo(Map.of("app", "db", "service.kubernetes.io/headless", ""));
  }

  @Test
  void anEmptySelectorIsNoSelector() {
    assertThat(Selectors.selector(Json.parseObject("{\"spec\":{\"selector\":{}}}"))).isEmpty();
    assertThat(Selectors.selector(Json.parseObject("{\"spec\":{}}"))).isEmpty();
    assertThat(Selectors.matches(Map.of("app", "web"), Map.of("app", "web", "tier", "1"))).isTrue();
    assertThat(Selectors.matches(Map.of("app", "web"), Map.of("app", "db"))).isFalse();
  }
}
