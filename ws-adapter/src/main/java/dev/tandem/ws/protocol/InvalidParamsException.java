package dev.tandem.ws.protocol;

/** A request's params are missing a field or have one of the wrong type; becomes -32602. */
public final class InvalidParamsException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient ProtocolError error;

  public InvalidParamsException(String field, String problem) {
    super("params." + field + ": " + problem, null, false, false);
    this.error = ProtocolError.invalidParams(field, problem);
  }

  public ProtocolError error() {
    return error;
  }
}
