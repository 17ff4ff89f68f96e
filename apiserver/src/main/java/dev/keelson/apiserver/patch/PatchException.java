package dev.keelson.apiserver.patch;

/**
 * A patch that cannot be applied, with the HTTP answer upstream's patch handler gives for it. The
 * message is the Status message a client sees; {@link #detail()} says what exactly went wrong where
 * upstream answers with a generic message (a failed JSON patch operation, for one).
 */
public final class PatchException extends Exception {

  /** The answer's category: its HTTP code and the Status {@code reason}. */
  public enum Category {
    BAD_REQUEST(400, "BadRequest"),
    REQUEST_ENTITY_TOO_LARGE(413, "RequestEntityTooLarge"),
    UNSUPPORTED_MEDIA_TYPE(415, "UnsupportedMediaType"),
    UNPROCESSABLE(422, "Invalid");

    private final int code;
    private final String reason;

    Category(int code, String reason) {
      this.code = code;
      this.reason = reason;
    }

    public int code() {
      return code;
    }

    public String reason() {
      return reason;
    }
  }

  /** Upstream's wording for every 422 of a patch that could not be applied. */
  static final String REJECTED = "the server rejected our request due to an error in our request";

  private final Category category;
  private final String detail;

  PatchException(Category category, String message, String detail) {
    super(message);
    this.category = category;
    this.detail = detail;
  }

  /**
   * The answer to a PATCH whose {@code Content-Type} names no patch type Keelson applies, worded as
   * upstream's negotiation error.
   */
  public static PatchException unsupportedMediaType() {
    return new PatchException(
        Category.UNSUPPORTED_MEDIA_TYPE,
        "the body of the request was in an unknown format - accepted media types include: "
            + PatchType.JSON_PATCH.contentType()
            + ", "
            + PatchType.MERGE_PATCH.contentType()
            + ", "
            + PatchType.STRATEGIC_MERGE_PATCH.contentType(),
        null);
  }

  static PatchException badRequest(String message) {
    return new PatchException(Category.BAD_REQUEST, message, message);
  }

  /** A 422 worded as upstream words it; the cause stays in {@link #detail()}. */
  static PatchException unprocessable(String detail) {
    return new PatchException(Category.UNPROCESSABLE, REJECTED, detail);
  }

  public Category category() {
    return category;
  }

  public int code() {
    return category.code();
  }

  public String reason() {
    return category.reason();
  }

  /** What went wrong, for logs; the same as the message unless upstream answers generically. */
  public String detail() {
    return detail == null ? getMessage() : detail;
  }
}
