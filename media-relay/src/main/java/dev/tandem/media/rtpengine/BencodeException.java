package dev.tandem.media.rtpengine;

/** Bencoded data that does not decode; carries the byte offset where decoding stopped. */
public final class BencodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public BencodeException(int offset, String reason) {
    super("bencode at byte " + offset + ": " + reason);
  }
}
