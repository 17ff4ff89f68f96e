package dev.keelson.apiserver.http;

import static dev.keelson.apiserver.http.Responses.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.Optional;

/**
 * {@code GET pods/NAME/log}: the API server finds the pod's node and forwards the request to the
 * node agent there, whose answer it streams back, as kube-apiserver forwards to the kubelet. The
 * caller's {@code Authorization} goes along, so the agent authenticates the caller (with a
 * TokenReview). An agent that cannot be reached is a 503, never a 500.
 */
final class PodLogs {

  private final ResourceReads reads;
  private final Projection projection;
  private final HttpClient agents;

  PodLogs(ResourceReads reads, Projection projection, Vertx vertx) {
    this.reads = reads;
    this.projection = projection;
    // Node agents serve with self-signed certificates, and this client trusts them unverified:
    // kube-apiserver does the same with kubelets when it is given no
    // --kubelet-certificate-authority. One connection per request: a log is a long stream, and a
    // pooled connection to an agent that has restarted since would fail the next request.
    this.agents =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setKeepAlive(false)
                .setConnectTimeout(10_000));
  }

  void serve(HttpServerRequest request, ApiPath.Resource target) {
    PodLogOptions options;
    try {
      options = PodLogOptions.parse(request::getParam, target.name());
    } catch (PodLogOptions.Refused e) {
      fail(request, e.status);
      return;
    }
    reads
        .readAt(request)
        .onFailure(e -> fail(request, ResourceReads.readFailure(e)))
        .onSuccess(revision -> locate(request, target, options));
  }

  private void locate(HttpServerRequest request, ApiPath.Resource target, PodLogOptions options) {
    String name = target.name();
    Optional<ObjectNode> pod =
        projection
            .get(ApiHandler.key(target.type(), target.namespace(), name))
            .map(StoredObject::object);
    if (pod.isEmpty()) {
      fail(request, ApiStatus.notFound("pods", name));
      return;
    }
    String container;
    try {
      container = LogLocation.container(pod.get(), options.container());
    } catch (PodLogOptions.Refused e) {
      fail(request, e.status);
      return;
    }
    String nodeName = pod.get().path("spec").path("nodeName").asText("");
    if (nodeName.isEmpty()) {
      // Upstream has no location for a pod not yet scheduled, and answers No Content.
      request.response().setStatusCode(204).end();
      return;
    }
    Optional<ObjectNode> node =
        projection.get(ResourceKey.of("", "Node", "", nodeName)).map(StoredObject::object);
    if (node.isEmpty()) {
      fail(request, ApiStatus.notFound("nodes", nodeName));
      return;
    }
    Optional<String> address = LogLocation.address(node.get());
    if (address.isEmpty()) {
      fail(request, unavailable("node \"" + nodeName + "\" publishes no address"));
      return;
    }
    String query = options.agentQuery();
    String uri =
        LogLocation.path(target.namespace(), name, container)
            + (query.isEmpty() ? "" : "?" + query);
    forward(request, name, nodeName, address.get(), LogLocation.port(node.get()), uri);
  }

  private void forward(
      HttpServerRequest request, String pod, String nodeName, String host, int port, String uri) {
    RequestOptions agentRequest =
        new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(uri);
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      agentRequest.putHeader("Authorization", authorization);
    }
    agents
        .request(agentRequest)
        .compose(HttpClientRequest::send)
        .onFailure(
            e ->
                fail(
                    request,
                    unavailable(
                        "the node agent of node \""
                            + nodeName
                            + "\" at "
                            + host
                            + ":"
                            + port
                            + " cannot be reached: "
                            + e.getMessage())))
        .onSuccess(
            answer -> {
              if (answer.statusCode() >= 200 && answer.statusCode() <= 206) {
                LogCopy.start(request.response(), answer);
              } else {
                answer
                    .body()
                    .onComplete(
                        body ->
                            fail(
                                request,
                                agentFailure(
                                    answer.statusCode(),
                                    body.succeeded() ? body.result().toString() : "",
                                    pod)));
              }
            });
  }

  /**
   * The Status of an agent's failure, as upstream's GenericHttpResponseChecker makes it from a
   * kubelet's plain-text answer: a 400 or 500 keeps the agent's words, others say what the code
   * means.
   */
  static ApiStatus agentFailure(int code, String body, String pod) {
    if (code == 400) {
      return ApiStatus.badRequest(body);
    }
    if (code == 500) {
      return ApiStatus.internal(body);
    }
    String reason;
    String message;
    switch (code) {
      case 401 -> {
        reason = "Unauthorized";
        message = "the server has asked for the client to provide credentials";
      }
      case 403 -> {
        reason = "Forbidden";
        message = body;
      }
      case 404 -> {
        reason = "NotFound";
        message = "the server could not find the requested resource";
      }
      case 422 -> {
        reason = "Invalid";
        message = "the server rejected our request due to an error in our request";
      }
      default -> {
        reason = code >= 500 ? "InternalError" : "Unknown";
        message =
            code >= 500
                ? "an error on the server (\""
                    + body
                    + "\") has prevented the request from succeeding"
                : "the server responded with the status code "
                    + code
                    + " but did not return more information";
      }
    }
    return new ApiStatus(code, reason, message + " ( pods/log " + pod + ")", "pods/log", pod);
  }

  private static ApiStatus unavailable(String message) {
    return new ApiStatus(503, "ServiceUnavailable", message, null, null);
  }
}
