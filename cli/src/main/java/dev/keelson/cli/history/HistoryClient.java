package dev.keelson.cli.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code /apis/audit.keelson.dev/v1/history} with the access of a kubeconfig, following
 * {@code continue} to the last page.
 */
public final class HistoryClient {

  static final String PATH = "/apis/audit.keelson.dev/v1/history";

  private final ClusterAccess access;
  private final HttpClient http;

  public HistoryClient(ClusterAccess access) throws Exception {
    this.access = access;
    this.http =
        HttpClient.newBuilder()
            .sslContext(access.tls())
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * Every item the query selects, oldest first.
   *
   * @throws IllegalArgumentException with the API's message when it refuses the query
   * @throws IOException when the API cannot be reached
   */
  public List<JsonNode> items(Map<String, String> query) throws IOException, InterruptedException {
    List<JsonNode> items = new ArrayList<>();
    Map<String, String> page = new LinkedHashMap<>(query);
    while (true) {
      JsonNode list = get(page);
      list.path("items").forEach(items::add);
      String next = list.path("metadata").path("continue").asText("");
      if (next.isEmpty()) {
        return items;
      }
      page.put("continue", next);
    }
  }

  private JsonNode get(Map<String, String> query) throws IOException, InterruptedException {
    StringBuilder uri = new StringBuilder(access.server().toString().replaceAll("/+$", ""));
    uri.append(PATH);
    char separator = '?';
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      uri.append(separator)
          .append(parameter.getKey())
          .append('=')
          .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(uri.toString()))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + access.token())
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IOException("cannot reach " + access.server() + ": connection refused", e);
    }
    JsonNode body;
    try {
      body = Json.mapper().readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (response.statusCode() != 200) {
      String message =
          body != null && body.hasNonNull("message")
              ? body.get("message").asText()
              : "the API answered " + response.statusCode();
      if (response.statusCode() == 404) {
        message = access.server() + " serves no history (is it a Keelson API?)";
      }
      throw new IllegalArgumentException(message);
    }
    if (body == null || !body.path("items").isArray()) {
      throw new IOException(access.server() + " answered something that is not a history");
    }
    return body;
  }
}
