package dev.keelson.reconcilers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
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
import dev.keelson.write.DeleteOptions;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Upstream's namespace controller: a namespace being deleted (Terminating, with the "kubernetes"
 * finalizer) is emptied — every object in it is deleted, in the background — and once nothing is
 * left its finalizer is removed, with which the namespace goes. Until then its status conditions
 * say what remains. Pods take their grace period to go; their deletion queues the namespace.
 */
public final class NamespaceReconciler implements Reconciler {

  static final GroupKind NAMESPACE = GroupKind.core("Namespace");
  static final GroupKind POD = GroupKind.core("Pod");
  static final String FINALIZER = "kubernetes";
  static final Duration CONTENT_REMAINS = Duration.ofSeconds(2);
  static final Duration FINALIZERS_REMAIN = Duration.ofSeconds(15);

  private final Projection projection;
  private final ClusterWriter writer;

  NamespaceReconciler(ControlContext context) {
    this.projection = context.projection();
    this.writer = context.writerAs("namespace-controller");
  }

  public static Controller controller(ControlContext context) {
    NamespaceReconciler reconciler = new NamespaceReconciler(context);
    return Controller.builder("namespace", NAMESPACE, reconciler)
        .watch(POD, reconciler::namespaceOfGonePod)
        .build();
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    Optional<StoredObject> stored = projection.get(key);
    if (stored.isEmpty() || !finalizing(stored.get().object())) {
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    String namespace = key.name();
    return deleteContent(namespace)
        .thenCompose(
            failed -> {
              NamespaceContent left = NamespaceContent.of(contents(namespace), failed);
              return reportStatus(key, left).thenCompose(v -> finishOrWait(namespace, left));
            });
  }

  /** A namespace this controller has to empty: being deleted, still with its finalizer. */
  static boolean finalizing(JsonNode namespace) {
    if (!namespace.path("metadata").hasNonNull("deletionTimestamp")) {
      return false;
    }
    for (JsonNode f : namespace.path("spec").path("finalizers")) {
      if (FINALIZER.equals(f.asText())) {
        return true;
      }
    }
    return false;
  }

  /** Step 1: deletes what is not being deleted yet; answers the resources that refused. */
  private CompletableFuture<Set<String>> deleteContent(String namespace) {
    Set<String> failed = new TreeSet<>();
    List<CompletableFuture<?>> deletes = new ArrayList<>();
    contents(namespace)
        .forEach(
            (key, object) -> {
              if (object.path("metadata").hasNonNull("deletionTimestamp")) {
                return;
              }
              String uid = object.path("metadata").path("uid").asText(null);
              deletes.add(
                  writer
                      .delete(key, new DeleteOptions(null, "Background", uid, null))
                      .thenAccept(
                          result -> {
                            if (result instanceof WriteResult.Rejected r
                                && r.reason() != Rejection.NOT_FOUND
                                && r.reason() != Rejection.CONFLICT) {
                              synchronized (failed) {
                                failed.add(NamespaceContent.resource(key) + ": " + r.message());
                              }
                            }
                          }));
            });
    return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
        .thenApply(v -> failed);
  }

  /** Step 2: the conditions say what remains (written only when they change). */
  private CompletableFuture<Void> reportStatus(ResourceKey key, NamespaceContent left) {
    StoredObject current = projection.get(key).orElse(null);
    if (current == null) {
      return CompletableFuture.completedFuture(null);
    }
    JsonNode previous = current.object().path("status").path("conditions");
    String now = writer.now();
    ArrayNode wanted = left.conditions(previous, now);
    if (wanted.equals(previous)) {
      return CompletableFuture.completedFuture(null);
    }
    return writer
        .modify(
            key,
            null,
            WritePath.Part.STATUS,
            ns -> {
              ObjectNode status = ns.with("status");
              status.set("conditions", left.conditions(status.path("conditions"), now));
              return ns;
            })
        .thenApply(result -> null);
  }

  /** Step 3: an empty namespace loses its finalizer and goes; else look again soon. */
  private CompletableFuture<Outcome> finishOrWait(String namespace, NamespaceContent left) {
    if (!left.empty()) {
      Duration again = left.finalizers().isEmpty() ? CONTENT_REMAINS : FINALIZERS_REMAIN;
      return CompletableFuture.completedFuture(Outcome.requeueAfter(again));
    }
    return writer
        .finalizeNamespace(namespace, FINALIZER)
        .thenApply(
            result ->
                result instanceof WriteResult.Rejected r && r.reason() != Rejection.NOT_FOUND
                    ? Outcome.failed(new IllegalStateException(r.reason() + ": " + r.message()))
                    : Outcome.DONE);
  }

  /** Every object in the namespace, whatever its kind. */
  private Map<ResourceKey, JsonNode> contents(String namespace) {
    Map<ResourceKey, JsonNode> contents = new LinkedHashMap<>();
    for (StoredObject object : projection.all().items()) {
      if (object.key().namespace().equals(namespace)) {
        contents.put(object.key(), object.object());
      }
    }
    return contents;
  }

  /** A pod gone from a namespace being emptied may have been the last thing in it. */
  Collection<ResourceKey> namespaceOfGonePod(WatchEvent event) {
    if (event.type() != WatchEvent.Type.DELETED) {
      return List.of();
    }
    ResourceKey namespace = ResourceKey.of("", "Namespace", "", event.object().key().namespace());
    boolean terminating =
        projection
            .get(namespace)
            .map(ns -> "Terminating".equals(ns.fields().get("status.phase")))
            .orElse(false);
    return terminating ? List.of(namespace) : List.of();
  }
}
