package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.selector.LabelSelector;
import dev.keelson.projection.Rejection;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteRefusedException;
import dev.keelson.write.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

/**
 * Carries out {@link Claims}: adopts orphans by adding the owner's controller reference, releases
 * owned objects by removing it. Each change is re-checked on the object's current version, so an
 * object that changed meanwhile (another owner adopted it, its labels changed back) is left as it
 * is.
 */
public final class Claimer {

  private final ClusterWriter writer;

  public Claimer(ClusterWriter writer) {
    this.writer = writer;
  }

  /** Completes with what the owner controls after the claims: the owned and the adopted. */
  public CompletableFuture<List<JsonNode>> claim(JsonNode owner, Claims claims) {
    LabelSelector selector = LabelSelector.fromSpec(owner.path("spec").path("selector"));
    List<CompletableFuture<JsonNode>> adoptions = new ArrayList<>();
    for (JsonNode object : claims.adopt()) {
      adoptions.add(adopt(owner, selector, object));
    }
    List<CompletableFuture<JsonNode>> releases = new ArrayList<>();
    for (JsonNode object : claims.release()) {
      releases.add(release(owner, object));
    }
    List<CompletableFuture<JsonNode>> all = new ArrayList<>(adoptions);
    all.addAll(releases);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<JsonNode> owned = new ArrayList<>(claims.owned());
              for (CompletableFuture<JsonNode> adopted : adoptions) {
                if (adopted.join() != null) {
                  owned.add(adopted.join());
                }
              }
              return owned;
            });
  }

  private CompletableFuture<JsonNode> adopt(
      JsonNode owner, LabelSelector selector, JsonNode object) {
    String uid = Meta.uid(object);
    return change(
        object,
        current -> {
          if (!uid.equals(Meta.uid(current))
              || Owners.controllerOf(current).isPresent()
              || Owners.deleting(current)
              || !selector.matches(Meta.labels(current))) {
            throw new WriteRefusedException(Rejection.CONFLICT, "no longer an orphan to adopt");
          }
          Owners.addOwner(current, Owners.controllerRef(owner));
          Meta.metadata(current).remove("resourceVersion");
          return current;
        });
  }

  private CompletableFuture<JsonNode> release(JsonNode owner, JsonNode object) {
    String uid = Meta.uid(object);
    String ownerUid = Meta.uid(owner);
    return change(
        object,
        current -> {
          if (!uid.equals(Meta.uid(current)) || !Owners.isControlledBy(current, ownerUid)) {
            throw new WriteRefusedException(Rejection.CONFLICT, "no longer owned");
          }
          Owners.removeOwner(current, ownerUid);
          Meta.metadata(current).remove("resourceVersion");
          return current;
        });
  }

  /**
   * Applies {@code change} to the object's current version; completes with the changed object, or
   * null when the object is gone or no longer fits (upstream ignores those too).
   */
  private CompletableFuture<JsonNode> change(JsonNode object, UnaryOperator<ObjectNode> change) {
    ResourceKey key = ResourceKey.of(object);
    return writer
        .modify(key, null, WritePath.Part.MAIN, change)
        .handle(
            (result, error) -> {
              Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
              if (cause instanceof WriteRefusedException) {
                return null;
              }
              if (cause != null) {
                throw new CompletionException(cause);
              }
              if (result instanceof WriteResult.Accepted a) {
                return (JsonNode) a.object().object();
              }
              WriteResult.Rejected r = (WriteResult.Rejected) result;
              if (r.reason() == Rejection.NOT_FOUND || r.reason() == Rejection.CONFLICT) {
                return null;
              }
              throw new WriteRefusedException(r.reason(), r.message());
            });
  }
}
