package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Upstream kube-apiserver validation of the built-in kinds, as pure functions of JSON trees. Run it
 * after {@link Defaulting#apply}: like upstream, the rules expect defaulted objects (a missing
 * {@code restartPolicy} is an error here, not a default). An empty answer means valid; otherwise
 * the causes go into a 422 {@code Invalid} status, see {@link FieldCause#invalidMessage}.
 */
public final class Validation {

  private record Rules(
      Function<JsonNode, List<FieldCause>> create,
      BiFunction<JsonNode, JsonNode, List<FieldCause>> update) {}

  private static final Map<GroupKind, Rules> RULES =
      Map.ofEntries(
          Map.entry(GroupKind.core("Pod"), new Rules(PodRules::create, PodRules::update)),
          Map.entry(
              GroupKind.core("Service"), new Rules(ServiceRules::create, ServiceRules::update)),
          Map.entry(GroupKind.core("Namespace"), generic(CoreRules::namespace)),
          Map.entry(GroupKind.core("Node"), new Rules(CoreRules::node, CoreRules::nodeUpdate)),
          Map.entry(GroupKind.core("Endpoints"), generic(CoreRules::endpoints)),
          Map.entry(
              GroupKind.core("ConfigMap"),
              new Rules(ConfigRules::configMap, ConfigRules::configMapUpdate)),
          Map.entry(
              GroupKind.core("Secret"), new Rules(ConfigRules::secret, ConfigRules::secretUpdate)),
          Map.entry(GroupKind.core("ServiceAccount"), generic(Validation::serviceAccount)),
          Map.entry(
              GroupKind.core("Event"), new Rules(CoreRules::event, (n, o) -> CoreRules.event(n))),
          Map.entry(
              new GroupKind("apps", "Deployment"),
              new Rules(AppsRules::deployment, AppsRules::deploymentUpdate)),
          Map.entry(
              new GroupKind("apps", "ReplicaSet"),
              new Rules(AppsRules::replicaSet, AppsRules::replicaSetUpdate)),
          Map.entry(new GroupKind("batch", "Job"), new Rules(JobRules::create, JobRules::update)),
          Map.entry(
              new GroupKind("autoscaling", "HorizontalPodAutoscaler"),
              new Rules(ScalingRules::autoscaler, ScalingRules::autoscalerUpdate)),
          Map.entry(
              new GroupKind("coordination.k8s.io", "Lease"),
              new Rules(ScalingRules::lease, ScalingRules::leaseUpdate)));

  private Validation() {}

  /** The causes that make a new object invalid; empty when it may be created. */
  public static List<FieldCause> validateCreate(GroupKind kind, ObjectNode object) {
    return distinct(rules(kind, object).create().apply(object));
  }

  /** The causes that make replacing {@code existing} by {@code updated} invalid. */
  public static List<FieldCause> validateUpdate(
      GroupKind kind, ObjectNode updated, ObjectNode existing) {
    return distinct(rules(kind, updated).update().apply(updated, existing));
  }

  /**
   * The causes that make a write to the {@code status} subresource invalid: as upstream's status
   * strategies, only the metadata rules, since the spec is kept from {@code existing}.
   */
  public static List<FieldCause> validateStatusUpdate(
      GroupKind kind, ObjectNode updated, ObjectNode existing) {
    return distinct(MetaRules.update(updated, existing));
  }

  private static Rules rules(GroupKind kind, JsonNode object) {
    Rules rules = RULES.get(kind);
    if (rules != null) {
      return rules;
    }
    // A kind without rules of its own gets upstream's generic metadata checks.
    boolean namespaced = !object.path("metadata").path("namespace").asText("").isEmpty();
    return generic(o -> MetaRules.create(o, namespaced, MetaRules.NameRule.PATH_SEGMENT));
  }

  /** Update = the metadata update rules plus every create rule on the new object. */
  private static Rules generic(Function<JsonNode, List<FieldCause>> create) {
    return new Rules(
        create,
        (updated, existing) -> {
          List<FieldCause> causes = new ArrayList<>(MetaRules.update(updated, existing));
          causes.addAll(create.apply(updated));
          return causes;
        });
  }

  private static List<FieldCause> serviceAccount(JsonNode account) {
    return MetaRules.create(account, true, MetaRules.NameRule.DNS_SUBDOMAIN);
  }

  private static List<FieldCause> distinct(List<FieldCause> causes) {
    return List.copyOf(new LinkedHashSet<>(causes));
  }
}
