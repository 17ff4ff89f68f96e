package dev.keelson.apiserver.http;

import static dev.keelson.apiserver.http.Responses.fail;
import static dev.keelson.apiserver.http.Responses.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.apiserver.audit.HistoryJson;
import dev.keelson.apiserver.audit.HistoryRequest;
import dev.keelson.apiserver.audit.HistoryToken;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.history.ChangeHistory;
import dev.keelson.history.HistoryEntry;
import dev.keelson.projection.HistoryQuery;
import dev.keelson.projection.ReadBarrier;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /apis/audit.keelson.dev/v1/history}: who changed what. The first page is as of the log
 * end when the request arrives (after the read barrier, as a list is), and every later page of the
 * same query is of the same history. Time bounds become revision bounds through the log's time
 * index (the first record at or after the time).
 */
final class HistoryRequests {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryRequests.class);

  private final ChangeHistory history;
  private final ReadBarrier barrier;
  private final ResourceRegistry registry;
  private final Context context;

  HistoryRequests(
      ChangeHistory history, ReadBarrier barrier, ResourceRegistry registry, Context context) {
    this.history = history;
    this.barrier = barrier;
    this.registry = registry;
    this.context = context;
  }

  /** The revisions a page reads: {@code [from, to)}. */
  private record Range(long from, long to) {}

  void serve(HttpServerRequest request) {
    HistoryRequest parsed;
    try {
      parsed = HistoryRequest.parse(request.params().names(), request::getParam, registry);
    } catch (IllegalArgumentException e) {
      fail(request, ApiStatus.badRequest(e.getMessage()));
      return;
    }
    Future.fromCompletionStage(range(parsed).thenCompose(range -> page(parsed, range)), context)
        .onSuccess(list -> json(request, 200, list))
        .onFailure(
            e -> {
              LOG.warn("history request {} failed: {}", request.query(), e.toString());
              fail(request, ApiStatus.internal("the history could not be read from the log"));
            });
  }

  private CompletableFuture<Range> range(HistoryRequest request) {
    HistoryToken token = request.token();
    if (token != null) {
      return CompletableFuture.completedFuture(new Range(token.from(), token.to()));
    }
    CompletableFuture<Long> since =
        request.sinceTime() == null
            ? CompletableFuture.completedFuture(1L)
            : history.revisionAt(request.sinceTime());
    CompletableFuture<Long> until =
        request.untilTime() == null
            ? CompletableFuture.completedFuture(Long.MAX_VALUE)
            : history.revisionAt(request.untilTime());
    return barrier
        .sync()
        .thenCompose(
            applied ->
                since.thenCombine(
                    until,
                    (sinceTime, untilTime) -> {
                      long to = Math.min(applied + 1, untilTime);
                      if (request.untilRevision() != 0) {
                        to = Math.min(to, request.untilRevision());
                      }
                      return new Range(
                          Math.max(Math.max(1, request.sinceRevision()), sinceTime), to);
                    }));
  }

  private CompletableFuture<ObjectNode> page(HistoryRequest request, Range range) {
    if (range.from() >= range.to()) {
      return CompletableFuture.completedFuture(HistoryJson.list(List.of(), range.to() - 1, null));
    }
    return history
        .read(new HistoryQuery(request.subject(), range.from(), range.to(), request.limit()))
        .thenApply(
            (HistoryEntry.Page page) ->
                HistoryJson.list(
                    page.entries(),
                    range.to() - 1,
                    page.continueFrom() == 0
                        ? null
                        : new HistoryToken(page.continueFrom(), range.to(), request.fingerprint())
                            .encode()));
  }
}
