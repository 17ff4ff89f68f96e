package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The pod-template-hash of a deployment's pod template: upstream's ComputeHash is FNV-1a (32 bit)
 * over a dump of the template, then over the collisionCount as 8 little-endian bytes when there is
 * one, its decimal digits mapped by rand.SafeEncodeString. Upstream dumps the Go struct (go-spew),
 * which no other language reproduces and which changes with every API field added, so the values
 * differ from upstream's; here the dump is the template's canonical JSON (keys sorted, nulls and
 * empty lists and objects left out), which keeps the hash's contract: equal templates hash equal,
 * and a collision is resolved by raising the collisionCount.
 */
public final class TemplateHash {

  public static final String LABEL = "pod-template-hash";

  /** Upstream's utilrand alphabet: no vowels (no words), no confusable characters. */
  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private TemplateHash() {}

  public static String compute(JsonNode template, Integer collisionCount) {
    int hash = fnv1a(FNV_OFFSET, canonical(template).getBytes(StandardCharsets.UTF_8));
    if (collisionCount != null) {
      byte[] count = new byte[8];
      int c = collisionCount;
      for (int i = 0; i < 4; i++) {
        count[i] = (byte) (c >>> (8 * i));
      }
      hash = fnv1a(hash, count);
    }
    return safeEncode(Integer.toUnsignedString(hash));
  }

  /** FNV-1a over {@code bytes}, continuing from {@code hash}. */
  static int fnv1a(int hash, byte[] bytes) {
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return hash;
  }

  /** Upstream's rand.SafeEncodeString. */
  static String safeEncode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      out.append(ALPHANUMS.charAt(s.charAt(i) % ALPHANUMS.length()));
    }
    return out.toString();
  }

  /** The template as compact JSON with sorted keys, without nulls and empty lists or objects. */
  static String canonical(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(Templates.normalized(node), out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      keys.sort(null);
      out.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(new TextNode(keys.get(i)).toString());
        out.append(':');
        write(node.get(keys.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        write(it.next(), out);
        if (it.hasNext()) {
          out.append(',');
        }
      }
      out.append(']');
    } else if (node.isNumber()) {
      out.append(node.decimalValue().stripTrailingZeros().toPlainString());
    } else {
      out.append(node.toString());
    }
  }
}
