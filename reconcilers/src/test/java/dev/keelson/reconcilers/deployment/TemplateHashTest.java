package dev.keelson.reconcilers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TemplateHashTest {

  static final String TEMPLATE =
      """
      {"metadata":{"labels":{"app":"cats"},"creationTimestamp":null},
       "spec":{"containers":[{"name":"cats","image":"registry/test/cats:v1",
         "ports":[{"name":"http","containerPort":9077,"protocol":"TCP"}]}],
         "restartPolicy":"Always","terminationGracePeriodSeconds":30,"securityContext":{}}}
      """;

  @Test
  void fnv1aMatchesTheReferenceVectors() {
    // FNV-1a 32-bit test vectors (Fowler/Noll/Vo): "", "a", "foobar"
    int offset = 0x811c9dc5;
    assertThat(TemplateHash.fnv1a(offset, new byte[0])).isEqualTo(0x811c9dc5);
    assertThat(TemplateHash.fnv1a(offset, "a".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(0xe40c292c);
    assertThat(TemplateHash.fnv1a(offset, "foobar".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(0xbf9cf968);
  }

  @Test
  void safeEncodingMapsDigitsToUpstreamsAlphabet() {
    // rand.SafeEncodeString: each character to alphanums[c % 27]
    assertThat(TemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
    assertThat(TemplateHash.safeEncode("3792349372")).isEqualTo("7cf678f7c6");
  }

  @Test
  void theHashIsStableAndLooksLikeUpstreams() {
    String hash = TemplateHash.compute(Json.parseObject(TEMPLATE), null);
    assertThat(hash).isEqualTo(TemplateHash.compute(Json.parseObject(TEMPLATE), null));
    assertThat(hash).matches("[456789bcdf]{1,10}");
  }

  @Test
  void equalTemplatesHashEqualWhateverTheirKeyOrderAndEmptyFields() {
    ObjectNode reordered =
        Json.parseObject(
            """
            {"spec":{"securityContext":{},"terminationGracePeriodSeconds":30,"restartPolicy":"Always",
              "containers":[{"ports":[{"protocol":"TCP","containerPort":9077,"name":"http"}],
                "image":"registry/test/cats:v1","name":"cats","env":[]}]},
             "metadata":{"labels":{"app":"cats"}}}
            """);
    assertThat(TemplateHash.compute(reordered, null))
        .isEqualTo(TemplateHash.compute(Json.parseObject(TEMPLATE), null));
  }

  @Test
  void theCollisionCountChangesTheHashAndZeroIsNotNone() {
    ObjectNode template = Json.parseObject(TEMPLATE);
    String none = TemplateHash.compute(template, null);
    String zero = TemplateHash.compute(template, 0);
    String one = TemplateHash.compute(template, 1);
    assertThat(zero).isNotEqualTo(none);
    assertThat(one).isNotEqualTo(zero).isNotEqualTo(none);
  }

  @Test
  void aThousandImageVersionsGiveAThousandHashes() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      seen.add(
          TemplateHash.compute(Json.parseObject(TEMPLATE.replace("v1", "v0." + i + ".0")), null));
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void templatesEqualIgnoringTheHashLabel() {
    ObjectNode a = Json.parseObject(TEMPLATE);
    ObjectNode b = Json.parseObject(TEMPLATE);
    b.with("metadata").with("labels").put(TemplateHash.LABEL, "abc");
    b.with("spec").putArray("volumes");
    assertThat(Templates.equalIgnoreHash(a, b)).isTrue();
    b.with("spec").put("terminationGracePeriodSeconds", 31);
    assertThat(Templates.equalIgnoreHash(a, b)).isFalse();
  }
}
