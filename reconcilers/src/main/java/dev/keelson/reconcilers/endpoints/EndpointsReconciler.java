package dev.keelson.reconcilers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.Projection;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.Controller;
import dev.keelson.reconcilers.control.Outcome;
import dev.keelson.reconcilers.control.Reconciler;
import dev.keelson.write.WriteResult;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Upstream's endpoints controller: every Service with a selector has an Endpoints object of its
 * name listing the pods it selects (see {@link EndpointSubsets}), written only when it changes; a
 * Service without a selector keeps the Endpoints its owner writes; the Endpoints of a Service that
 * is gone are deleted. A pod's change queues the services that select it, before or after.
 */
public final class EndpointsReconciler implements Reconciler {

  static final GroupKind SERVICE = GroupKind.core("Service");
  static final GroupKind POD = GroupKind.core("Pod");
  static final GroupKind ENDPOINTS = GroupKind.core("Endpoints");
  static final String HEADLESS = "service.kubernetes.io/headless";

  /** Endpoints that hold a leader election (old-style) are no service's. */
  static final String LEADER = "control-plane.alpha.kubernetes.io/leader";

  private final Projection projection;
  private final ClusterWriter writer;
  private final Selectors selectors;
  private final AtomicBoolean sweptLeftovers = new AtomicBoolean();
  private volatile Controller controller;

  EndpointsReconciler(ControlContext context) {
    this.projection = context.projection();
    ClusterWriter own = context.writerAs("endpoint-controller");
    this.writer = own.with(new NodeAddressAdmission(own.admission()));
    this.selectors = new Selectors(projection);
  }

  public static Controller controller(ControlContext context) {
    EndpointsReconciler reconciler = new EndpointsReconciler(context);
    Controller controller =
        Controller.builder("endpoints", SERVICE, reconciler)
            .watch(POD, reconciler.selectors::servicesOf)
            .watch(ENDPOINTS, EndpointsReconciler::serviceOfDeleted)
            .build();
    reconciler.controller = controller;
    return controller;
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    sweepLeftovers();
    ResourceKey endpointsKey = ResourceKey.of("", "Endpoints", key.namespace(), key.name());
    Optional<StoredObject> service = projection.get(key);
    Optional<StoredObject> current = projection.get(endpointsKey);
    if (service.isEmpty()) {
      selectors.forget(key);
      return current.isEmpty() ? done() : deleteLeftover(current.get());
    }
    ObjectNode svc = service.get().object();
    Map<String, String> selector = Selectors.selector(svc);
    if (selector.isEmpty()) {
      return done(); // its Endpoints are written by whoever made the service
    }
    List<ObjectNode> pods =
        projection.list(ListQuery.in(POD, key.namespace()).withLabels(selector)).items().stream()
            .map(StoredObject::object)
            .toList();
    ArrayNode subsets = EndpointSubsets.toJson(EndpointSubsets.compute(svc, pods));
    Map<String, String> labels = labels(svc);
    if (current.isEmpty()) {
      return terminating(key.namespace()) ? done() : create(svc, labels, subsets);
    }
    return update(current.get(), labels, subsets);
  }

  /** The Endpoints' labels: the service's, with upstream's mark of a headless service. */
  static Map<String, String> labels(JsonNode service) {
    Map<String, String> labels = new java.util.TreeMap<>(Meta.labels(service));
    String clusterIp = service.path("spec").path("clusterIP").asText("");
    if (clusterIp.isEmpty() || clusterIp.equals("None")) {
      labels.put(HEADLESS, "");
    } else {
      labels.remove(HEADLESS);
    }
    return labels;
  }

  private CompletionStage<Outcome> create(
      JsonNode service, Map<String, String> labels, ArrayNode subsets) {
    ObjectNode endpoints = Json.object();
    endpoints.put("apiVersion", "v1");
    endpoints.put("kind", "Endpoints");
    ObjectNode metadata = endpoints.putObject("metadata");
    metadata.put("name", Meta.name(service));
    metadata.put("namespace", Meta.namespace(service));
    if (!labels.isEmpty()) {
      metadata.set("labels", Json.mapper().valueToTree(labels));
    }
    if (!subsets.isEmpty()) {
      endpoints.set("subsets", subsets);
    }
    return writer.create(endpoints).thenApply(EndpointsReconciler::outcome);
  }

  private CompletionStage<Outcome> update(
      StoredObject stored, Map<String, String> labels, ArrayNode subsets) {
    ObjectNode current = stored.object();
    JsonNode currentSubsets = current.path("subsets");
    boolean sameSubsets =
        currentSubsets.isArray() ? currentSubsets.equals(subsets) : subsets.isEmpty();
    if (sameSubsets && Meta.labels(current).equals(labels)) {
      return done();
    }
    ObjectNode metadata = Meta.metadata(current);
    if (labels.isEmpty()) {
      metadata.remove("labels");
    } else {
      metadata.set("labels", Json.mapper().valueToTree(labels));
    }
    if (subsets.isEmpty()) {
      current.remove("subsets");
    } else {
      current.set("subsets", subsets);
    }
    return writer.update(current).thenApply(EndpointsReconciler::outcome);
  }

  private CompletionStage<Outcome> deleteLeftover(StoredObject endpoints) {
    if (Meta.metadata(endpoints.object()).path("annotations").has(LEADER)) {
      return done();
    }
    return writer.delete(endpoints.key(), endpoints.uid()).thenApply(EndpointsReconciler::outcome);
  }

  /**
   * Once per term, as upstream's checkLeftoverEndpoints: Endpoints whose Service went while no
   * controller was watching are queued under the Service's key, and so deleted.
   */
  private void sweepLeftovers() {
    Controller c = controller;
    if (c == null || !sweptLeftovers.compareAndSet(false, true)) {
      return;
    }
    for (StoredObject endpoints : projection.list(ListQuery.all(ENDPOINTS)).items()) {
      ResourceKey service =
          ResourceKey.of("", "Service", endpoints.key().namespace(), endpoints.key().name());
      if (projection.get(service).isEmpty()) {
        c.enqueue(service);
      }
    }
  }

  private boolean terminating(String namespace) {
    return projection
        .get(ResourceKey.of("", "Namespace", "", namespace))
        .map(ns -> "Terminating".equals(ns.fields().get("status.phase")))
        .orElse(true);
  }

  /** Endpoints deleted by someone else are made again (queued under their Service's key). */
  static Collection<ResourceKey> serviceOfDeleted(WatchEvent event) {
    if (event.type() != WatchEvent.Type.DELETED) {
      return List.of();
    }
    ResourceKey key = event.object().key();
    Set<ResourceKey> keys = new LinkedHashSet<>();
    keys.add(ResourceKey.of("", "Service", key.namespace(), key.name()));
    return keys;
  }

  /** A write that lost a race fails the reconcile, which runs again on the current state. */
  private static Outcome outcome(WriteResult result) {
    if (result instanceof WriteResult.Rejected r && r.reason() != Rejection.NOT_FOUND) {
      return Outcome.failed(new IllegalStateException(r.reason() + ": " + r.message()));
    }
    return Outcome.DONE;
  }

  private static CompletionStage<Outcome> done() {
    return CompletableFuture.completedFuture(Outcome.DONE);
  }
}
