package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.api.selector.FieldSelector;
import dev.keelson.api.selector.LabelSelector;
import dev.keelson.apiserver.codec.KubeProtobuf;
import dev.keelson.apiserver.discovery.Discovery;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.apiserver.security.TokenAuthenticator;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.ListResult;
import dev.keelson.projection.Projection;
import dev.keelson.projection.ReadBarrier;
import dev.keelson.projection.StoredObject;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes REST API over the projection and the write path: discovery, and get, list, create,
 * update and delete of the registered resources. Every answer that is not a success is a {@code
 * Status}. Runs on a Vert.x event loop and never blocks it: reads and writes are futures.
 */
final class ApiHandler {

  static final long MAX_BODY = 3 * 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final ResourceRegistry registry;
  private final Discovery discovery;
  private final TokenAuthenticator tokens;
  private final Projection projection;
  private final ReadBarrier barrier;
  private final WritePath writes;
  private final Context context;
  private final String serverAddress;

  ApiHandler(
      ResourceRegistry registry,
      TokenAuthenticator tokens,
      Projection projection,
      ReadBarrier barrier,
      WritePath writes,
      Context context,
      String serverAddress) {
    this.registry = registry;
    this.discovery = new Discovery(registry);
    this.tokens = tokens;
    this.projection = projection;
    this.barrier = barrier;
    this.writes = writes;
    this.context = context;
    this.serverAddress = serverAddress;
  }

  void handle(HttpServerRequest request) {
    try {
      route(request);
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed", request.method(), request.path(), e);
      fail(request, ApiStatus.internal("the request could not be served"));
    }
  }

  private void route(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/healthz") || path.equals("/livez")) {
      text(request, 200, "ok");
      return;
    }
    if (path.equals("/readyz")) {
      on(projection.caughtUp())
          .onComplete(
              r ->
                  text(
                      request,
                      r.succeeded() && r.result() ? 200 : 503,
                      r.succeeded() && r.result() ? "ok" : "catching up"));
      return;
    }
    Optional<Actor> actor = tokens.authenticate(request.getHeader("Authorization"));
    if (actor.isEmpty()) {
      fail(request, ApiStatus.unauthorized());
      return;
    }
    ApiPath target = ApiPath.parse(path, registry);
    if (!(target instanceof ApiPath.Resource) && request.method() != HttpMethod.GET) {
      fail(request, ApiStatus.methodNotAllowed(request.method().name()));
      return;
    }
    if (target instanceof ApiPath.Version) {
      json(request, 200, version());
    } else if (target instanceof ApiPath.CoreVersions) {
      json(request, 200, Json.mapper().valueToTree(discovery.coreVersions(serverAddress)));
    } else if (target instanceof ApiPath.Groups) {
      json(request, 200, Json.mapper().valueToTree(discovery.groups()));
    } else if (target instanceof ApiPath.Resources r) {
      discovery
          .resources(r.group(), r.version())
          .ifPresentOrElse(
              list -> json(request, 200, Json.mapper().valueToTree(list)),
              () -> fail(request, notFoundPath()));
    } else if (target instanceof ApiPath.Resource r) {
      resource(request, r, actor.get());
    } else {
      fail(request, notFoundPath());
    }
  }

  private void resource(HttpServerRequest request, ApiPath.Resource target, Actor actor) {
    ResourceType type = target.type();
    if (type.namespaced() && target.namespace() == null && target.name() != null) {
      fail(request, notFoundPath());
      return;
    }
    HttpMethod method = request.method();
    WriteContext context = new WriteContext(actor, auditId(request));
    if (method == HttpMethod.GET && target.name() == null) {
      list(request, target);
    } else if (method == HttpMethod.GET) {
      get(request, target);
    } else if (method == HttpMethod.POST && target.name() == null) {
      withBody(request, body -> create(request, target, body, context));
    } else if (method == HttpMethod.PUT && target.name() != null) {
      withBody(request, body -> update(request, target, body, context));
    } else if (method == HttpMethod.DELETE
        && target.name() != null
        && target.subresource() == null) {
      delete(request, target, context);
    } else {
      fail(request, ApiStatus.methodNotAllowed(method.name()));
    }
  }

  private void get(HttpServerRequest request, ApiPath.Resource target) {
    ResourceKey key = key(target.type(), target.namespace(), target.name());
    on(barrier.sync())
        .onSuccess(
            revision ->
                projection
                    .get(key)
                    .ifPresentOrElse(
                        object -> raw(request, 200, object.json()),
                        () ->
                            fail(
                                request,
                                ApiStatus.notFound(resourceName(target.type()), target.name()))))
        .onFailure(e -> fail(request, ApiStatus.internal("the change log is unreachable")));
  }

  private void list(HttpServerRequest request, ApiPath.Resource target) {
    LabelSelector labels;
    FieldSelector fields;
    try {
      labels = LabelSelector.parse(request.getParam("labelSelector"));
      fields = FieldSelector.parse(request.getParam("fieldSelector"));
    } catch (IllegalArgumentException e) {
      fail(request, ApiStatus.badRequest(e.getMessage()));
      return;
    }
    ResourceType type = target.type();
    ListQuery query =
        new ListQuery(
            type.groupKind(), target.namespace(), labels.equalities(), fields.equalities());
    on(barrier.sync())
        .onSuccess(
            revision -> {
              ListResult result = projection.list(query);
              Buffer body = Buffer.buffer(256 + result.items().size() * 512);
              body.appendString(
                  "{\"kind\":\""
                      + type.kind()
                      + "List\",\"apiVersion\":\""
                      + type.apiVersion()
                      + "\",\"metadata\":{\"resourceVersion\":\""
                      + result.revision()
                      + "\"},\"items\":[");
              boolean first = true;
              for (StoredObject object : result.items()) {
                if (labels.matches(object.labels()) && fields.matches(object.fields())) {
                  if (!first) {
                    body.appendByte((byte) ',');
                  }
                  body.appendBytes(object.json());
                  first = false;
                }
              }
              body.appendString("]}");
              request
                  .response()
                  .setStatusCode(200)
                  .putHeader("content-type", "application/json")
                  .end(body);
            })
        .onFailure(e -> fail(request, ApiStatus.internal("the change log is unreachable")));
  }

  private void create(
      HttpServerRequest request, ApiPath.Resource target, ObjectNode object, WriteContext context) {
    ResourceType type = target.type();
    Optional<ApiStatus> problem = admit(type, target.namespace(), null, object);
    if (problem.isPresent()) {
      fail(request, problem.get());
      return;
    }
    CompletableFuture<Optional<ApiStatus>> namespaceCheck =
        type.namespaced()
            ? namespaceExists(target.namespace())
                .thenApply(
                    exists ->
                        exists
                            ? Optional.<ApiStatus>empty()
                            : Optional.of(ApiStatus.notFound("namespaces", target.namespace())))
            : CompletableFuture.completedFuture(Optional.empty());
    on(namespaceCheck)
        .onComplete(
            check -> {
              if (check.failed()) {
                fail(request, ApiStatus.internal("the change log is unreachable"));
              } else if (check.result().isPresent()) {
                fail(request, check.result().get());
              } else {
                on(writes.create(object, context))
                    .onComplete(r -> answer(request, type, Meta.name(object), r, 201));
              }
            });
  }

  private void update(
      HttpServerRequest request, ApiPath.Resource target, ObjectNode object, WriteContext context) {
    ResourceType type = target.type();
    Optional<ApiStatus> problem = admit(type, target.namespace(), target.name(), object);
    if (problem.isPresent()) {
      fail(request, problem.get());
      return;
    }
    CompletableFuture<WriteResult> result =
        "status".equals(target.subresource())
            ? writes.updateStatus(object, context)
            : writes.update(object, context);
    on(result).onComplete(r -> answer(request, type, target.name(), r, 200));
  }

  private void delete(HttpServerRequest request, ApiPath.Resource target, WriteContext context) {
    ResourceKey key = key(target.type(), target.namespace(), target.name());
    on(writes.delete(key, null, context))
        .onComplete(r -> answer(request, target.type(), target.name(), r, 200));
  }

  /** Fills in and checks what the path decides: kind, apiVersion, namespace, name. */
  private static Optional<ApiStatus> admit(
      ResourceType type, String namespace, String name, ObjectNode object) {
    String kind = object.path("kind").asText("");
    String apiVersion = object.path("apiVersion").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      return Optional.of(
          ApiStatus.badRequest(
              "the kind of the provided object ("
                  + kind
                  + ") does not match the kind of the request ("
                  + type.kind()
                  + ")"));
    }
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      return Optional.of(
          ApiStatus.badRequest(
              "the API version in the data ("
                  + apiVersion
                  + ") does not match the expected API version ("
                  + type.apiVersion()
                  + ")"));
    }
    object.put("kind", type.kind());
    object.put("apiVersion", type.apiVersion());
    ObjectNode metadata = Meta.metadata(object);
    if (type.namespaced()) {
      String given = metadata.path("namespace").asText("");
      if (!given.isEmpty() && !given.equals(namespace)) {
        return Optional.of(
            ApiStatus.badRequest(
                "the namespace of the provided object does not match the namespace sent on the request"));
      }
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    String objectName = Meta.name(object);
    if (name != null && !objectName.equals(name)) {
      return Optional.of(
          ApiStatus.badRequest(
              "the name of the object ("
                  + objectName
                  + ") does not match the name on the URL ("
                  + name
                  + ")"));
    }
    if (objectName.isEmpty() && metadata.path("generateName").asText("").isEmpty()) {
      return Optional.of(
          ApiStatus.invalid(
              resourceName(type),
              "",
              "metadata.name: Required value: name or generateName is required"));
    }
    if (!objectName.isEmpty()
        && (objectName.length() > 253 || !DNS_SUBDOMAIN.matcher(objectName).matches())) {
      return Optional.of(
          ApiStatus.invalid(
              resourceName(type),
              objectName,
              "metadata.name: Invalid value: \""
                  + objectName
                  + "\": a lowercase RFC 1123 subdomain must consist of"
                  + " lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
    }
    return Optional.empty();
  }

  private void answer(
      HttpServerRequest request,
      ResourceType type,
      String name,
      io.vertx.core.AsyncResult<WriteResult> result,
      int okCode) {
    if (result.failed()) {
      LOG.warn("write of {} {} failed: {}", type.kind(), name, result.cause().toString());
      fail(request, ApiStatus.internal("the change could not be written to the log"));
      return;
    }
    String resource = resourceName(type);
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
              new ApiStatus(
                  409,
                  "Conflict",
                  "Operation cannot be fulfilled on "
                      + resource
                      + " \""
                      + objectName
                      + "\": the object has been modified; please apply your changes to the latest version"
                      + " and try again",
                  type.plural(),
                  objectName);
          case NOT_FOUND -> ApiStatus.notFound(resource, objectName);
          case INVALID -> ApiStatus.invalid(resource, objectName, rejected.message());
        };
    fail(request, status);
  }

  private CompletableFuture<Boolean> namespaceExists(String namespace) {
    ResourceKey key = ResourceKey.of("", "Namespace", "", namespace);
    if (projection.get(key).isPresent()) {
      return CompletableFuture.completedFuture(true);
    }
    return barrier.sync().thenApply(r -> projection.get(key).isPresent());
  }

  private void withBody(HttpServerRequest request, java.util.function.Consumer<ObjectNode> then) {
    String contentType = request.getHeader("Content-Type");
    boolean protobuf = KubeProtobuf.isMediaType(contentType);
    if (contentType != null
        && !protobuf
        && !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")
        && !contentType.toLowerCase(java.util.Locale.ROOT).contains("yaml")) {
      fail(
          request,
          new ApiStatus(
              415,
              "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include:"
                  + " application/json, application/yaml",
              null,
              null));
      return;
    }
    String length = request.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length) > MAX_BODY) {
          fail(request, ApiStatus.tooLarge());
          request.connection().close();
          return;
        }
      } catch (NumberFormatException e) {
        fail(request, ApiStatus.badRequest("bad Content-Length"));
        return;
      }
    }
    request
        .body()
        .onComplete(
            r -> {
              if (r.failed()) {
                fail(request, ApiStatus.badRequest("the request body could not be read"));
                return;
              }
              if (r.result().length() > MAX_BODY) {
                fail(request, ApiStatus.tooLarge());
                return;
              }
              ObjectNode object;
              try {
                object =
                    protobuf
                        ? KubeProtobuf.decode(r.result().getBytes())
                        : Json.parseObject(r.result().getBytes());
              } catch (IllegalArgumentException e) {
                fail(
                    request,
                    ApiStatus.badRequest(
                        protobuf
                            ? e.getMessage()
                            : "the request body is not a JSON object: " + e.getMessage()));
                return;
              }
              then.accept(object);
            });
  }

  private static ResourceKey key(ResourceType type, String namespace, String name) {
    return ResourceKey.of(type.group(), type.kind(), type.namespaced() ? namespace : "", name);
  }

  static String resourceName(ResourceType type) {
    return type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
  }

  private static ApiStatus notFoundPath() {
    return new ApiStatus(
        404, "NotFound", "the server could not find the requested resource", null, null);
  }

  private static String auditId(HttpServerRequest request) {
    String id = request.getHeader("Audit-ID");
    return id == null || id.isBlank() || id.length() > 128 ? UUID.randomUUID().toString() : id;
  }

  private static ObjectNode version() {
    ObjectNode version = Json.object();
    version.put("major", "1");
    version.put("minor", "32");
    version.put("gitVersion", "v1.32.0-keelson");
    version.put(
        "platform",
        System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
    return version;
  }

  private <T> Future<T> on(CompletableFuture<T> future) {
    return Future.fromCompletionStage(future, context);
  }

  private static void fail(HttpServerRequest request, ApiStatus status) {
    json(request, status.code(), status.toJson());
  }

  private static void json(HttpServerRequest request, int code, ObjectNode body) {
    raw(request, code, Json.bytes(body));
  }

  private static void raw(HttpServerRequest request, int code, byte[] body) {
    if (request.response().ended()) {
      return;
    }
    request
        .response()
        .setStatusCode(code)
        .putHeader("content-type", "application/json")
        .end(Buffer.buffer(body));
  }

  private static void text(HttpServerRequest request, int code, String body) {
    request
        .response()
        .setStatusCode(code)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .end(body);
  }
}
