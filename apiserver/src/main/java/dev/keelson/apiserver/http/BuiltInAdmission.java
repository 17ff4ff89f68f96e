package dev.keelson.apiserver.http;

import dev.keelson.api.GroupKind;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.write.Admission;
import dev.keelson.write.AdmissionPolicy;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The API's own admission (defaults, validation, the size limit) for writers that do not come
 * through HTTP: the reconcilers write what they make through it, so a pod a ReplicaSet creates is
 * stored exactly as one posted to the API would be. Kinds the API does not serve are admitted as
 * they are.
 */
public final class BuiltInAdmission implements AdmissionPolicy {

  private final Map<GroupKind, ResourceType> types;

  public BuiltInAdmission(ResourceRegistry registry) {
    this.types =
        registry.all().stream()
            .collect(Collectors.toMap(ResourceType::groupKind, t -> t, (a, b) -> a));
  }

  public static BuiltInAdmission builtIn() {
    return new BuiltInAdmission(ResourceRegistry.builtIn());
  }

  @Override
  public Admission create(GroupKind kind) {
    return of(kind, Admitting::create);
  }

  @Override
  public Admission update(GroupKind kind) {
    return of(kind, Admitting::update);
  }

  @Override
  public Admission status(GroupKind kind) {
    return of(kind, Admitting::status);
  }

  private Admission of(GroupKind kind, Function<ResourceType, Admission> admission) {
    ResourceType type = types.get(kind);
    return type == null ? Admission.NONE : admission.apply(type);
  }
}
