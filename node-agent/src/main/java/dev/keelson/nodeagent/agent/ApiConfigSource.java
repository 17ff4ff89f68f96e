package dev.keelson.nodeagent.agent;

import dev.keelson.nodeagent.pod.ConfigSource;
import dev.keelson.nodeagent.service.ServiceTable;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ConfigMaps and Secrets a pod reads, fetched through the API when its containers are made: the
 * agent holds no copy of the cluster's Secrets, only the ones its pods name. The Services come from
 * the agent's watch of them.
 */
final class ApiConfigSource implements ConfigSource {

  private final KubernetesClient client;
  private final Supplier<ServiceTable> services;

  ApiConfigSource(KubernetesClient client, Supplier<ServiceTable> services) {
    this.client = client;
    this.services = services;
  }

  @Override
  public Map<String, String> serviceEnvironment(String namespace, boolean serviceLinks) {
    return services.get().environment(namespace, serviceLinks);
  }

  @Override
  public Optional<Map<String, String>> configMap(String namespace, String name) {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null) {
      return Optional.empty();
    }
    Map<String, String> data = new HashMap<>();
    if (map.getBinaryData() != null) {
      map.getBinaryData()
          .forEach(
              (k, v) ->
                  data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (map.getData() != null) {
      data.putAll(map.getData());
    }
    return Optional.of(data);
  }

  @Override
  public Optional<Map<String, String>> secret(String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, String> data = new HashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    return Optional.of(data);
  }
}
