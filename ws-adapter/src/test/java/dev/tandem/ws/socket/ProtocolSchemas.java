package dev.tandem.ws.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas of {@code docs/schemas} (one per message), applied to frames. A frame is checked
 * against the schema its kind and method name: {@code request/<method>.json}, {@code
 * result/<method>.json}, {@code notification/<method>.json} or {@code error.json}.
 */
final class ProtocolSchemas {
  static final Path DIR = Path.of(System.getProperty("tandem.root", "..")).resolve("docs/schemas");
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final Map<Path, JsonSchema> CACHE = new ConcurrentHashMap<>();

  private ProtocolSchemas() {}

  static JsonSchema schema(String relative) {
    Path file = DIR.resolve(relative);
    return CACHE.computeIfAbsent(
        file,
        f -> {
          if (!Files.isRegularFile(f)) {
            throw new AssertionError("no schema " + f + " for this message");
          }
          try (InputStream in = Files.newInputStream(f)) {
            return FACTORY.getSchema(in);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Problems of {@code frame} against {@code relative}, as "schema: message" lines. */
  static List<String> problems(String relative, JsonNode frame) {
    Set<ValidationMessage> messages = schema(relative).validate(frame);
    List<String> out = new ArrayList<>();
    for (ValidationMessage m : messages) {
      out.add(relative + ": " + m.getMessage() + " in " + frame);
    }
    return out;
  }
}
