package dev.keelson.apiserver.table;

/**
 * What each Table row carries in {@code object}, from the {@code includeObject} query parameter:
 * nothing, the object's metadata as a PartialObjectMetadata (the default), or the whole object
 * (kubectl asks for that with {@code --sort-by}).
 */
public enum IncludeObject {
  NONE,
  METADATA,
  OBJECT;

  /**
   * Parses the query parameter; absent or empty means METADATA.
   *
   * @throws IllegalArgumentException for any other value, which upstream answers with 400
   */
  public static IncludeObject parse(String queryParam) {
    if (queryParam == null || queryParam.isEmpty()) {
      return METADATA;
    }
    return switch (queryParam) {
      case "None" -> NONE;
      case "Metadata" -> METADATA;
      case "Object" -> OBJECT;
      default ->
          throw new IllegalArgumentException(
              "unrecognized includeObject value: \"" + queryParam + "\"");
    };
  }
}
