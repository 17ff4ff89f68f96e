package dev.keelson.apiserver.http;

import static dev.keelson.apiserver.http.Responses.fail;
import static dev.keelson.apiserver.http.Responses.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.apiserver.patch.PatchException;
import dev.keelson.apiserver.patch.PatchType;
import dev.keelson.apiserver.patch.Patches;
import dev.keelson.write.Admission;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteRefusedException;
import dev.keelson.write.WriteResult;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/** The subresources beyond status: pods/binding, and scale of deployments and replica sets. */
final class Subresources {

  private static final GroupKind SCALE = new GroupKind("autoscaling", "Scale");

  private final WritePath writes;
  private final ResourceWrites answers;
  private final ResourceReads reads;

  Subresources(WritePath writes, ResourceWrites answers, ResourceReads reads) {
    this.writes = writes;
    this.answers = answers;
    this.reads = reads;
  }

  /** POST pods/NAME/binding: assigns the pod to a node, once. */
  void bind(HttpServerRequest request, ApiPath.Resource target, WriteContext writer) {
    RequestBodies.object(
        request,
        binding -> {
          if (binding == null || !"Binding".equals(binding.path("kind").asText("Binding"))) {
            fail(request, ApiStatus.badRequest("the body of a binding must be a Binding"));
            return;
          }
          String bindingName = Meta.name(binding);
          if (!bindingName.isEmpty() && !bindingName.equals(target.name())) {
            fail(
                request, ApiStatus.badRequest("name in URL does not match name in Binding object"));
            return;
          }
          String node = binding.path("target").path("name").asText("");
          String targetKind = binding.path("target").path("kind").asText("Node");
          if (node.isEmpty() || !(targetKind.isEmpty() || targetKind.equals("Node"))) {
            fail(
                request,
                ApiStatus.invalid(
                    "bindings", target.name(), "target.name: Required value: a node is required"));
            return;
          }
          ResourceType type = target.type();
          ResourceKey key = ApiHandler.key(type, target.namespace(), target.name());
          String resourceVersion = Meta.resourceVersion(binding);
          UnaryOperator<ObjectNode> assign =
              pod -> {
                String bound = pod.path("spec").path("nodeName").asText("");
                if (!bound.isEmpty()) {
                  throw refused(
                      ApiStatus.conflict(
                          "pods",
                          target.name(),
                          "Operation cannot be fulfilled on pods/binding \""
                              + target.name()
                              + "\": pod "
                              + target.name()
                              + " is already assigned to node \""
                              + bound
                              + "\""));
                }
                if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
                  throw refused(
                      ApiStatus.conflict(
                          "pods",
                          target.name(),
                          "pod "
                              + target.name()
                              + " is being deleted, cannot be assigned to a host"));
                }
                ((ObjectNode) pod.with("spec")).put("nodeName", node);
                scheduledCondition(pod);
                Meta.metadata(pod).remove("resourceVersion");
                return pod;
              };
          answers
              .on(
                  writes.modify(
                      key,
                      resourceVersion.isEmpty() ? null : resourceVersion,
                      WritePath.Part.ALL,
                      writer,
                      assign,
                      Admission.NONE))
              .onComplete(
                  r -> {
                    if (r.succeeded() && r.result() instanceof WriteResult.Accepted) {
                      ObjectNode status = Json.object();
                      status.put("kind", "Status");
                      status.put("apiVersion", "v1");
                      status.putObject("metadata");
                      status.put("status", "Success");
                      status.put("code", 201);
                      json(request, 201, status);
                    } else {
                      answers.answer(request, type, target.name(), r, 201);
                    }
                  });
        });
  }

  private static void scheduledCondition(ObjectNode pod) {
    ObjectNode status = pod.with("status");
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    for (Iterator<JsonNode> it = conditions.iterator(); it.hasNext(); ) {
      if ("PodScheduled".equals(it.next().path("type").asText())) {
        it.remove();
      }
    }
    ObjectNode scheduled = conditions.addObject();
    scheduled.put("type", "PodScheduled");
    scheduled.put("status", "True");
    scheduled.putNull("lastProbeTime");
    scheduled.put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /**
   * PUT namespaces/NAME/finalize: sets the namespace's spec.finalizers, and nothing else. The
   * namespace controller clears them once the namespace is empty; the namespace then goes.
   */
  void finalizeNamespace(HttpServerRequest request, ApiPath.Resource target, WriteContext writer) {
    RequestBodies.object(
        request,
        body -> {
          if (body == null) {
            fail(request, ApiStatus.badRequest("the request body is empty"));
            return;
          }
          ResourceType type = target.type();
          JsonNode finalizers = body.path("spec").path("finalizers");
          String resourceVersion = Meta.resourceVersion(body);
          UnaryOperator<ObjectNode> change =
              namespace -> {
                ObjectNode spec = namespace.with("spec");
                if (finalizers.isArray()) {
                  spec.set("finalizers", finalizers.deepCopy());
                } else {
                  spec.remove("finalizers");
                }
                if (resourceVersion.isEmpty()) {
                  Meta.metadata(namespace).remove("resourceVersion");
                } else {
                  Meta.metadata(namespace).put("resourceVersion", resourceVersion);
                }
                return namespace;
              };
          answers
              .on(
                  writes.modify(
                      ApiHandler.key(type, null, target.name()),
                      null,
                      WritePath.Part.MAIN,
                      writer,
                      change,
                      Admission.NONE))
              .onComplete(r -> answers.answer(request, type, target.name(), r, 200));
        });
  }

  /** GET deployments/NAME/scale. */
  void getScale(HttpServerRequest request, ApiPath.Resource target) {
    ResourceType type = target.type();
    ResourceKey key = ApiHandler.key(type, target.namespace(), target.name());
    reads
        .readAt(request)
        .onFailure(e -> fail(request, ResourceReads.readFailure(e)))
        .onSuccess(
            revision -> {
              Optional<ObjectNode> found = answers.projection().get(key).map(s -> s.object());
              if (found.isEmpty()) {
                fail(request, ApiStatus.notFound(ApiHandler.resourceName(type), target.name()));
              } else {
                json(request, 200, scaleOf(found.get()));
              }
            });
  }

  /**
   * PUT deployments/NAME/scale: sets spec.replicas, at the Scale's resourceVersion if it has one.
   */
  void updateScale(HttpServerRequest request, ApiPath.Resource target, WriteContext writer) {
    RequestBodies.object(
        request,
        scale -> {
          if (scale == null) {
            fail(request, ApiStatus.badRequest("the request body is empty"));
            return;
          }
          rescale(request, target, writer, current -> scale);
        });
  }

  /** PATCH deployments/NAME/scale: patches the Scale, then sets spec.replicas from it. */
  void patchScale(HttpServerRequest request, ApiPath.Resource target, WriteContext writer) {
    Optional<PatchType> patchType = PatchType.fromContentType(request.getHeader("Content-Type"));
    if (patchType.isEmpty() || patchType.get() == PatchType.APPLY_PATCH) {
      fail(request, PatchRequests.unsupportedPatch());
      return;
    }
    RequestBodies.bytes(
        request,
        patch ->
            rescale(
                request,
                target,
                writer,
                current -> {
                  try {
                    return Patches.apply(patchType.get(), SCALE, current, patch);
                  } catch (PatchException e) {
                    throw refused(new ApiStatus(e.code(), e.reason(), e.getMessage(), null, null));
                  }
                }));
  }

  private void rescale(
      HttpServerRequest request,
      ApiPath.Resource target,
      WriteContext writer,
      UnaryOperator<ObjectNode> scaleChange) {
    ResourceType type = target.type();
    ResourceKey key = ApiHandler.key(type, target.namespace(), target.name());
    UnaryOperator<ObjectNode> change =
        object -> {
          ObjectNode scale = scaleChange.apply(scaleOf(object));
          JsonNode replicas = scale.path("spec").path("replicas");
          if (!replicas.isMissingNode() && (!replicas.canConvertToInt() || replicas.asInt() < 0)) {
            throw refused(
                new ApiStatus(
                    422,
                    "Invalid",
                    "Scale.autoscaling \""
                        + target.name()
                        + "\" is invalid: spec.replicas: Invalid value: "
                        + replicas
                        + ": must be greater than or equal to 0",
                    "deployments",
                    target.name()));
          }
          object.with("spec").put("replicas", replicas.isMissingNode() ? 0 : replicas.asInt());
          String asked = Meta.resourceVersion(scale);
          Meta.metadata(object).put("resourceVersion", asked);
          if (asked.isEmpty()) {
            Meta.metadata(object).remove("resourceVersion");
          }
          return object;
        };
    answers
        .on(writes.modify(key, null, WritePath.Part.MAIN, writer, change, Admission.NONE))
        .onComplete(
            r -> {
              if (r.succeeded() && r.result() instanceof WriteResult.Accepted accepted) {
                json(request, 200, scaleOf(accepted.object().object()));
              } else {
                answers.answer(request, type, target.name(), r, 200);
              }
            });
  }

  static ObjectNode scaleOf(ObjectNode object) {
    ObjectNode scale = Json.object();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    JsonNode source = object.path("metadata");
    for (String field : new String[] {"name", "namespace", "uid", "resourceVersion"}) {
      if (source.has(field)) {
        metadata.set(field, source.get(field));
      }
    }
    if (source.has("creationTimestamp")) {
      metadata.set("creationTimestamp", source.get("creationTimestamp"));
    }
    scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", object.path("status").path("replicas").asInt(0));
    status.put("selector", selectorString(object.path("spec").path("selector")));
    return scale;
  }

  private static String selectorString(JsonNode selector) {
    StringJoiner joined = new StringJoiner(",");
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      joined.add(label.getKey() + "=" + label.getValue().asText());
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText();
      StringJoiner values = new StringJoiner(",", "(", ")");
      expression.path("values").forEach(v -> values.add(v.asText()));
      switch (expression.path("operator").asText()) {
        case "In" -> joined.add(key + " in " + values);
        case "NotIn" -> joined.add(key + " notin " + values);
        case "Exists" -> joined.add(key);
        case "DoesNotExist" -> joined.add("!" + key);
        default -> {}
      }
    }
    return joined.toString();
  }

  static WriteRefusedException refused(ApiStatus status) {
    return new WriteRefusedException(status, status.message());
  }
}
