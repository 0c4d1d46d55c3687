package dev.tandem.ws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.browser.IceCandidate;
import dev.tandem.core.vocabulary.CallId;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a request's {@code params} with the protocol's rules: each accessor names the field in its
 * error ({@code params.sdp: required}), so a browser developer sees what to fix. Unknown fields are
 * ignored, for forward compatibility.
 */
public final class Params {
  private final JsonNode node;

  Params(JsonNode node) {
    this.node = node;
  }

  /** A required, non-empty string. */
  public String string(String field) throws InvalidParamsException {
    return optionalString(field).orElseThrow(() -> new InvalidParamsException(field, "required"));
  }

  /** An optional string; null counts as absent, an empty string as a problem. */
  public Optional<String> optionalString(String field) throws InvalidParamsException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new InvalidParamsException(field, "must be a string");
    }
    if (value.textValue().isEmpty()) {
      throw new InvalidParamsException(field, "must not be empty");
    }
    return Optional.of(value.textValue());
  }

  /** An optional boolean, false when absent or null. */
  public boolean flag(String field) throws InvalidParamsException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidParamsException(field, "must be true or false");
    }
    return value.booleanValue();
  }

  /** An optional whole number within bounds. */
  public OptionalInt optionalInt(String field, int min, int max) throws InvalidParamsException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return OptionalInt.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new InvalidParamsException(field, "must be a whole number");
    }
    int n = value.intValue();
    if (n < min || n > max) {
      throw new InvalidParamsException(field, "must be " + min + ".." + max);
    }
    return OptionalInt.of(n);
  }

  /** The {@code callId} every call request carries. */
  public CallId callId() throws InvalidParamsException {
    String value = string("callId");
    try {
      return new CallId(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidParamsException("callId", e.getMessage());
    }
  }

  /**
   * {@code candidate}: an {@code RTCIceCandidateInit} object, or null for end-of-candidates. The
   * key must be present, so that a forgotten field is not taken for the end.
   */
  public Optional<IceCandidate> candidate() throws InvalidParamsException {
    if (!node.has("candidate")) {
      throw new InvalidParamsException("candidate", "required (null for end-of-candidates)");
    }
    JsonNode value = node.get("candidate");
    if (value.isNull()) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      throw new InvalidParamsException("candidate", "must be an object or null");
    }
    Params inner = new Params(value);
    String line;
    try {
      line = inner.string("candidate");
    } catch (InvalidParamsException e) {
      throw new InvalidParamsException("candidate.candidate", "required");
    }
    try {
      return Optional.of(
          new IceCandidate(
              line,
              inner.optionalStringAllowingEmpty("sdpMid"),
              inner.optionalInt("sdpMLineIndex", 0, 1023),
              inner.optionalStringAllowingEmpty("usernameFragment")));
    } catch (InvalidParamsException e) {
      throw new InvalidParamsException(
          "candidate." + e.error().data().get("field"),
          e.getMessage().replaceFirst("^[^:]*: ", ""));
    } catch (IllegalArgumentException e) {
      throw new InvalidParamsException("candidate.candidate", e.getMessage());
    }
  }

  private Optional<String> optionalStringAllowingEmpty(String field) throws InvalidParamsException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new InvalidParamsException(field, "must be a string");
    }
    return Optional.of(value.textValue());
  }
}
