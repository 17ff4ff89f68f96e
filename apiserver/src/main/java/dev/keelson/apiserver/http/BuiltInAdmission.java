package dev.keelson.apiserver.http;

import dev.keelson.api.GroupKind;
import dev.keelson.apiserver.admission.ServiceAllocator;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.write.Admission;
import dev.keelson.write.AdmissionPolicy;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The API's own admission (defaults, validation, allocation, the size limit) for writers that do
 * not come through HTTP: the reconcilers write what they make through it, so a pod a ReplicaSet
 * creates is stored exactly as one posted to the API would be. Kinds the API does not serve are
 * admitted as they are.
 */
public final class BuiltInAdmission implements AdmissionPolicy {

  private final Map<GroupKind, ResourceType> types;
  private final ServiceAllocator allocator;

  public BuiltInAdmission(ResourceRegistry registry, ServiceAllocator allocator) {
    this.types =
        registry.all().stream()
            .collect(Collectors.toMap(ResourceType::groupKind, t -> t, (a, b) -> a));
    this.allocator = allocator;
  }

  /** The built-in admission, which allocates nothing: for writers that write no Service. */
  public static BuiltInAdmission builtIn() {
    return builtIn(ServiceAllocator.NONE);
  }

  /** The built-in admission, giving Services their values with {@code allocator}. */
  public static BuiltInAdmission builtIn(ServiceAllocator allocator) {
    return new BuiltInAdmission(ResourceRegistry.builtIn(), allocator);
  }

  @Override
  public Admission create(GroupKind kind) {
    return of(kind, type -> Admitting.create(type, allocator));
  }

  @Override
  public Admission update(GroupKind kind) {
    return of(kind, type -> Admitting.update(type, allocator));
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
