package dev.keelson.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import java.util.List;
import java.util.Map;

/**
 * One object as a projection holds it: its key, the revision of its current state, and its JSON
 * (with {@code metadata.resourceVersion} set to that revision). The JSON is kept as bytes, the form
 * in which it is served and the most compact one; {@link #object()} parses a fresh copy.
 *
 * @param labels the labels, extracted once for the label index
 * @param fields the values of the indexed field selectors this object has
 * @param owners its ownerReferences, extracted once for the owner index
 * @param claims the values it holds that no other object may hold (see {@link Claims})
 */
public record StoredObject(
    ResourceKey key,
    long revision,
    byte[] json,
    String uid,
    Map<String, String> labels,
    Map<String, String> fields,
    List<OwnerRef> owners,
    List<String> claims) {

  /** An object that claims nothing. */
  public StoredObject(
      ResourceKey key,
      long revision,
      byte[] json,
      String uid,
      Map<String, String> labels,
      Map<String, String> fields,
      List<OwnerRef> owners) {
    this(key, revision, json, uid, labels, fields, owners, List.of());
  }

  /** A fresh, mutable copy of the object. */
  public ObjectNode object() {
    return Json.parseObject(json);
  }

  public String resourceVersion() {
    return Long.toString(revision);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredObject s
        && key.equals(s.key)
        && revision == s.revision
        && java.util.Arrays.equals(json, s.json);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + Long.hashCode(revision);
  }

  @Override
  public String toString() {
    return key + "@" + revision;
  }
}
