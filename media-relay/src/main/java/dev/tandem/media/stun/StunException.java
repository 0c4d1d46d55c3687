package dev.tandem.media.stun;

/** A datagram that claims to be STUN but cannot be read; the relay drops and counts it. */
public final class StunException extends Exception {
  private static final long serialVersionUID = 1L;

  public StunException(String message) {
    super(message);
  }
}
