package dev.keelson.eventlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The published JSON Schema of the change envelope, docs/schema/change-envelope.schema.json, read
 * from the repository itself so that the tests check the very file integrators are given.
 */
final class EnvelopeSchema {

  /** Tests run in the module's directory. */
  static final Path FILE = Path.of("..", "docs", "schema", "change-envelope.schema.json");

  private static final Schema SCHEMA = load();

  private EnvelopeSchema() {}

  /** What is wrong with {@code envelope}, one line a problem; empty when it is valid. */
  static List<String> problems(JsonNode envelope) {
    return SCHEMA.validate(envelope).stream().map(Error::toString).toList();
  }

  private static Schema load() {
    try {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(Files.readString(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath(), e);
    }
  }
}
