package dev.keelson.nodeagent.server;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reviews tokens by creating a TokenReview (authentication.k8s.io/v1) through the API, as a
 * kubelet's webhook authentication does, and keeps the answers a while: valid ones for {@link
 * #VALID_FOR}, refusals for {@link #INVALID_FOR}, so that a stream of requests with one token costs
 * one review. Tokens are held only as SHA-256 digests.
 */
public final class ApiTokenReviewer implements TokenReviewer {

  static final Duration VALID_FOR = Duration.ofSeconds(60);
  static final Duration INVALID_FOR = Duration.ofSeconds(10);

  /** Past this many cached answers the expired ones go; a flood of bad tokens cannot grow it. */
  private static final int PRUNE_AT = 1024;

  private record Answer(Optional<String> user, Instant until) {}

  private final Vertx vertx;
  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  public ApiTokenReviewer(Vertx vertx, KubernetesClient client) {
    this(vertx, client, Clock.systemUTC());
  }

  ApiTokenReviewer(Vertx vertx, KubernetesClient client, Clock clock) {
    this.vertx = vertx;
    this.client = client;
    this.clock = clock;
  }

  @Override
  public Future<Optional<String>> review(String token) {
    String digest = digest(token);
    Answer known = answers.get(digest);
    if (known != null && clock.instant().isBefore(known.until())) {
      return Future.succeededFuture(known.user());
    }
    // The fabric8 client blocks: its call runs on a worker thread, never on the event loop.
    return vertx
        .executeBlocking(() -> ask(token))
        .map(
            user -> {
              remember(digest, user);
              return user;
            });
  }

  private Optional<String> ask(String token) {
    TokenReview review =
        client
            .authentication()
            .v1()
            .tokenReviews()
            .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    if (review.getStatus() == null
        || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
        || review.getStatus().getUser() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(review.getStatus().getUser().getUsername());
  }

  private void remember(String digest, Optional<String> user) {
    Instant now = clock.instant();
    if (answers.size() >= PRUNE_AT) {
      answers.values().removeIf(answer -> !now.isBefore(answer.until()));
    }
    if (answers.size() < PRUNE_AT) {
      answers.put(digest, new Answer(user, now.plus(user.isPresent() ? VALID_FOR : INVALID_FOR)));
    }
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
