package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.nodeagent.server.ApiTokenReviewer;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TokenReviews: served to any authenticated caller, seen through discovery by fabric8. */
class TokenReviewsIT {

  @TempDir static Path dir;
  private static ApiFixture api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    api = ApiFixture.start(dir);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(api.base())
            .withCaCertData(
                Base64.getEncoder()
                    .encodeToString(
                        api.certificates.caCertificatePem().getBytes(StandardCharsets.UTF_8)))
            .withOauthToken(api.token)
            .withRequestRetryBackoffLimit(0)
            .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    api.close();
  }

  private static TokenReview review(String token) {
    return client
        .authentication()
        .v1()
        .tokenReviews()
        .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
  }

  @Test
  void aValidTokenIsItsUsersAndAnyOtherIsNoOnes() {
    TokenReview valid = review(api.token);
    assertThat(valid.getStatus().getAuthenticated()).isTrue();
    assertThat(valid.getStatus().getUser().getUsername()).isEqualTo("admin");
    assertThat(valid.getStatus().getUser().getGroups())
        .contains("system:masters", "system:authenticated");
    TokenReview invalid = review("not-" + api.token);
    assertThat(invalid.getStatus().getAuthenticated()).isFalse();
    assertThat(invalid.getStatus().getUser()).isNull();
  }

  @Test
  void theGroupIsDiscoveredAndReviewsCanOnlyBeCreated() throws Exception {
    assertThat(client.supports(TokenReview.class)).isTrue();
    JsonNode get =
        ApiFixture.json(api.send("GET", "/apis/authentication.k8s.io/v1/tokenreviews", null));
    assertThat(get.path("code").asInt()).isEqualTo(405);
    JsonNode empty =
        ApiFixture.json(
            api.send(
                "POST",
                "/apis/authentication.k8s.io/v1/tokenreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{}}"));
    assertThat(empty.path("code").asInt()).isEqualTo(400);
    assertThat(
            api.send(
                    "POST",
                    "/apis/authentication.k8s.io/v1/tokenreviews",
                    "{\"kind\":\"TokenReview\",\"spec\":{\"token\":\"x\"}}",
                    "application/json",
                    "wrong")
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void theNodeAgentsReviewerAsksTheApi() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ApiTokenReviewer reviewer = new ApiTokenReviewer(vertx, client);
      assertThat(answer(reviewer, api.token)).contains("admin");
      assertThat(answer(reviewer, "not-" + api.token)).isEmpty();
      // Asked again, the cached answers are the same.
      assertThat(answer(reviewer, api.token)).contains("admin");
      assertThat(answer(reviewer, "not-" + api.token)).isEmpty();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static Optional<String> answer(ApiTokenReviewer reviewer, String token) throws Exception {
    return reviewer
        .review(token)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }
}
