package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.write.WriteRefusedException;
import java.util.regex.Pattern;

/** Upstream's defaulting and validation of the built-in kinds, answered as 422 Invalid. */
final class Validating {

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Validating() {}

  static void create(ResourceType type, ObjectNode object) {
    String name = Meta.name(object);
    if (name.isEmpty() && Meta.metadata(object).path("generateName").asText("").isEmpty()) {
      throw refuse(type, "", "metadata.name: Required value: name or generateName is required");
    }
    if (!name.isEmpty() && (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches())) {
      throw refuse(
          type,
          name,
          "metadata.name: Invalid value: \""
              + name
              + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
              + " characters, '-' or '.', and must start and end with an alphanumeric character");
    }
  }

  static void update(ResourceType type, ObjectNode after, ObjectNode before) {}

  private static WriteRefusedException refuse(ResourceType type, String name, String message) {
    ApiStatus status = ApiStatus.invalid(ApiHandler.resourceName(type), name, message);
    return new WriteRefusedException(status, status.message());
  }
}
