package dev.keelson.nodeagent.pod;

import java.util.Map;
import java.util.Optional;

/**
 * What a pod's environment reads from the cluster, as the node agent fetched it: ConfigMaps,
 * Secrets, and the Services the pod is told of.
 */
public interface ConfigSource {

  /** The data of a ConfigMap, or empty when there is none of that name. */
  Optional<Map<String, String>> configMap(String namespace, String name);

  /** The decoded data of a Secret, or empty when there is none of that name. */
  Optional<Map<String, String>> secret(String namespace, String name);

  /**
   * The variables of the Services a container of a pod of {@code namespace} is told of ({@code
   * serviceLinks}: the pod's enableServiceLinks); none unless the source knows the Services.
   */
  default Map<String, String> serviceEnvironment(String namespace, boolean serviceLinks) {
    return Map.of();
  }
}
