package dev.keelson.api.change;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.ResourceKey;
import java.time.Instant;
import java.util.Objects;

/**
 * One record of {@code keelson.changes}: a change of one object, carrying the whole object as it is
 * after the change (never a diff), who asked for it and under which precondition. The value of
 * every record of the change log; its key is {@link #key()}.
 */
public record ChangeEnvelope(
    Op op,
    Precondition precondition,
    ObjectNode object,
    Actor actor,
    String requestId,
    Instant time) {

  public ChangeEnvelope {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(object, "object");
    precondition = precondition == null ? Precondition.none() : precondition;
  }

  public ResourceKey key() {
    return ResourceKey.of(object);
  }
}
