package dev.keelson.reconcilers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.selector.LabelSelector;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.OwnerRef;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import java.util.List;

/** A Job's pods: the ones it controls, and the one its template makes. */
final class JobPods {

  static final GroupKind POD = GroupKind.core("Pod");

  private JobPods() {}

  /** The pods the Job's selector matches and whose controller is the Job (by uid). */
  static List<JobPod> of(Projection projection, ObjectNode job) {
    LabelSelector selector = LabelSelector.fromSpec(job.path("spec").path("selector"));
    String uid = Meta.uid(job);
    return projection
        .list(ListQuery.in(POD, Meta.namespace(job)).withLabels(selector.equalities()))
        .items()
        .stream()
        .filter(p -> selector.matches(p.labels()) && controlledBy(p, uid))
        .map(JobPod::of)
        .toList();
  }

  private static boolean controlledBy(StoredObject pod, String uid) {
    for (OwnerRef owner : pod.owners()) {
      if (owner.controller() && owner.uid().equals(uid)) {
        return true;
      }
    }
    return false;
  }

  /** The Job that controls a pod, or null. */
  static ResourceKey controller(StoredObject pod) {
    for (OwnerRef owner : pod.owners()) {
      if (owner.controller() && owner.kind().equals("Job") && owner.group().equals("batch")) {
        return ResourceKey.of("batch", "Job", pod.key().namespace(), owner.name());
      }
    }
    return null;
  }

  /**
   * A new pod from the Job's template, as upstream's GetPodFromTemplate makes it: named after the
   * Job, with the template's labels, annotations and finalizers, and the Job as its controller; in
   * an Indexed Job, with its {@code index} (else null) as annotation, label, hostname and the
   * JOB_COMPLETION_INDEX variable of every container.
   */
  static ObjectNode fromTemplate(ObjectNode job, Integer index) {
    JsonNode template = job.path("spec").path("template");
    ObjectNode pod = Json.object();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    ObjectNode metadata = pod.putObject("metadata");
    String prefix = Meta.name(job) + "-" + (index == null ? "" : index + "-");
    // The name is generated here, as the API would from generateName: the writer needs a key.
    metadata.put("generateName", prefix);
    metadata.put("name", prefix + suffix());
    metadata.put("namespace", Meta.namespace(job));
    for (String field : List.of("labels", "annotations", "finalizers")) {
      JsonNode value = template.path("metadata").get(field);
      if (value != null && !value.isNull()) {
        metadata.set(field, value.deepCopy());
      }
    }
    metadata
        .putArray("ownerReferences")
        .addObject()
        .put("apiVersion", job.path("apiVersion").asText("batch/v1"))
        .put("kind", "Job")
        .put("name", Meta.name(job))
        .put("uid", Meta.uid(job))
        .put("controller", true)
        .put("blockOwnerDeletion", true);
    pod.set("spec", template.path("spec").deepCopy());
    if (index != null) {
      indexed(pod, Meta.name(job), index);
    }
    return pod;
  }

  private static void indexed(ObjectNode pod, String jobName, int index) {
    ObjectNode metadata = Meta.metadata(pod);
    metadata.with("annotations").put(CompletionIndexes.ANNOTATION, Integer.toString(index));
    metadata.with("labels").put(CompletionIndexes.ANNOTATION, Integer.toString(index));
    ObjectNode spec = pod.with("spec");
    if (spec.path("hostname").asText("").isEmpty()) {
      spec.put("hostname", jobName + "-" + index);
    }
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode container : spec.path(list)) {
        if (container instanceof ObjectNode c && !hasEnv(c, INDEX_ENV)) {
          c.withArray("env")
              .addObject()
              .put("name", INDEX_ENV)
              .putObject("valueFrom")
              .putObject("fieldRef")
              .put("fieldPath", "metadata.annotations['" + CompletionIndexes.ANNOTATION + "']");
        }
      }
    }
  }

  static final String INDEX_ENV = "JOB_COMPLETION_INDEX";

  private static boolean hasEnv(JsonNode container, String name) {
    for (JsonNode env : container.path("env")) {
      if (name.equals(env.path("name").asText())) {
        return true;
      }
    }
    return false;
  }

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  /** Five characters as the API server's name generator picks them. */
  private static String suffix() {
    StringBuilder s = new StringBuilder(5);
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < 5; i++) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  /** Whether a stored pod has a deletionTimestamp. */
  static boolean deleting(StoredObject pod) {
    return pod.object().path("metadata").hasNonNull("deletionTimestamp");
  }
}
