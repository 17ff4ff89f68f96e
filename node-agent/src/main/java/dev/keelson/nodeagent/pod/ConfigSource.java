package dev.keelson.nodeagent.pod;

import java.util.Map;
import java.util.Optional;

/** The ConfigMaps and Secrets a pod's environment reads, as the node agent fetched them. */
public interface ConfigSource {

  /** The data of a ConfigMap, or empty when there is none of that name. */
  Optional<Map<String, String>> configMap(String namespace, String name);

  /** The decoded data of a Secret, or empty when there is none of that name. */
  Optional<Map<String, String>> secret(String namespace, String name);
}
