package dev.keelson.write;

import dev.keelson.api.change.Actor;
import java.util.UUID;

/** Who writes, and the id of the request that asked (the audit id of an API request). */
public record WriteContext(Actor actor, String requestId) {

  public static WriteContext of(Actor actor) {
    return new WriteContext(actor, UUID.randomUUID().toString());
  }
}
