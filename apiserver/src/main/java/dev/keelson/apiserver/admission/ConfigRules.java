package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Upstream's validation of ConfigMaps and Secrets. */
final class ConfigRules {

  static final int MAX_SIZE = 1024 * 1024;
  private static final String IMMUTABLE_SET = "field is immutable when `immutable` is set";

  private ConfigRules() {}

  static List<FieldCause> configMap(JsonNode configMap) {
    List<FieldCause> causes = MetaRules.create(configMap, true, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(configMapData(configMap));
    return causes;
  }

  private static List<FieldCause> configMapData(JsonNode configMap) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode data = configMap.path("data");
    JsonNode binary = configMap.path("binaryData");
    long[] size = {0};
    data.fields()
        .forEachRemaining(
            e -> {
              String path = "data[" + e.getKey() + "]";
              keys(causes, e.getKey(), path);
              if (binary.has(e.getKey())) {
                causes.add(
                    FieldCause.invalid(path, e.getKey(), "duplicate of key present in binaryData"));
              }
              size[0] += Formats.byteLength(e.getValue().asText());
            });
    binary
        .fields()
        .forEachRemaining(
            e -> {
              keys(causes, e.getKey(), "binaryData[" + e.getKey() + "]");
              size[0] += decoded(e.getValue().asText()).length;
            });
    if (size[0] > MAX_SIZE) {
      causes.add(FieldCause.tooLong("", MAX_SIZE));
    }
    return causes;
  }

  static List<FieldCause> configMapUpdate(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    if (existing.path("immutable").asBoolean(false)) {
      if (!updated.path("immutable").asBoolean(false)) {
        causes.add(FieldCause.forbidden("immutable", IMMUTABLE_SET));
      }
      for (String field : List.of("data", "binaryData")) {
        if (!Checks.same(updated.path(field), existing.path(field))) {
          causes.add(FieldCause.forbidden(field, IMMUTABLE_SET));
        }
      }
    }
    causes.addAll(configMapData(updated));
    return causes;
  }

  static List<FieldCause> secret(JsonNode secret) {
    List<FieldCause> causes = MetaRules.create(secret, true, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(secretData(secret));
    return causes;
  }

  static List<FieldCause> secretUpdate(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    String type = Checks.text(updated, "type");
    if (!type.equals(Checks.text(existing, "type"))) {
      causes.add(FieldCause.invalid("type", type, Checks.IMMUTABLE));
    }
    if (existing.path("immutable").asBoolean(false)) {
      if (!updated.path("immutable").asBoolean(false)) {
        causes.add(FieldCause.forbidden("immutable", IMMUTABLE_SET));
      }
      if (!Checks.same(updated.path("data"), existing.path("data"))) {
        causes.add(FieldCause.forbidden("data", IMMUTABLE_SET));
      }
    }
    causes.addAll(secretData(updated));
    return causes;
  }

  private static List<FieldCause> secretData(JsonNode secret) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode data = secret.path("data");
    long[] size = {0};
    data.fields()
        .forEachRemaining(
            e -> {
              String path = "data[" + e.getKey() + "]";
              keys(causes, e.getKey(), path);
              try {
                size[0] += Base64.getDecoder().decode(e.getValue().asText()).length;
              } catch (IllegalArgumentException bad) {
                causes.add(
                    FieldCause.invalid(path, "<secret contents redacted>", "illegal base64 data"));
              }
            });
    if (size[0] > MAX_SIZE) {
      causes.add(FieldCause.tooLong("data", MAX_SIZE));
    }
    switch (Checks.text(secret, "type")) {
      case "kubernetes.io/service-account-token" -> {
        String key = "kubernetes.io/service-account.name";
        if (secret.path("metadata").path("annotations").path(key).asText("").isEmpty()) {
          causes.add(FieldCause.required("metadata.annotations[" + key + "]", ""));
        }
      }
      case "kubernetes.io/dockercfg" -> requireKeys(causes, data, ".dockercfg");
      case "kubernetes.io/dockerconfigjson" -> requireKeys(causes, data, ".dockerconfigjson");
      case "kubernetes.io/basic-auth" -> {
        if (!data.has("username") && !data.has("password")) {
          requireKeys(causes, data, "username", "password");
        }
      }
      case "kubernetes.io/ssh-auth" -> {
        if (data.path("ssh-privatekey").asText("").isEmpty()) {
          causes.add(FieldCause.required("data[ssh-privatekey]", ""));
        }
      }
      case "kubernetes.io/tls" -> requireKeys(causes, data, "tls.crt", "tls.key");
      default -> {}
    }
    return causes;
  }

  private static void requireKeys(List<FieldCause> causes, JsonNode data, String... keys) {
    for (String key : keys) {
      if (!data.has(key)) {
        causes.add(FieldCause.required("data[" + key + "]", ""));
      }
    }
  }

  private static void keys(List<FieldCause> causes, String key, String path) {
    Formats.configKey(key).forEach(m -> causes.add(FieldCause.invalid(path, key, m)));
  }

  private static byte[] decoded(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return base64.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
