package dev.keelson.apiserver.admission;

import java.util.Optional;

/**
 * The largest object Keelson stores. Upstream's limit comes from etcd's request size; Keelson's
 * from the change log's record size, so an object must fit in one record with room for the
 * envelope.
 */
public final class ObjectSize {

  /** 1.5 MiB. */
  public static final int LIMIT = 1_572_864;

  private ObjectSize() {}

  public static boolean tooLarge(byte[] serialized) {
    return serialized.length > LIMIT;
  }

  /** The reason to refuse the object, empty when it fits. */
  public static Optional<String> problem(byte[] serialized) {
    if (!tooLarge(serialized)) {
      return Optional.empty();
    }
    return Optional.of(
        "the object is too large to store: "
            + serialized.length
            + " bytes serialized, the limit is "
            + LIMIT
            + " bytes (1.5 MiB)");
  }
}
