package dev.keelson.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hides the values of a Secret's {@code data} and {@code stringData} from its history, and the
 * annotation in which {@code kubectl apply} keeps a copy of them: each value becomes {@code
 * (redacted <tag>)}, where the tag is an HMAC of the value under a key drawn when the process
 * starts. So a history still shows which keys of a Secret changed, and whether two versions hold
 * the same value, but never a value, not even a digest one could test guesses against. A get of the
 * Secret shows its current values to whoever may read it; its history would otherwise show every
 * value it ever held.
 */
final class SecretValues {

  /** Where kubectl apply keeps the object it applied, values and all. */
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final byte[] key = new byte[32];

  SecretValues() {
    new SecureRandom().nextBytes(key);
  }

  static boolean isSecret(ResourceKey key) {
    return key.group().isEmpty() && key.kind().equals("Secret");
  }

  /** {@code object} with its values hidden when it is a Secret; itself otherwise. */
  ObjectNode hidden(ResourceKey key, ObjectNode object) {
    if (object == null || !isSecret(key)) {
      return object;
    }
    ObjectNode copy = object.deepCopy();
    hide(copy.get("data"), null);
    hide(copy.get("stringData"), null);
    hide(copy.path("metadata").get("annotations"), LAST_APPLIED);
    return copy;
  }

  /** Hides the values of {@code values}, or only the one of {@code only} when it is not null. */
  private void hide(JsonNode values, String only) {
    if (!(values instanceof ObjectNode map)) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (only == null || only.equals(entry.getKey())) {
        entry.setValue(map.textNode("(redacted " + tag(entry.getValue().asText()) + ")"));
      }
    }
  }

  private String tag(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
