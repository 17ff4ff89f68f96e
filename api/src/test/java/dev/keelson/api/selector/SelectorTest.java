package dev.keelson.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.api.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorTest {

  private static final Map<String, String> LABELS =
      Map.of("app", "web", "tier", "frontend", "example.com/team", "blue");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "app=web | true",
        "app==web | true",
        "app=db | false",
        "app!=db | true",
        "app!=web | false",
        "missing!=x | true",
        "app in (web, db) | true",
        "app in (db) | false",
        "app notin (db,cache) | true",
        "app notin (web) | false",
        "missing notin (web) | true",
        "tier | true",
        "missing | false",
        "!missing | true",
        "!tier | false",
        "example.com/team=blue | true",
        "app=web,tier=frontend | true",
        "app=web, tier=backend | false",
        "app in (web),!missing,tier | true",
        "' app = web ' | true"
      })
  void labelSelectorsMatchAsUpstream(String selector, boolean matches) {
    assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "app=web=x",
        "app in web",
        "app in (web",
        "app)",
        "-app=web",
        "app=-web",
        "Example.com/team=blue",
        "app=web,",
        "app within (web)"
      })
  void malformedLabelSelectorsAreRefused(String selector) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOverlongLabelValueIsRefused() {
    assertThatThrownBy(() -> LabelSelector.parse("app=" + "a".repeat(64)))
        .hasMessageContaining("at most 63 characters");
  }

  @Test
  void theObjectFormOfAWorkloadSelector() {
    LabelSelector selector =
        LabelSelector.fromSpec(
            Json.parseObject(
                "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":["
                    + "{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"frontend\",\"edge\"]},"
                    + "{\"key\":\"canary\",\"operator\":\"DoesNotExist\"}]}"));
    assertThat(selector.matches(LABELS)).isTrue();
    assertThat(selector.matches(Map.of("app", "web", "tier", "backend"))).isFalse();
    assertThat(selector.equalities()).isEqualTo(Map.of("app", "web"));
    assertThatThrownBy(
            () ->
                LabelSelector.fromSpec(
                    Json.parseObject(
                        "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\"}]}")))
        .hasMessageContaining("Required value");
    assertThat(LabelSelector.fromSpec(Json.parseObject("{}")).isEverything()).isTrue();
  }

  @Test
  void fieldSelectors() {
    Map<String, String> fields = Map.of("spec.nodeName", "n1", "status.phase", "Running");
    assertThat(FieldSelector.parse("spec.nodeName=n1").matches(fields)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName==n2").matches(fields)).isFalse();
    assertThat(FieldSelector.parse("spec.nodeName=n1,status.phase!=Pending").matches(fields))
        .isTrue();
    assertThat(FieldSelector.parse("spec.nodeName=").matches(Map.of())).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName!=").matches(fields)).isTrue();
    assertThat(FieldSelector.parse("a=b,c!=d").equalities()).isEqualTo(Map.of("a", "b"));
    assertThatThrownBy(() -> FieldSelector.parse("nonsense"))
        .hasMessageContaining("can't understand");
  }
}
