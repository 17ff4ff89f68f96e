package dev.keelson.reconcilers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which services select a pod. Every pod change asks it of the services of the pod's namespace, so
 * each service's selector is parsed once per version of the service, not once per pod change.
 */
final class Selectors {

  private record Parsed(long revision, Map<String, String> selector) {}

  private final Projection projection;
  private final Map<ResourceKey, Parsed> parsed = new ConcurrentHashMap<>();

  Selectors(Projection projection) {
    this.projection = projection;
  }

  /** The services whose selector matches the pod's labels before or after the change. */
  Collection<ResourceKey> servicesOf(WatchEvent event) {
    StoredObject pod = event.object();
    Set<ResourceKey> keys = new LinkedHashSet<>();
    ListQuery query = ListQuery.in(EndpointsReconciler.SERVICE, pod.key().namespace());
    for (StoredObject service : projection.list(query).items()) {
      Map<String, String> selector = selectorOf(service);
      if (selector.isEmpty()) {
        continue;
      }
      if (matches(selector, pod.labels())
          || (event.previous() != null && matches(selector, event.previous().labels()))) {
        keys.add(service.key());
      }
    }
    return keys;
  }

  void forget(ResourceKey service) {
    parsed.remove(service);
  }

  private Map<String, String> selectorOf(StoredObject service) {
    Parsed p = parsed.get(service.key());
    if (p == null || p.revision() != service.revision()) {
      p = new Parsed(service.revision(), selector(service.object()));
      parsed.put(service.key(), p);
    }
    return p.selector();
  }

  /**
   * A service's spec.selector; empty when it has none (as an empty selector is stored upstream:
   * such a service selects nothing and gets no Endpoints from the controller).
   */
  static Map<String, String> selector(JsonNode service) {
    Map<String, String> selector = new LinkedHashMap<>();
    service
        .path("spec")
        .path("selector")
        .fields()
        .forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
    return selector;
  }

  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
