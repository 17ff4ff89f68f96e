package dev.keelson.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class ResourceKeyTest {

  @Test
  void theKeyOfATypedObjectNamesItsGroupKindNamespaceAndName() {
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("prod")
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .endSpec()
            .build();
    ObjectNode tree = Json.mapper().valueToTree(deployment);
    ResourceKey key = ResourceKey.of(tree);
    assertThat(key.toString()).isEqualTo("apps/Deployment/prod/web");
    assertThat(ResourceKey.parse(key.toString())).isEqualTo(key);
    assertThat(Json.mapper().convertValue(tree, Deployment.class)).isEqualTo(deployment);

    Namespace namespace =
        new NamespaceBuilder().withNewMetadata().withName("prod").endMetadata().build();
    ResourceKey namespaceKey = ResourceKey.of((ObjectNode) Json.mapper().valueToTree(namespace));
    assertThat(namespaceKey.toString()).isEqualTo("/Namespace//prod");
    assertThat(namespaceKey.clusterScoped()).isTrue();
  }

  @Test
  void malformedKeysAreRefused() {
    assertThatThrownBy(() -> ResourceKey.parse("apps/Deployment/prod"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceKey.parse("apps//prod/web"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceKey.of(Json.parseObject("{\"kind\":\"Pod\"}")))
        .hasMessageContaining("metadata.name");
  }
}
