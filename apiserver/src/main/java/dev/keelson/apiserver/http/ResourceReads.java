package dev.keelson.apiserver.http;

import static dev.keelson.apiserver.http.Responses.fail;

import dev.keelson.api.ResourceKey;
import dev.keelson.api.selector.FieldSelector;
import dev.keelson.api.selector.LabelSelector;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.ListResult;
import dev.keelson.projection.Projection;
import dev.keelson.projection.ReadBarrier;
import dev.keelson.projection.StoredObject;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * get and list, linearizable unless the client asks for less: before reading, wait until the
 * projection has applied the log end as it was when the request arrived ({@link ReadBarrier}), or
 * the resourceVersion the client names. Lists are paged with limit and continue, every page at the
 * revision of the first.
 */
final class ResourceReads {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ResourceReads.class);

  /** How long a read waits for a resourceVersion the projection has not reached yet. */
  private static final long TOO_LARGE_WAIT_SECONDS = 3;

  /** How often a watch that asked for bookmarks gets one. */
  static final long BOOKMARK_EVERY_MILLIS = 5_000;

  private final Projection projection;
  private final ReadBarrier barrier;

  /**
   * One set of list pages per process: the API runs one server per event loop, and a continue token
   * may come back on another connection than its first page.
   */
  private static final ListPages SHARED_PAGES = new ListPages(Clock.systemUTC());

  private final ListPages pages;
  private final Printer printer;
  private final Context context;

  ResourceReads(Projection projection, ReadBarrier barrier, Printer printer, Context context) {
    this.projection = projection;
    this.barrier = barrier;
    this.pages = SHARED_PAGES;
    this.printer = printer;
    this.context = context;
  }

  void get(HttpServerRequest request, ApiPath.Resource target) {
    ResourceType type = target.type();
    ResourceKey key = ApiHandler.key(type, target.namespace(), target.name());
    readAt(request)
        .onSuccess(
            revision ->
                projection
                    .get(key)
                    .ifPresentOrElse(
                        object -> printer.object(request, type, object),
                        () ->
                            fail(
                                request,
                                ApiStatus.notFound(ApiHandler.resourceName(type), target.name()))))
        .onFailure(e -> fail(request, readFailure(e)));
  }

  void list(HttpServerRequest request, ApiPath.Resource target) {
    Selection selection;
    long limit;
    ListPages.Token token;
    try {
      selection = Selection.of(request, target);
      limit = longParam(request, "limit");
      String continueParam = request.getParam("continue");
      token =
          continueParam == null || continueParam.isEmpty() ? null : ListPages.decode(continueParam);
    } catch (IllegalArgumentException e) {
      fail(request, ApiStatus.badRequest(e.getMessage()));
      return;
    }
    ResourceType type = target.type();
    if (token != null) {
      ListPages.Page page = pages.next(token, limit);
      if (page == null) {
        fail(
            request,
            ApiStatus.expired(
                "The provided continue parameter is too old to display a consistent list result. You"
                    + " can start a new list without the continue parameter."));
      } else {
        printer.list(request, type, page);
      }
      return;
    }
    readAt(request)
        .onSuccess(
            revision -> {
              ListResult result = projection.list(selection.query());
              List<StoredObject> selected = new ArrayList<>(result.items().size());
              for (StoredObject object : result.items()) {
                if (selection.matches(object)) {
                  selected.add(object);
                }
              }
              printer.list(request, type, pages.first(selected, result.revision(), limit));
            })
        .onFailure(e -> fail(request, readFailure(e)));
  }

  /**
   * A watch from the request's resourceVersion: unset or "0" first sends the current state as ADDED
   * events (upstream's "start at most recent"); a number sends the changes after it, from memory or
   * from the log, which holds every revision.
   */
  void watch(HttpServerRequest request, ApiPath.Resource target) {
    // A WebSocket upgrade must happen before the request has been read to its end, and the watch
    // may first wait for a read barrier: hold the request until then.
    boolean websocket = request.canUpgradeToWebSocket();
    if (websocket) {
      request.pause();
    }
    Selection selection;
    long timeoutSeconds;
    Function<StoredObject, byte[]> render;
    try {
      selection = Selection.of(request, target);
      timeoutSeconds = longParam(request, "timeoutSeconds");
      render = printer.watchRendering(request, target.type());
    } catch (IllegalArgumentException e) {
      fail(request, ApiStatus.badRequest(e.getMessage()));
      return;
    }
    String resourceVersion = request.getParam("resourceVersion");
    boolean fromState =
        resourceVersion == null || resourceVersion.isEmpty() || resourceVersion.equals("0");
    boolean sendInitialEvents = "true".equals(request.getParam("sendInitialEvents"));
    boolean bookmarks = "true".equals(request.getParam("allowWatchBookmarks"));
    long timeoutMillis =
        timeoutSeconds > 0
            ? timeoutSeconds * 1000
            : (long) ((1800 + Math.random() * 1800) * 1000); // upstream: 30 to 60 minutes
    Future<Long> start;
    if (fromState || sendInitialEvents) {
      start = readAt(request);
    } else {
      try {
        start = Future.succeededFuture(Long.parseLong(resourceVersion));
      } catch (NumberFormatException e) {
        fail(request, ApiStatus.badRequest("invalid resource version \"" + resourceVersion + "\""));
        return;
      }
    }
    start
        .onFailure(e -> fail(request, readFailure(e)))
        .onSuccess(
            revision -> {
              List<StoredObject> initial = List.of();
              long from = revision;
              if (fromState || sendInitialEvents) {
                ListResult result = projection.list(selection.query());
                from = result.revision();
                initial = new ArrayList<>();
                for (StoredObject object : result.items()) {
                  if (selection.matches(object)) {
                    initial.add(object);
                  }
                }
              }
              long fromRevision = from;
              List<StoredObject> initialEvents = initial;
              long bookmarkMillis = bookmarks ? BOOKMARK_EVERY_MILLIS : 0;
              if (websocket) {
                request
                    .toWebSocket()
                    .onFailure(
                        e -> {
                          LOG.info("watch upgrade to WebSocket failed: {}", e.toString());
                          request.connection().close();
                        })
                    .onSuccess(
                        socket ->
                            new WatchStream(
                                    context,
                                    WatchStream.Sink.of(socket),
                                    target.type(),
                                    selection,
                                    fromRevision,
                                    false,
                                    render)
                                .start(
                                    projection,
                                    initialEvents,
                                    sendInitialEvents && bookmarks,
                                    timeoutMillis,
                                    bookmarkMillis));
                return;
              }
              request
                  .response()
                  .setStatusCode(200)
                  .setChunked(true)
                  .putHeader("content-type", "application/json");
              request.response().writeHead();
              new WatchStream(
                      context,
                      WatchStream.Sink.of(request.response()),
                      target.type(),
                      selection,
                      fromRevision,
                      true,
                      render)
                  .start(
                      projection,
                      initialEvents,
                      sendInitialEvents && bookmarks,
                      timeoutMillis,
                      bookmarkMillis);
            });
  }

  /**
   * Completes once the projection is where the request's resourceVersion asks: unset, the log end
   * as of now; "0", anything; a number, at least that revision.
   */
  Future<Long> readAt(HttpServerRequest request) {
    String resourceVersion = request.getParam("resourceVersion");
    String match = request.getParam("resourceVersionMatch");
    CompletableFuture<Long> ready;
    if (resourceVersion == null || resourceVersion.isEmpty()) {
      if (match != null && !match.isEmpty()) {
        return Future.failedFuture(
            new BadRead(
                ApiStatus.invalid(
                    "ListOptions.meta.k8s.io",
                    "",
                    "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless"
                        + " resourceVersion is provided")));
      }
      ready = barrier.sync();
    } else if (resourceVersion.equals("0")) {
      ready = CompletableFuture.completedFuture(projection.revision());
    } else {
      long revision;
      try {
        revision = Long.parseLong(resourceVersion);
      } catch (NumberFormatException e) {
        return Future.failedFuture(
            new BadRead(
                ApiStatus.badRequest("invalid resource version \"" + resourceVersion + "\"")));
      }
      if ("Exact".equals(match) && revision != projection.revision()) {
        return Future.failedFuture(
            new BadRead(
                ApiStatus.expired("resourceVersion " + revision + " is not the current revision")));
      }
      ready =
          projection
              .awaitRevision(revision)
              .orTimeout(TOO_LARGE_WAIT_SECONDS, TimeUnit.SECONDS)
              .exceptionallyCompose(
                  e ->
                      CompletableFuture.failedFuture(
                          unwrap(e) instanceof TimeoutException
                              ? new BadRead(
                                  ApiStatus.tooLargeResourceVersion(
                                      revision, projection.revision()))
                              : e));
    }
    return Future.fromCompletionStage(ready, context);
  }

  static ApiStatus readFailure(Throwable e) {
    Throwable cause = unwrap(e);
    if (cause instanceof BadRead bad) {
      return bad.status;
    }
    return ApiStatus.internal("the change log is unreachable");
  }

  static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  static long longParam(HttpServerRequest request, String name) {
    String value = request.getParam(name);
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value)); // upstream ignores a limit that is not positive
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": Invalid value: \"" + value + "\"");
    }
  }

  /** A read the client asked wrongly for; carries its answer. */
  static final class BadRead extends RuntimeException {
    final ApiStatus status;

    BadRead(ApiStatus status) {
      super(status.message(), null, false, false);
      this.status = status;
    }
  }

  /** What a list or watch selects: the index query, and the full selectors to apply after it. */
  record Selection(ListQuery query, LabelSelector labels, FieldSelector fields) {

    static Selection of(HttpServerRequest request, ApiPath.Resource target) {
      LabelSelector labels = LabelSelector.parse(request.getParam("labelSelector"));
      FieldSelector fields = FieldSelector.parse(request.getParam("fieldSelector"));
      ResourceType type = target.type();
      Optional<String> unsupported = SelectableFields.unsupported(type.groupKind(), fields);
      if (unsupported.isPresent()) {
        throw new IllegalArgumentException("field label not supported: " + unsupported.get());
      }
      if (target.name() != null) {
        fields =
            FieldSelector.parse(
                (fields.isEverything() ? "" : request.getParam("fieldSelector") + ",")
                    + "metadata.name="
                    + target.name());
      }
      ListQuery query =
          new ListQuery(
              type.groupKind(),
              type.namespaced() ? target.namespace() : null,
              labels.equalities(),
              fields.equalities());
      return new Selection(query, labels, fields);
    }

    boolean matches(StoredObject object) {
      return object != null && labels.matches(object.labels()) && fields.matches(object.fields());
    }
  }
}
