package dev.keelson.eventlog;

import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.ChangeEnvelope;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents Kafka protocol binding (binary mode) for change records, so that integrators can
 * route on headers without parsing values.
 */
final class CloudEventHeaders {

  static final String SPEC_VERSION = "1.0";

  private CloudEventHeaders() {}

  /** Adds the headers of a change whose time and request id are set. */
  static void add(Headers headers, ChangeEnvelope envelope, String source) {
    ResourceKey key = envelope.key();
    put(headers, "ce_specversion", SPEC_VERSION);
    put(headers, "ce_id", envelope.requestId());
    put(headers, "ce_type", type(key, envelope));
    put(headers, "ce_source", source);
    put(headers, "ce_time", envelope.time().toString());
    put(headers, "ce_subject", key.namespace() + "/" + key.name());
    put(headers, "content-type", "application/json");
  }

  /** {@code dev.keelson.<group>.<kind>.<op>}, the core group named {@code core}, all lower case. */
  static String type(ResourceKey key, ChangeEnvelope envelope) {
    String group = key.group().isEmpty() ? "core" : key.group();
    return ("dev.keelson." + group + "." + key.kind() + "." + envelope.op().name())
        .toLowerCase(Locale.ROOT);
  }

  private static void put(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
