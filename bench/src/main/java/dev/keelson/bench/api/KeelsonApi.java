package dev.keelson.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Pods through the Keelson API: POST to create, PUT with the resourceVersion last returned to
 * update, over HTTPS that trusts only the cluster CA, with the admin bearer token. Each client in
 * flight holds its own HTTP/1.1 keep-alive connection, as separate processes would.
 */
final class KeelsonApi implements WriteTarget {

  private static final String PODS = "/api/v1/namespaces/" + PodJson.NAMESPACE + "/pods";

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final String authorization;

  KeelsonApi(KeelsonProcess.Access access, int connections) {
    URI server = access.server();
    this.vertx = Vertx.vertx();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(
                    new PemTrustOptions().addCertValue(Buffer.buffer(access.caPem(), "US-ASCII")))
                .setDefaultHost(server.getHost())
                .setDefaultPort(server.getPort())
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    this.authorization = "Bearer " + access.token();
  }

  @Override
  public String name() {
    return "keelson";
  }

  @Override
  public CompletableFuture<Answer> create(String name, byte[] body) {
    return send(HttpMethod.POST, PODS, body);
  }

  @Override
  public CompletableFuture<Answer> update(String name, String version, byte[] body) {
    return send(HttpMethod.PUT, PODS + "/" + name, body);
  }

  private CompletableFuture<Answer> send(HttpMethod method, String uri, byte[] body) {
    RequestOptions request =
        new RequestOptions()
            .setMethod(method)
            .setURI(uri)
            .putHeader(HttpHeaders.AUTHORIZATION, authorization)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.ACCEPT, "application/json");
    return client
        .request(request)
        .compose(r -> r.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(b -> answer(response, b)))
        .toCompletionStage()
        .toCompletableFuture();
  }

  /** Accepted means 2xx; the new resourceVersion is read from the object the server returns. */
  private static Answer answer(HttpClientResponse response, Buffer body) {
    int status = response.statusCode();
    if (status / 100 != 2) {
      return Answer.rejected(status + " " + body.toString(StandardCharsets.UTF_8));
    }
    JsonNode version = Json.parseObject(body.getBytes()).path("metadata").path("resourceVersion");
    return version.isTextual()
        ? Answer.accepted(version.asText())
        : Answer.rejected(status + " without a resourceVersion");
  }

  @Override
  public void close() {
    client.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
