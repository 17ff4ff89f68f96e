package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Upstream's {@code ValidatePodCreate} and {@code ValidatePodUpdate}. */
final class PodRules {

  static final String UPDATABLE_FIELDS =
      "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
          + "`spec.tolerations` (only additions to existing tolerations),"
          + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously"
          + " negative)";

  private PodRules() {}

  static List<FieldCause> create(JsonNode pod) {
    List<FieldCause> causes = MetaRules.create(pod, true, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(spec(pod));
    return causes;
  }

  private static List<FieldCause> spec(JsonNode pod) {
    List<FieldCause> causes = PodSpecRules.validate(pod.path("spec"), "spec", true);
    for (String list : List.of("containers", "initContainers")) {
      JsonNode containers = pod.path("spec").path(list);
      for (int i = 0; i < containers.size(); i++) {
        String image = Checks.text(containers.get(i), "image");
        if (!image.equals(image.strip())) {
          causes.add(
              FieldCause.invalid(
                  "spec." + list + "[" + i + "].image",
                  image,
                  "must not have leading or trailing whitespace"));
        }
      }
    }
    return causes;
  }

  static List<FieldCause> update(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    causes.addAll(spec(updated));
    JsonNode spec = updated.path("spec");
    JsonNode old = existing.path("spec");
    for (String list : List.of("containers", "initContainers")) {
      if (spec.path(list).size() != old.path(list).size()) {
        causes.add(
            FieldCause.forbidden("spec." + list, "pod updates may not add or remove containers"));
        return causes;
      }
    }
    JsonNode deadline = spec.get("activeDeadlineSeconds");
    JsonNode oldDeadline = old.get("activeDeadlineSeconds");
    if (deadline != null && deadline.isNumber()) {
      long value = deadline.asLong();
      if (value < 0 || value > Integer.MAX_VALUE) {
        causes.add(
            FieldCause.invalid(
                "spec.activeDeadlineSeconds", value, Formats.inclusiveRange(0, Integer.MAX_VALUE)));
        return causes;
      }
      if (oldDeadline != null && oldDeadline.isNumber() && oldDeadline.asLong() < value) {
        causes.add(
            FieldCause.invalid(
                "spec.activeDeadlineSeconds",
                value,
                "must be less than or equal to previous value"));
        return causes;
      }
    } else if (oldDeadline != null && oldDeadline.isNumber()) {
      causes.add(
          FieldCause.invalid(
              "spec.activeDeadlineSeconds",
              null,
              "must not update from a positive integer to nil value"));
    }
    causes.addAll(onlyAddedTolerations(spec.path("tolerations"), old.path("tolerations")));
    if (!Checks.same(munged(spec, old), old)) {
      causes.add(
          FieldCause.forbidden(
              "spec",
              "pod updates may not change fields other than "
                  + UPDATABLE_FIELDS
                  + "\n"
                  + SpecDiff.describe("core.PodSpec", old, munged(spec, old))));
    }
    return causes;
  }

  /** The updated spec with every field a pod update may change put back to its old value. */
  private static JsonNode munged(JsonNode spec, JsonNode old) {
    ObjectNode copy = spec.deepCopy();
    for (String list : List.of("containers", "initContainers")) {
      JsonNode containers = copy.path(list);
      for (int i = 0; i < containers.size(); i++) {
        JsonNode image = old.path(list).get(i).get("image");
        if (image == null) {
          ((ObjectNode) containers.get(i)).remove("image");
        } else {
          ((ObjectNode) containers.get(i)).set("image", image);
        }
      }
    }
    for (String field : List.of("activeDeadlineSeconds", "tolerations", "schedulingGates")) {
      copy.remove(field);
      if (old.has(field)) {
        copy.set(field, old.get(field).deepCopy());
      }
    }
    JsonNode oldGrace = old.get("terminationGracePeriodSeconds");
    if (oldGrace != null
        && oldGrace.asLong() < 0
        && copy.path("terminationGracePeriodSeconds").asLong() == 1) {
      copy.set("terminationGracePeriodSeconds", oldGrace);
    }
    return copy;
  }

  /** Existing tolerations must stay, though their {@code tolerationSeconds} may change. */
  private static List<FieldCause> onlyAddedTolerations(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = new ArrayList<>();
    for (JsonNode old : existing) {
      boolean found = false;
      for (JsonNode now : updated) {
        ObjectNode oldClone = ((ObjectNode) old).deepCopy();
        oldClone.remove("tolerationSeconds");
        if (now.has("tolerationSeconds")) {
          oldClone.set("tolerationSeconds", now.get("tolerationSeconds"));
        }
        if (Checks.same(oldClone, now)) {
          found = true;
          break;
        }
      }
      if (!found) {
        causes.add(
            FieldCause.forbidden(
                "spec.tolerations",
                "existing toleration can not be modified except its tolerationSeconds"));
        return causes;
      }
    }
    return causes;
  }
}
