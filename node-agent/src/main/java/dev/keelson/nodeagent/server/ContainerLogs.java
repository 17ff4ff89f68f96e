package dev.keelson.nodeagent.server;

import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /containerLogs/NAMESPACE/POD/CONTAINER}: the log of one container of a pod, found by
 * the labels the agent gives its containers, streamed as the runtime reads it. Errors are plain
 * text, with a kubelet's codes and messages.
 */
final class ContainerLogs {

  private final Vertx vertx;
  private final ContainerRuntime runtime;

  ContainerLogs(Vertx vertx, ContainerRuntime runtime) {
    this.vertx = vertx;
    this.runtime = runtime;
  }

  void serve(HttpServerRequest request, String namespace, String pod, String container) {
    LogQuery query;
    try {
      query = LogQuery.parse(request::getParam, Instant.now());
    } catch (LogQuery.BadQuery e) {
      AgentServer.text(request, e.status(), e.getMessage());
      return;
    }
    Context context = vertx.getOrCreateContext();
    Map<String, String> labels =
        Map.of(
            PodContainers.POD_NAMESPACE, namespace,
            PodContainers.POD_NAME, pod,
            PodContainers.CONTAINER, container);
    vertx
        .executeBlocking(() -> runtime.list(labels))
        .onFailure(e -> AgentServer.text(request, 500, "the container runtime failed: " + e))
        .onSuccess(
            instances -> {
              Optional<RuntimeContainer> chosen = choose(instances, query.previous());
              if (chosen.isEmpty()) {
                AgentServer.text(
                    request, 400, LogContainers.missing(query.previous(), container, pod));
              } else if (!request.response().closed()) {
                stream(request, context, chosen.get().id(), query);
              }
            });
  }

  private static Optional<RuntimeContainer> choose(
      List<RuntimeContainer> instances, boolean previous) {
    return previous ? LogContainers.previous(instances) : LogContainers.current(instances);
  }

  private void stream(HttpServerRequest request, Context context, String id, LogQuery query) {
    // Chunked before the first chunk can arrive from the runtime's thread.
    request
        .response()
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("content-type", "text/plain; charset=utf-8");
    LogStream stream = new LogStream(context, request.response(), query.limitBytes());
    vertx
        .executeBlocking(() -> runtime.logs(id, query.options(), stream::accept, stream::end))
        .onFailure(e -> AgentServer.text(request, 500, "the container runtime failed: " + e))
        .onSuccess(
            source -> {
              stream.from(source);
              // The head goes at once: a follow of a quiet container is answered, not left hanging.
              if (!request.response().ended() && !request.response().headWritten()) {
                request.response().writeHead();
              }
            });
  }
}
