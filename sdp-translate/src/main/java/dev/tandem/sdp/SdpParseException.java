package dev.tandem.sdp;

/**
 * SDP that cannot be read safely, with the place and the reason, so the edge can answer with a
 * precise error (SIP 488 with a Warning, a JSON-RPC error) instead of guessing.
 *
 * <p>The message reads {@code line 7: m= needs <media> <port> <proto> <fmt>...}.
 */
public final class SdpParseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final String text;
  private final String expected;

  /**
   * @param line 1-based number of the offending line
   * @param text the offending line as received, without its line ending
   * @param expected what the line should have looked like
   */
  public SdpParseException(int line, String text, String expected) {
    super("line " + line + ": " + expected);
    this.line = line;
    this.text = text;
    this.expected = expected;
  }

  /** The 1-based number of the offending line. */
  public int line() {
    return line;
  }

  /** The offending line without its line ending. */
  public String text() {
    return text;
  }

  /** What the line should have looked like, e.g. {@code c= needs IN IP4|IP6 <address>}. */
  public String expected() {
    return expected;
  }
}
