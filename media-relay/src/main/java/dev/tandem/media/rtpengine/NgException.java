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

  /**
   * The NG exception behind {@code error} (a stage's failure wraps it in a {@code
   * CompletionException}), or empty for anything else.
   */
  public static java.util.Optional<NgException> of(Throwable error) {
    Throwable cause = error;
    while (cause != null && !(cause instanceof NgException)) {
      cause = cause.getCause();
    }
    return java.util.Optional.ofNullable((NgException) cause);
  }

  /** A short text for logs: the NG exception's message, or the throwable's. */
  public static String reason(Throwable error) {
    return of(error).map(Throwable::getMessage).orElse(String.valueOf(error));
  }

  /** True when rtpengine did not answer at all (it may be down), not when it refused. */
  public boolean unanswered() {
    return kind == Kind.TIMEOUT || kind == Kind.IO;
  }
}
