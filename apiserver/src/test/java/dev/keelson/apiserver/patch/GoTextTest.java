package dev.keelson.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.Json;
import org.junit.jupiter.api.Test;

class GoTextTest {

  @Test
  void mapsPrintSortedByKeyAsGoPrintsThem() {
    assertThat(
            GoText.format(Json.parseObject("{\"b\":[1,\"x\",null],\"a\":{\"d\":true,\"c\":1.5}}")))
        .isEqualTo("map[a:map[c:1.5 d:true] b:[1 x <nil>]]");
  }

  @Test
  void floatsPrintWithGosShortestDigitsAndExponentRule() throws Exception {
    assertThat(GoText.format(Json.mapper().readTree("2.50"))).isEqualTo("2.5");
    assertThat(GoText.format(Json.mapper().readTree("1e20"))).isEqualTo("100000000000000000000");
    assertThat(GoText.format(Json.mapper().readTree("1e21"))).isEqualTo("1e+21");
    assertThat(GoText.format(Json.mapper().readTree("0.0001"))).isEqualTo("0.0001");
    assertThat(GoText.format(Json.mapper().readTree("0.00001234"))).isEqualTo("1.234e-05");
    assertThat(GoText.format(Json.mapper().readTree("-3.0"))).isEqualTo("-3");
  }

  @Test
  void typesAndKindsAreNamedAsGoNamesThem() throws Exception {
    assertThat(GoText.type(Json.mapper().readTree("[]"))).isEqualTo("[]interface {}");
    assertThat(GoText.type(Json.mapper().readTree("{}"))).isEqualTo("map[string]interface {}");
    assertThat(GoText.type(Json.mapper().readTree("3"))).isEqualTo("int64");
    assertThat(GoText.type(Json.mapper().readTree("3.5"))).isEqualTo("float64");
    assertThat(GoText.kind(Json.mapper().readTree("true"))).isEqualTo("bool");
    assertThat(GoText.kind(Json.mapper().readTree("\"s\""))).isEqualTo("string");
  }
}
