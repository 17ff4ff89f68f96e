package dev.keelson.apiserver.http;

import static dev.keelson.apiserver.http.Responses.fail;
import static dev.keelson.apiserver.http.Responses.json;
import static dev.keelson.apiserver.http.Responses.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.apiserver.admission.ServiceAllocator;
import dev.keelson.apiserver.discovery.Discovery;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.apiserver.openapi.OpenApiDocuments;
import dev.keelson.apiserver.security.TokenAuthenticator;
import dev.keelson.history.ChangeHistory;
import dev.keelson.projection.Projection;
import dev.keelson.projection.ReadBarrier;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes REST API over the projection and the write path: discovery, and get, list, create,
 * update and delete of the registered resources. Every answer that is not a success is a {@code
 * Status}. Runs on a Vert.x event loop and never blocks it: reads and writes are futures.
 */
final class ApiHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  /** The namespace of node heartbeats, served from the heartbeats topic. */
  static final String NODE_LEASES = "kube-node-lease";

  static final long REQUEST_TIMEOUT_MILLIS = 60_000;

  private final ResourceRegistry registry;
  private Discovery discovery;
  private HistoryRequests history;
  private final CompletableFuture<OpenApiDocuments> openApi;
  private final TokenAuthenticator tokens;
  private final Projection projection;
  private final Context context;
  private final Store main;
  private final Subresources subresources;
  private final PodLogs podLogs;
  private final TokenReviews tokenReviews;
  private final ReadBarrier mainBarrier;
  private Store nodeLeases;
  private Store metrics;
  private final String serverAddress;

  ApiHandler(
      ResourceRegistry registry,
      TokenAuthenticator tokens,
      Projection projection,
      ReadBarrier barrier,
      WritePath writes,
      ServiceAllocator allocator,
      Context context,
      String serverAddress) {
    this.registry = registry;
    this.discovery = new Discovery(registry);
    this.openApi = OpenApiDocuments.of(registry);
    this.tokens = tokens;
    this.projection = projection;
    this.context = context;
    this.mainBarrier = barrier;
    ResourceReads reads = new ResourceReads(projection, barrier, new Printer(), context);
    ResourceWrites answers = new ResourceWrites(projection, barrier, writes, context, allocator);
    this.main = new Store(reads, answers, new PatchRequests(writes, answers));
    this.subresources = new Subresources(writes, answers, reads);
    this.podLogs = new PodLogs(reads, projection, context.owner());
    this.tokenReviews = new TokenReviews(tokens);
    this.serverAddress = serverAddress;
  }

  /** Serves the history (audit.keelson.dev/v1), from the index of this projection and its log. */
  void serveHistoryFrom(ChangeHistory changes) {
    this.history = new HistoryRequests(changes, mainBarrier, registry, context);
    this.discovery = new Discovery(registry, true);
  }

  /** Node Leases (namespace kube-node-lease) come from their own store, the heartbeats topic. */
  void serveNodeLeasesFrom(Projection projection, ReadBarrier barrier, WritePath writes) {
    this.nodeLeases = storeBeside(projection, barrier, writes);
  }

  /**
   * Container metrics (group metrics.k8s.io) come from their own store, the metrics topic; without
   * one they are stored with everything else.
   */
  void serveMetricsFrom(Projection projection, ReadBarrier barrier, WritePath writes) {
    this.metrics = storeBeside(projection, barrier, writes);
  }

  /** A store of its own, whose namespaces are the change log's. */
  private Store storeBeside(Projection projection, ReadBarrier barrier, WritePath writes) {
    ResourceWrites answers =
        new ResourceWrites(
            projection,
            barrier,
            writes,
            context,
            main.writes().projection(),
            mainBarrier,
            ServiceAllocator.NONE);
    return new Store(
        new ResourceReads(projection, barrier, new Printer(), context),
        answers,
        new PatchRequests(writes, answers));
  }

  /**
   * Where a resource's reads and writes go: the change log's projection, the heartbeats' or the
   * metrics'.
   */
  private record Store(ResourceReads reads, ResourceWrites writes, PatchRequests patches) {}

  void handle(HttpServerRequest request) {
    try {
      route(request);
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed", request.method(), request.path(), e);
      fail(request, ApiStatus.internal("the request could not be served"));
    }
    boolean streaming =
        isTrue(request.getParam("watch"))
            || request.path().contains("/watch/")
            || request.getHeader("Upgrade") != null;
    if (!request.response().ended() && !streaming) {
      guard(request);
    }
  }

  /**
   * Every request but a watch is answered within {@link #REQUEST_TIMEOUT_MILLIS}, as upstream's
   * request timeout: a write whose verdict has not arrived by then gets 504, never silence.
   */
  private void guard(HttpServerRequest request) {
    long timer =
        context
            .owner()
            .setTimer(
                REQUEST_TIMEOUT_MILLIS,
                id -> {
                  if (!request.response().ended() && !request.response().headWritten()) {
                    LOG.warn(
                        "request {} {} not answered in {} ms",
                        request.method(),
                        request.path(),
                        REQUEST_TIMEOUT_MILLIS);
                    fail(
                        request,
                        new ApiStatus(
                            504,
                            "Timeout",
                            "Timeout: request did not complete within the allotted timeout",
                            null,
                            null));
                  }
                });
    request.response().endHandler(v -> context.owner().cancelTimer(timer));
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
    if (path.startsWith("/openapi/v2") || path.startsWith("/openapi/v3")) {
      openApi(request, path);
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
    } else if (target instanceof ApiPath.History && history != null) {
      history.serve(request);
    } else {
      fail(request, notFoundPath());
    }
  }

  private void openApi(HttpServerRequest request, String path) {
    on(openApi)
        .map(docs -> docs.answer(path, request.getParam("hash"), request::getHeader))
        .onFailure(e -> fail(request, ApiStatus.internal("no OpenAPI documents")))
        .onSuccess(
            doc ->
                doc.ifPresentOrElse(
                    answer -> {
                      request.response().headers().addAll(answer.headers());
                      request
                          .response()
                          .setStatusCode(answer.status())
                          .end(io.vertx.core.buffer.Buffer.buffer(answer.body()));
                    },
                    () -> fail(request, notFoundPath())));
  }

  private void resource(HttpServerRequest request, ApiPath.Resource target, Actor actor) {
    ResourceType type = target.type();
    if (type.namespaced() && target.namespace() == null && target.name() != null) {
      fail(request, notFoundPath());
      return;
    }
    if (TokenReviews.KIND.equals(type.groupKind())) {
      tokenReviews.serve(request, target);
      return;
    }
    HttpMethod method = request.method();
    String subresource = target.subresource();
    boolean collection = target.name() == null;
    boolean watch = target.watchPath() || isTrue(request.getParam("watch"));
    WriteContext writer = new WriteContext(actor, auditId(request));
    Store store = storeOf(type, target.namespace());
    ResourceReads reads = store.reads();
    ResourceWrites writes = store.writes();
    if (method == HttpMethod.GET && watch) {
      reads.watch(request, target);
    } else if (method == HttpMethod.GET && collection) {
      reads.list(request, target);
    } else if (method == HttpMethod.GET && "scale".equals(subresource)) {
      subresources.getScale(request, target);
    } else if (method == HttpMethod.GET && "log".equals(subresource)) {
      podLogs.serve(request, target);
    } else if (method == HttpMethod.GET) {
      reads.get(request, target);
    } else if (target.watchPath()) {
      fail(request, ApiStatus.methodNotAllowed(method.name()));
    } else if (method == HttpMethod.POST && collection) {
      writes.create(request, target, writer);
    } else if (method == HttpMethod.POST && "binding".equals(subresource)) {
      subresources.bind(request, target, writer);
    } else if (method == HttpMethod.PUT && "scale".equals(subresource)) {
      subresources.updateScale(request, target, writer);
    } else if (method == HttpMethod.PUT && "finalize".equals(subresource)) {
      subresources.finalizeNamespace(request, target, writer);
    } else if (method == HttpMethod.PUT && !collection) {
      writes.update(request, target, writer);
    } else if (method == HttpMethod.PATCH && "scale".equals(subresource)) {
      subresources.patchScale(request, target, writer);
    } else if (method == HttpMethod.PATCH && !collection) {
      store.patches().patch(request, target, writer);
    } else if (method == HttpMethod.DELETE && collection) {
      writes.deleteCollection(request, target, writer, reads);
    } else if (method == HttpMethod.DELETE && subresource == null) {
      writes.delete(request, target, writer);
    } else {
      fail(request, ApiStatus.methodNotAllowed(method.name()));
    }
  }

  private Store storeOf(ResourceType type, String namespace) {
    if (nodeLeases != null && type.kind().equals("Lease") && NODE_LEASES.equals(namespace)) {
      return nodeLeases;
    }
    if (metrics != null && type.group().equals(ResourceRegistry.METRICS_GROUP)) {
      return metrics;
    }
    return main;
  }

  private static boolean isTrue(String param) {
    return "true".equals(param) || "1".equals(param);
  }

  static ResourceKey key(ResourceType type, String namespace, String name) {
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
}
