package dev.keelson.apiserver.admission;

import dev.keelson.api.GroupKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One field-level reason an object is invalid, as upstream's {@code field.Error}: {@code type} is
 * the cause reason of a {@code Status} ({@code FieldValueInvalid}, ...), {@code field} the path
 * ({@code spec.containers[0].name}), {@code value} the offending value already rendered the way Go
 * prints it ({@code "Foo_Bar"}, {@code 70000}) or null when upstream leaves it out, and {@code
 * detail} the explanation.
 */
public record FieldCause(String type, String field, String value, String detail) {

  public static final String REQUIRED = "FieldValueRequired";
  public static final String INVALID = "FieldValueInvalid";
  public static final String NOT_SUPPORTED = "FieldValueNotSupported";
  public static final String DUPLICATE = "FieldValueDuplicate";
  public static final String NOT_FOUND = "FieldValueNotFound";
  public static final String TOO_LONG = "FieldValueTooLong";
  public static final String TOO_MANY = "FieldValueTooMany";
  public static final String FORBIDDEN = "FieldValueForbidden";
  public static final String INTERNAL = "InternalError";

  /** A cause without a value: required, forbidden, too long. */
  public FieldCause(String type, String field, String detail) {
    this(type, field, null, detail);
  }

  public static FieldCause required(String field, String detail) {
    return new FieldCause(REQUIRED, field, detail);
  }

  public static FieldCause forbidden(String field, String detail) {
    return new FieldCause(FORBIDDEN, field, detail);
  }

  /** Upstream's {@code field.InternalError}: the field is valid, the server cannot serve it. */
  public static FieldCause internal(String field, String detail) {
    return new FieldCause(INTERNAL, field, detail);
  }

  public static FieldCause invalid(String field, Object value, String detail) {
    return new FieldCause(INVALID, field, GoValue.render(value), detail);
  }

  public static FieldCause duplicate(String field, Object value) {
    return new FieldCause(DUPLICATE, field, GoValue.render(value), "");
  }

  public static FieldCause notFound(String field, Object value) {
    return new FieldCause(NOT_FOUND, field, GoValue.render(value), "");
  }

  public static FieldCause notSupported(String field, Object value, List<String> supported) {
    StringBuilder detail = new StringBuilder();
    for (String each : supported) {
      detail.append(detail.length() == 0 ? "supported values: " : ", ");
      detail.append(GoValue.quote(each));
    }
    return new FieldCause(NOT_SUPPORTED, field, GoValue.render(value), detail.toString());
  }

  public static FieldCause tooLong(String field, int maxBytes) {
    return new FieldCause(TOO_LONG, field, "must have at most " + maxBytes + " bytes");
  }

  public static FieldCause tooMany(String field, int actual, int max) {
    return new FieldCause(
        TOO_MANY, field, String.valueOf(actual), "must have at most " + max + " items");
  }

  /** Upstream's {@code ErrorBody()}: the text of a {@code Status} cause. */
  public String message() {
    StringBuilder text = new StringBuilder(typeText());
    boolean valueShown =
        value != null
            && !type.equals(REQUIRED)
            && !type.equals(FORBIDDEN)
            && !type.equals(TOO_LONG);
    if (valueShown) {
      text.append(": ").append(value);
    }
    if (detail != null && !detail.isEmpty()) {
      text.append(": ").append(detail);
    }
    return text.toString();
  }

  /** {@code field: message}, one entry of the aggregate in a {@code Status} message. */
  @Override
  public String toString() {
    return field + ": " + message();
  }

  /** Upstream's aggregate error text: one cause bare, several in brackets, duplicates dropped. */
  public static String summary(List<FieldCause> causes) {
    Set<String> seen = new LinkedHashSet<>();
    causes.forEach(cause -> seen.add(cause.toString()));
    if (seen.size() == 1) {
      return seen.iterator().next();
    }
    return "[" + String.join(", ", seen) + "]";
  }

  /** The message of the 422 answer: {@code Deployment.apps "web" is invalid: ...}. */
  public static String invalidMessage(GroupKind kind, String name, List<FieldCause> causes) {
    String head = kind + " " + GoValue.quote(name) + " is invalid";
    return causes.isEmpty() ? head : head + ": " + summary(causes);
  }

  private String typeText() {
    return switch (type) {
      case REQUIRED -> "Required value";
      case DUPLICATE -> "Duplicate value";
      case NOT_SUPPORTED -> "Unsupported value";
      case NOT_FOUND -> "Not found";
      case FORBIDDEN -> "Forbidden";
      case INTERNAL -> "Internal error";
      case TOO_LONG -> "Too long";
      case TOO_MANY -> "Too many";
      default -> "Invalid value";
    };
  }
}
