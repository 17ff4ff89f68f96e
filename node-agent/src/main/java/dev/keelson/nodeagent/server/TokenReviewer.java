package dev.keelson.nodeagent.server;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Who a bearer token belongs to, as the node agent's server asks before it serves a request: the
 * user's name, or empty when the token is not valid. A failed future means no answer could be had
 * (the API is unreachable); the server then refuses the request, as a kubelet does.
 */
public interface TokenReviewer {

  Future<Optional<String>> review(String token);
}
