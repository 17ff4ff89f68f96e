package dev.keelson.reconcilers.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Upstream's service account controller: every namespace that is not being deleted has a
 * ServiceAccount named {@value #DEFAULT}, the one pods run as when they name none; it is made again
 * when it is deleted.
 */
public final class ServiceAccountReconciler implements Reconciler {

  static final GroupKind NAMESPACE = GroupKind.core("Namespace");
  static final GroupKind SERVICE_ACCOUNT = GroupKind.core("ServiceAccount");
  static final String DEFAULT = "default";

  private final Projection projection;
  private final ClusterWriter writer;

  ServiceAccountReconciler(ControlContext context) {
    this.projection = context.projection();
    this.writer = context.writerAs("service-account-controller");
  }

  public static Controller controller(ControlContext context) {
    return Controller.builder("serviceaccount", NAMESPACE, new ServiceAccountReconciler(context))
        .watch(SERVICE_ACCOUNT, ServiceAccountReconciler::namespaceOfDeletedDefault)
        .build();
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    Optional<StoredObject> namespace = projection.get(key);
    if (namespace.isEmpty() || !active(namespace.get().object())) {
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    ResourceKey account = ResourceKey.of("", "ServiceAccount", key.name(), DEFAULT);
    if (projection.get(account).isPresent()) {
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    return writer.create(defaultAccount(key.name())).thenApply(ServiceAccountReconciler::outcome);
  }

  /** A namespace takes new objects unless it is being deleted. */
  static boolean active(JsonNode namespace) {
    return !namespace.path("metadata").hasNonNull("deletionTimestamp")
        && !"Terminating".equals(namespace.path("status").path("phase").asText());
  }

  static ObjectNode defaultAccount(String namespace) {
    ObjectNode account = Json.object();
    account.put("apiVersion", "v1");
    account.put("kind", "ServiceAccount");
    account.putObject("metadata").put("name", DEFAULT).put("namespace", namespace);
    return account;
  }

  /** The default ServiceAccount's deletion queues its namespace. */
  static Collection<ResourceKey> namespaceOfDeletedDefault(WatchEvent event) {
    ResourceKey key = event.object().key();
    if (event.type() != WatchEvent.Type.DELETED || !DEFAULT.equals(key.name())) {
      return List.of();
    }
    return List.of(ResourceKey.of("", "Namespace", "", key.namespace()));
  }

  /** One made meanwhile by someone else is as good; any other refusal is retried. */
  private static Outcome outcome(WriteResult result) {
    if (result instanceof WriteResult.Rejected r && r.reason() != Rejection.ALREADY_EXISTS) {
      return Outcome.failed(new IllegalStateException(r.reason() + ": " + r.message()));
    }
    return Outcome.DONE;
  }
}
