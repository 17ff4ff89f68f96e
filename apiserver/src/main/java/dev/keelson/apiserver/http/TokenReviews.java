package dev.keelson.apiserver.http;

import static dev.keelson.apiserver.http.Responses.fail;
import static dev.keelson.apiserver.http.Responses.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import dev.keelson.api.change.Actor;
import dev.keelson.apiserver.security.TokenAuthenticator;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * {@code POST /apis/authentication.k8s.io/v1/tokenreviews}: tells whether a bearer token is valid
 * here and whose it is, as kube-apiserver does for node agents that authenticate their own callers.
 * A review is an answer, never stored; any authenticated caller may ask.
 */
final class TokenReviews {

  static final GroupKind KIND = new GroupKind("authentication.k8s.io", "TokenReview");

  private final TokenAuthenticator tokens;

  TokenReviews(TokenAuthenticator tokens) {
    this.tokens = tokens;
  }

  void serve(HttpServerRequest request, ApiPath.Resource target) {
    if (request.method() != HttpMethod.POST || target.name() != null) {
      fail(request, ApiStatus.methodNotAllowed(request.method().name()));
      return;
    }
    RequestBodies.object(
        request,
        review -> {
          if (review == null || !KIND.kind().equals(review.path("kind").asText(KIND.kind()))) {
            fail(request, ApiStatus.badRequest("the body of a token review must be a TokenReview"));
            return;
          }
          String token = review.path("spec").path("token").asText("");
          if (token.isEmpty()) {
            fail(
                request,
                ApiStatus.badRequest("token is required for TokenReview in authentication"));
            return;
          }
          json(request, 201, answer(review, tokens.authenticate("Bearer " + token)));
        });
  }

  /** The review with its status: the user, or not authenticated. */
  private static ObjectNode answer(ObjectNode review, Optional<Actor> actor) {
    ObjectNode answer = Json.object();
    answer.put("kind", KIND.kind());
    answer.put("apiVersion", KIND.group() + "/v1");
    answer.set(
        "metadata", review.path("metadata").isObject() ? review.get("metadata") : Json.object());
    answer.set("spec", review.get("spec"));
    ObjectNode status = answer.putObject("status");
    status.put("authenticated", actor.isPresent());
    actor.ifPresent(
        user -> {
          ObjectNode info = status.putObject("user");
          info.put("username", user.user());
          // No uid: the authenticator does not keep the token file's uid column.
          user.groups().forEach(info.withArray("groups")::add);
          // Static tokens are bound to no audience: they are valid for any the caller names.
          JsonNode audiences = review.path("spec").path("audiences");
          if (audiences.isArray() && !audiences.isEmpty()) {
            status.set("audiences", audiences);
          }
        });
    return answer;
  }
}
