package dev.tandem.ws.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * An error answered to the browser: code, a message for a person, and structured data (the field at
 * fault, the SDP line).
 */
public record ProtocolError(ErrorCode code, String message, Map<String, Object> data) {
  public ProtocolError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    data = Map.copyOf(data);
  }

  public static ProtocolError of(ErrorCode code, String message) {
    return new ProtocolError(code, message, Map.of());
  }

  /** -32602 naming the parameter at fault, e.g. {@code params.sdp: required}. */
  public static ProtocolError invalidParams(String field, String problem) {
    return new ProtocolError(
        ErrorCode.INVALID_PARAMS, "params." + field + ": " + problem, Map.of("field", field));
  }
}
