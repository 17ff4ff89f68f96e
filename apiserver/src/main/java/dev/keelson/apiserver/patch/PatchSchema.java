package dev.keelson.apiserver.patch;

import java.util.HashMap;
import java.util.Map;

/**
 * The strategic merge patch metadata of one object shape, as upstream's Go struct tags give it: the
 * fields whose lists merge ({@code patchStrategy:"merge"}), the key their elements merge by ({@code
 * patchMergeKey}), and the shapes of nested objects and list elements. A field the schema does not
 * name has no strategy: its object merges key by key and its list is replaced.
 */
final class PatchSchema {

  /** A shape without metadata. */
  static final PatchSchema NONE = new PatchSchema(Map.of());

  /**
   * One field's metadata. {@code schema} is the shape of the field's object, or of its list's
   * elements; {@code mergeKey} is empty for a merging list of primitives.
   */
  record Field(boolean mergesList, String mergeKey, PatchSchema schema) {}

  private static final Field PLAIN = new Field(false, "", NONE);

  private final Map<String, Field> fields;

  private PatchSchema(Map<String, Field> fields) {
    this.fields = Map.copyOf(fields);
  }

  Field field(String name) {
    return fields.getOrDefault(name, PLAIN);
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder {
    private final Map<String, Field> fields = new HashMap<>();

    private Builder() {}

    /** A nested object of the given shape. */
    Builder object(String name, PatchSchema schema) {
      fields.put(name, new Field(false, "", schema));
      return this;
    }

    /** {@code patchStrategy:"merge" patchMergeKey:"key"} on a list of objects. */
    Builder mergeByKey(String name, String key) {
      return mergeByKey(name, key, NONE);
    }

    /** As {@link #mergeByKey(String, String)}, for elements that have metadata of their own. */
    Builder mergeByKey(String name, String key, PatchSchema elements) {
      fields.put(name, new Field(true, key, elements));
      return this;
    }

    /** {@code patchStrategy:"merge"} on a list of primitives: the lists are united. */
    Builder mergePrimitives(String name) {
      fields.put(name, new Field(true, "", NONE));
      return this;
    }

    PatchSchema build() {
      return new PatchSchema(fields);
    }
  }
}
