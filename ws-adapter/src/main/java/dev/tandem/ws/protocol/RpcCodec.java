package dev.tandem.ws.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * JSON-RPC 2.0 framing: one frame in, a {@link Frame} out; results, errors and notifications out as
 * text. Duplicate keys are a parse error (a frame must mean one thing).
 */
public final class RpcCodec {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RpcCodec() {}

  /** A decoded frame. */
  public sealed interface Frame {}

  /**
   * A well-formed request.
   *
   * @param id the request id, or null for a notification (which gets no response)
   */
  public record Request(JsonNode id, String method, Params params) implements Frame {
    public boolean expectsResponse() {
      return id != null;
    }
  }

  /** A frame that is not a valid request; answered with {@code error} (id null if unknown). */
  public record Invalid(JsonNode id, ProtocolError error) implements Frame {}

  public static Frame decode(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new Invalid(
          NullNode.getInstance(),
          ProtocolError.of(
              ErrorCode.PARSE_ERROR, "not JSON: " + firstLine(e.getOriginalMessage())));
    }
    if (root == null || root.isMissingNode()) {
      return new Invalid(
          NullNode.getInstance(), ProtocolError.of(ErrorCode.PARSE_ERROR, "empty frame"));
    }
    if (root.isArray()) {
      return new Invalid(
          NullNode.getInstance(),
          ProtocolError.of(ErrorCode.INVALID_REQUEST, "batches are not supported"));
    }
    if (!root.isObject()) {
      return new Invalid(
          NullNode.getInstance(),
          ProtocolError.of(ErrorCode.INVALID_REQUEST, "a request is a JSON object"));
    }
    JsonNode id = root.get("id");
    if (id != null && !(id.isTextual() || id.isIntegralNumber() || id.isNull())) {
      return new Invalid(
          NullNode.getInstance(),
          ProtocolError.of(ErrorCode.INVALID_REQUEST, "id must be a string or a number"));
    }
    JsonNode replyId = id == null ? NullNode.getInstance() : id;
    JsonNode version = root.get("jsonrpc");
    if (version == null || !"2.0".equals(version.asText(null)) || !version.isTextual()) {
      return new Invalid(
          replyId, ProtocolError.of(ErrorCode.INVALID_REQUEST, "jsonrpc must be \"2.0\""));
    }
    JsonNode method = root.get("method");
    if (method == null || !method.isTextual() || method.textValue().isEmpty()) {
      return new Invalid(
          replyId,
          ProtocolError.of(ErrorCode.INVALID_REQUEST, "method must be a non-empty string"));
    }
    JsonNode params = root.get("params");
    if (params == null || params.isNull()) {
      params = NODES.objectNode();
    } else if (!params.isObject()) {
      return new Invalid(
          replyId, ProtocolError.of(ErrorCode.INVALID_PARAMS, "params must be an object"));
    }
    return new Request(id, method.textValue(), new Params(params));
  }

  public static String result(JsonNode id, JsonNode result) {
    ObjectNode frame = NODES.objectNode();
    frame.put("jsonrpc", "2.0");
    frame.set("id", id);
    frame.set("result", result);
    return frame.toString();
  }

  public static String error(JsonNode id, ProtocolError error) {
    ObjectNode frame = NODES.objectNode();
    frame.put("jsonrpc", "2.0");
    frame.set("id", id == null ? NullNode.getInstance() : id);
    ObjectNode body = frame.putObject("error");
    body.put("code", error.code().code());
    body.put("message", error.message());
    if (!error.data().isEmpty()) {
      ObjectNode data = body.putObject("data");
      for (Map.Entry<String, Object> entry : error.data().entrySet()) {
        data.set(entry.getKey(), JSON.valueToTree(entry.getValue()));
      }
    }
    return frame.toString();
  }

  public static String notification(String method, ObjectNode params) {
    ObjectNode frame = NODES.objectNode();
    frame.put("jsonrpc", "2.0");
    frame.put("method", method);
    frame.set("params", params);
    return frame.toString();
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
