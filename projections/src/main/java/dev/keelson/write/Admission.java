package dev.keelson.write;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks a change against the state it is composed from, just before it is appended. It runs again
 * on every retry of a guaranteed update, so it always sees the version the change applies to. It
 * refuses by throwing {@link WriteRefusedException}.
 */
@FunctionalInterface
public interface Admission {

  Admission NONE = (after, before) -> {};

  /**
   * @param after the object as the change would leave it (may be modified, e.g. defaulted)
   * @param before the current object, or null for a create
   */
  void admit(ObjectNode after, ObjectNode before);
}
