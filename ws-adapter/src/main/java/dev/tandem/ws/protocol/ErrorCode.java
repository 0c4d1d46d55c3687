package dev.tandem.ws.protocol;

import dev.tandem.core.vocabulary.Refusal;

/** Every error code of the protocol, with its stable number (docs/protocol.md lists them). */
public enum ErrorCode {
  PARSE_ERROR(-32700),
  INVALID_REQUEST(-32600),
  METHOD_NOT_FOUND(-32601),
  INVALID_PARAMS(-32602),
  INTERNAL_ERROR(-32603),
  NOT_AUTHENTICATED(4001),
  AUTHENTICATION_FAILED(4002),
  FORBIDDEN(4003),
  NOT_FOUND(4004),
  INVALID_STATE(4009),
  RESUME_EXPIRED(4010),
  MESSAGE_TOO_LARGE(4013),
  RATE_LIMITED(4029),
  TOO_MANY_CALLS(4030),
  TOO_MANY_CONNECTIONS(4031),
  BAD_SDP(4088),
  UNAVAILABLE(4503);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The one mapping from a core refusal to a wire code. */
  public static ErrorCode of(Refusal refusal) {
    return switch (refusal) {
      case NOT_FOUND -> NOT_FOUND;
      case INVALID_STATE -> INVALID_STATE;
      case FORBIDDEN -> FORBIDDEN;
      case TOO_MANY_CALLS -> TOO_MANY_CALLS;
      case TOO_MANY_SESSIONS -> TOO_MANY_CONNECTIONS;
      case BAD_SDP -> BAD_SDP;
      case RESUME_EXPIRED -> RESUME_EXPIRED;
      case UNAVAILABLE -> UNAVAILABLE;
    };
  }
}
