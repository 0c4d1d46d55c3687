package dev.tandem.media.rtpengine;

/** An NG request failed: no answer in time, an error answer, or an answer that does not decode. */
public final class NgException extends Exception {
  private static final long serialVersionUID = 1L;

  /** How it failed. */
  public enum Kind {
    /** rtpengine did not answer within the timeout (down, overloaded, wrong address). */
    TIMEOUT,
    /** rtpengine answered {@code result: error} (or {@code load limit}) with this reason. */
    ERROR,
    /** The answer was not a bencoded dictionary with a result. */
    PROTOCOL,
    /** The client could not send (closed, no route). */
    IO
  }

  private final Kind kind;

  public NgException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
