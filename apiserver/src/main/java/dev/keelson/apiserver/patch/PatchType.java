package dev.keelson.apiserver.patch;

import java.util.Optional;

/** The patch formats of a PATCH request, named by the media type of its body. */
public enum PatchType {
  JSON_PATCH("application/json-patch+json"),
  MERGE_PATCH("application/merge-patch+json"),
  STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json"),
  /** Server-side apply: recognised, but not applied by {@link Patches} (answer 415 for now). */
  APPLY_PATCH("application/apply-patch+yaml");

  private final String contentType;

  PatchType(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The patch type a {@code Content-Type} header names, ignoring parameters such as {@code ;
   * charset=utf-8} the way upstream's patch handler does; empty when it names none.
   */
  public static Optional<PatchType> fromContentType(String header) {
    if (header == null) {
      return Optional.empty();
    }
    int semicolon = header.indexOf(';');
    String mediaType = (semicolon >= 0 ? header.substring(0, semicolon) : header).trim();
    for (PatchType type : values()) {
      if (type.contentType.equalsIgnoreCase(mediaType)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
