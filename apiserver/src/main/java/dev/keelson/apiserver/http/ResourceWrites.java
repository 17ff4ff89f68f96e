package dev.keelson.apiserver.http;

import static dev.keelson.apiserver.http.Responses.fail;
import static dev.keelson.apiserver.http.Responses.json;
import static dev.keelson.apiserver.http.Responses.raw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Op;
import dev.keelson.apiserver.admission.ServiceAllocator;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.projection.Projection;
import dev.keelson.projection.ReadBarrier;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;
import dev.keelson.write.DeleteOptions;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteRefusedException;
import dev.keelson.write.WriteResult;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** create, update, delete and deletecollection, admitted here and written through the log. */
final class ResourceWrites {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceWrites.class);

  private final Projection projection;
  private final ReadBarrier barrier;
  private final WritePath writes;
  private final Context context;
  private final Projection namespaces;
  private final ReadBarrier namespacesBarrier;
  private final ServiceAllocator allocator;

  ResourceWrites(
      Projection projection,
      ReadBarrier barrier,
      WritePath writes,
      Context context,
      ServiceAllocator allocator) {
    this(projection, barrier, writes, context, projection, barrier, allocator);
  }

  /** Writes to a store whose namespaces live in another (node leases: the change log's). */
  ResourceWrites(
      Projection projection,
      ReadBarrier barrier,
      WritePath writes,
      Context context,
      Projection namespaces,
      ReadBarrier namespacesBarrier,
      ServiceAllocator allocator) {
    this.projection = projection;
    this.barrier = barrier;
    this.writes = writes;
    this.context = context;
    this.namespaces = namespaces;
    this.namespacesBarrier = namespacesBarrier;
    this.allocator = allocator;
  }

  /** What gives the Services written here their cluster IPs and ports. */
  ServiceAllocator allocator() {
    return allocator;
  }

  void create(HttpServerRequest request, ApiPath.Resource target, WriteContext writer) {
    admittedBody(
        request,
        target,
        null,
        object -> {
          ResourceType type = target.type();
          if ("All".equals(request.getParam("dryRun"))) {
            dryRunCreate(request, type, object);
            return;
          }
          namespaceAccepts(type, target.namespace())
              .onFailure(e -> fail(request, ApiStatus.internal("the change log is unreachable")))
              .onSuccess(
                  refused -> {
                    if (refused.isPresent()) {
                      fail(request, refused.get());
                    } else {
                      on(writes.create(object, writer, Admitting.create(type, allocator)))
                          .onComplete(r -> answer(request, type, Meta.name(object), r, 201));
                    }
                  });
        });
  }

  /**
   * Reads the body of a create or update and fills in what its path decides ({@code name} is the
   * URL's, or null for a create); answers 4xx for an empty, mismatched or (strictly) unknown body.
   */
  private static void admittedBody(
      HttpServerRequest request,
      ApiPath.Resource target,
      String name,
      java.util.function.Consumer<ObjectNode> then) {
    RequestBodies.object(
        request,
        object -> {
          ResourceType type = target.type();
          if (object == null) {
            fail(request, ApiStatus.badRequest("the request body is empty"));
            return;
          }
          Optional<ApiStatus> problem =
              Admitting.path(type, target.namespace(), name, object)
                  .or(() -> Admitting.unknownFields(request, type, object));
          if (problem.isPresent()) {
            fail(request, problem.get());
            return;
          }
          then.accept(object);
        });
  }

  void update(HttpServerRequest request, ApiPath.Resource target, WriteContext writer) {
    if (refuseDryRun(request)) {
      return;
    }
    admittedBody(
        request,
        target,
        target.name(),
        object -> {
          ResourceType type = target.type();
          CompletableFuture<WriteResult> result =
              "status".equals(target.subresource())
                  ? writes.updateStatus(object, writer, Admitting.status(type))
                  : writes.update(object, writer, Admitting.update(type, allocator));
          on(result).onComplete(r -> answer(request, type, target.name(), r, 200));
        });
  }

  void delete(HttpServerRequest request, ApiPath.Resource target, WriteContext writer) {
    if (refuseDryRun(request)) {
      return;
    }
    RequestBodies.object(
        request,
        body -> {
          DeleteOptions options;
          try {
            options = deleteOptions(request, body);
          } catch (InvalidOptions e) {
            fail(request, e.status);
            return;
          } catch (IllegalArgumentException e) {
            fail(request, ApiStatus.badRequest(e.getMessage()));
            return;
          }
          ResourceType type = target.type();
          ResourceKey key = ApiHandler.key(type, target.namespace(), target.name());
          on(writes.delete(key, options, writer))
              .onComplete(r -> answerDelete(request, type, target.name(), r));
        });
  }

  /** Deletes every selected object, one by one, and answers the list of what it deleted. */
  void deleteCollection(
      HttpServerRequest request,
      ApiPath.Resource target,
      WriteContext writer,
      ResourceReads reads) {
    if (refuseDryRun(request)) {
      return;
    }
    RequestBodies.object(
        request,
        body -> {
          DeleteOptions options;
          ResourceReads.Selection selection;
          try {
            options = deleteOptions(request, body);
            selection = ResourceReads.Selection.of(request, target);
          } catch (InvalidOptions e) {
            fail(request, e.status);
            return;
          } catch (IllegalArgumentException e) {
            fail(request, ApiStatus.badRequest(e.getMessage()));
            return;
          }
          ResourceType type = target.type();
          reads
              .readAt(request)
              .onFailure(e -> fail(request, ResourceReads.readFailure(e)))
              .onSuccess(
                  revision -> {
                    List<CompletableFuture<WriteResult>> deletes = new ArrayList<>();
                    for (StoredObject object : projection.list(selection.query()).items()) {
                      if (selection.matches(object)) {
                        deletes.add(writes.delete(object.key(), options, writer));
                      }
                    }
                    on(CompletableFuture.allOf(deletes.toArray(new CompletableFuture<?>[0])))
                        .onComplete(
                            done -> {
                              StringBuilder items = new StringBuilder();
                              for (CompletableFuture<WriteResult> d : deletes) {
                                WriteResult result = d.getNow(null);
                                if (result instanceof WriteResult.Accepted accepted) {
                                  items.append(items.length() == 0 ? "" : ",");
                                  items.append(
                                      new String(
                                          accepted.object().json(),
                                          java.nio.charset.StandardCharsets.UTF_8));
                                }
                              }
                              raw(
                                  request,
                                  200,
                                  ("{\"kind\":\""
                                          + type.kind()
                                          + "List\",\"apiVersion\":\""
                                          + type.apiVersion()
                                          + "\",\"metadata\":{\"resourceVersion\":\""
                                          + projection.revision()
                                          + "\"},\"items\":["
                                          + items
                                          + "]}")
                                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            });
                  });
        });
  }

  /** A create that stops before the log: the object as it would be stored, minus its version. */
  private void dryRunCreate(HttpServerRequest request, ResourceType type, ObjectNode object) {
    ObjectNode metadata = Meta.metadata(object);
    if (Meta.name(object).isEmpty() && !metadata.path("generateName").asText("").isEmpty()) {
      metadata.put("name", metadata.path("generateName").asText() + "dryrn");
    }
    metadata.put("uid", java.util.UUID.randomUUID().toString());
    metadata.put(
        "creationTimestamp",
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    try {
      Admitting.create(type, allocator).admit(object, null);
    } catch (WriteRefusedException e) {
      fail(request, refusal(e));
      return;
    }
    json(request, 201, object);
  }

  /** DeleteOptions from the body (when given) and the query, as kubectl and clients send them. */
  static DeleteOptions deleteOptions(HttpServerRequest request, ObjectNode body) {
    Long grace = null;
    String propagation = null;
    String uid = null;
    String resourceVersion = null;
    if (body != null) {
      String kind = body.path("kind").asText("DeleteOptions");
      if (!kind.equals("DeleteOptions")) {
        throw new IllegalArgumentException(
            "the body of a delete must be DeleteOptions, not " + kind);
      }
      if (body.hasNonNull("gracePeriodSeconds")) {
        grace = body.get("gracePeriodSeconds").asLong();
      }
      propagation = body.path("propagationPolicy").asText(null);
      if (body.path("orphanDependents").asBoolean(false) && propagation == null) {
        propagation = "Orphan";
      }
      JsonNode preconditions = body.path("preconditions");
      uid = preconditions.path("uid").asText(null);
      resourceVersion = preconditions.path("resourceVersion").asText(null);
    }
    String graceParam = request.getParam("gracePeriodSeconds");
    if (graceParam != null && !graceParam.isEmpty()) {
      try {
        grace = Long.parseLong(graceParam);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "gracePeriodSeconds: Invalid value: \"" + graceParam + "\"");
      }
    }
    String propagationParam = request.getParam("propagationPolicy");
    if (propagationParam != null && !propagationParam.isEmpty()) {
      propagation = propagationParam;
    }
    if (propagation != null
        && !List.of("Orphan", "Background", "Foreground").contains(propagation)) {
      throw new InvalidOptions(
          ApiStatus.invalid(
              "DeleteOptions.meta.k8s.io",
              "",
              "propagationPolicy: Unsupported value: \""
                  + propagation
                  + "\": supported values: \"Foreground\", \"Background\", \"Orphan\""));
    }
    if (grace != null && grace < 0) {
      grace = 0L;
    }
    return new DeleteOptions(grace, propagation, uid, resourceVersion);
  }

  /** DeleteOptions that parse but are not valid: 422, as upstream validates them. */
  static final class InvalidOptions extends IllegalArgumentException {
    final transient ApiStatus status;

    InvalidOptions(ApiStatus status) {
      super(status.message());
      this.status = status;
    }
  }

  /** Whether the namespace exists and takes new objects; an answer when it does not. */
  private Future<Optional<ApiStatus>> namespaceAccepts(ResourceType type, String namespace) {
    if (!type.namespaced()) {
      return Future.succeededFuture(Optional.empty());
    }
    ResourceKey key = ResourceKey.of("", "Namespace", "", namespace);
    CompletableFuture<Optional<StoredObject>> found =
        namespaces.get(key).isPresent()
            ? CompletableFuture.completedFuture(namespaces.get(key))
            : namespacesBarrier.sync().thenApply(r -> namespaces.get(key));
    return on(found)
        .map(
            ns -> {
              if (ns.isEmpty()) {
                return Optional.of(ApiStatus.notFound("namespaces", namespace));
              }
              // A namespace being deleted is Terminating (see Deletion); the indexed phase says so
              // without parsing the namespace on every create.
              if ("Terminating".equals(ns.get().fields().get("status.phase"))) {
                return Optional.of(
                    new ApiStatus(
                        403,
                        "Forbidden",
                        "unable to create new content in namespace "
                            + namespace
                            + " because it is being terminated",
                        type.plural(),
                        null));
              }
              return Optional.empty();
            });
  }

  private boolean refuseDryRun(HttpServerRequest request) {
    String dryRun = request.getParam("dryRun");
    if (dryRun != null && !dryRun.isEmpty()) {
      fail(request, ApiStatus.badRequest("dryRun is supported for create only"));
      return true;
    }
    return false;
  }

  private void answerDelete(
      HttpServerRequest request, ResourceType type, String name, AsyncResult<WriteResult> r) {
    if (r.succeeded() && r.result() instanceof WriteResult.Accepted accepted) {
      if (accepted.op() != Op.DELETE) {
        raw(request, 202, accepted.object().json()); // still there, being deleted
      } else if (type.kind().equals("Pod")) {
        raw(request, 200, accepted.object().json());
      } else {
        json(request, 200, success(type, accepted.object()));
      }
      return;
    }
    answer(request, type, name, r, 200);
  }

  private static ObjectNode success(ResourceType type, StoredObject deleted) {
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success");
    ObjectNode details = status.putObject("details");
    details.put("name", deleted.key().name());
    if (!type.group().isEmpty()) {
      details.put("group", type.group());
    }
    details.put("kind", type.plural());
    details.put("uid", deleted.uid());
    return status;
  }

  /** Answers a write's result: the object, or the Status of its rejection. */
  void answer(
      HttpServerRequest request,
      ResourceType type,
      String name,
      AsyncResult<WriteResult> result,
      int okCode) {
    if (result.failed()) {
      Throwable cause = ResourceReads.unwrap(result.cause());
      if (cause instanceof WriteRefusedException refused) {
        fail(request, refusal(refused, type, name));
        return;
      }
      LOG.warn("write of {} {} failed: {}", type.kind(), name, cause.toString());
      fail(request, ApiStatus.internal("the change could not be written to the log"));
      return;
    }
    String resource = ApiHandler.resourceName(type);
    WriteResult written = result.result();
    if (written instanceof WriteResult.Accepted accepted) {
      raw(request, okCode, accepted.object().json());
      return;
    }
    WriteResult.Rejected rejected = (WriteResult.Rejected) written;
    String objectName = rejected.current() != null ? rejected.current().key().name() : name;
    ApiStatus status =
        switch (rejected.reason()) {
          case ALREADY_EXISTS ->
              new ApiStatus(
                  409,
                  "AlreadyExists",
                  resource + " \"" + objectName + "\" already exists",
                  type.plural(),
                  objectName);
          case CONFLICT ->
              ApiStatus.conflict(
                  type.plural(),
                  objectName,
                  "Operation cannot be fulfilled on "
                      + resource
                      + " \""
                      + objectName
                      + "\": the object has been modified; please apply your changes to the latest"
                      + " version and try again");
          case NOT_FOUND -> ApiStatus.notFound(resource, objectName);
          case INVALID, ALLOCATED -> ApiStatus.invalid(resource, objectName, rejected.message());
        };
    fail(request, status);
  }

  static ApiStatus refusal(WriteRefusedException e) {
    return refusal(e, null, null);
  }

  private static ApiStatus refusal(WriteRefusedException e, ResourceType type, String name) {
    if (e.reason() instanceof ApiStatus status) {
      return status;
    }
    if (e.reason() == Rejection.CONFLICT) {
      return ApiStatus.conflict(type == null ? null : type.plural(), name, e.getMessage());
    }
    return ApiStatus.badRequest(e.getMessage());
  }

  Projection projection() {
    return projection;
  }

  <T> Future<T> on(CompletableFuture<T> future) {
    return Future.fromCompletionStage(future, context);
  }
}
