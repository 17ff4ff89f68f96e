package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import java.util.concurrent.ThreadLocalRandom;

/** Upstream's GetPodFromTemplate: the pod a controller creates from its pod template. */
public final class PodTemplates {

  /** Upstream's utilrand alphabet: no vowels, no confusable characters. */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private PodTemplates() {}

  static String randomSuffix() {
    StringBuilder suffix = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      suffix.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
    }
    return suffix.toString();
  }

  /**
   * A pod of {@code owner}'s {@code spec.template}: its labels, annotations and finalizers, named
   * {@code <owner>-<5 random characters>}, controlled by {@code owner}.
   */
  public static ObjectNode podFor(JsonNode owner) {
    JsonNode template = owner.path("spec").path("template");
    ObjectNode pod = Json.object();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    ObjectNode metadata = pod.putObject("metadata");
    String prefix = Meta.name(owner) + "-";
    metadata.put("generateName", prefix);
    // The writer needs the name up front; generated as upstream's apiserver does it.
    metadata.put("name", prefix + randomSuffix());
    metadata.put("namespace", Meta.namespace(owner));
    for (String field : new String[] {"labels", "annotations", "finalizers"}) {
      JsonNode value = template.path("metadata").get(field);
      if (value != null && !value.isNull() && !value.isEmpty()) {
        metadata.set(field, value.deepCopy());
      }
    }
    metadata.putArray("ownerReferences").add(Owners.controllerRef(owner));
    pod.set("spec", template.path("spec").deepCopy());
    return pod;
  }
}
