package dev.tandem.core.media;

/** A media backend could not do what a call needs; the message says why, for logs and the user. */
public final class MediaException extends RuntimeException {
  private final boolean badSdp;

  public MediaException(String message, boolean badSdp, Throwable cause) {
    super(message, cause);
    this.badSdp = badSdp;
  }

  public MediaException(String message) {
    this(message, false, null);
  }

  /** True when the SDP was the problem (SIP 488), false when the backend failed (SIP 500/503). */
  public boolean badSdp() {
    return badSdp;
  }
}
