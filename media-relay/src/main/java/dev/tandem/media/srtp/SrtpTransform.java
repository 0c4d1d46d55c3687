package dev.tandem.media.srtp;

/**
 * The cryptographic half of SRTP: how one packet is encrypted and authenticated once {@link
 * SrtpContext} has worked out its index (ROC and sequence number, or the SRTCP index). Packets are
 * changed in place; every method returns the new length, or -1 when the packet fails.
 */
sealed interface SrtpTransform permits AesCmHmacTransform, AesGcmTransform {

  static SrtpTransform of(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
    return profile.aead
        ? AesGcmTransform.fromMaster(profile, masterKey, masterSalt)
        : new AesCmHmacTransform(profile, masterKey, masterSalt);
  }

  /** Encrypts the payload after {@code header} bytes and appends the tag. */
  int protectRtp(byte[] buf, int offset, int header, int length, int ssrc, long index);

  /**
   * Authenticates (tag at the end of {@code length}) and decrypts; returns the RTP length. When
   * authentication fails the payload bytes are undefined (the JDK's AES-GCM may leave its trial
   * decryption there): the caller drops the packet.
   */
  int unprotectRtp(byte[] buf, int offset, int header, int length, int ssrc, long index);

  /** Encrypts an RTCP compound packet and appends the E flag, SRTCP index and tag. */
  int protectRtcp(byte[] buf, int offset, int length, int ssrc, int index);

  /** Where the E flag and SRTCP index word starts in an SRTCP packet of {@code length}. */
  int srtcpWordAt(int length);

  /**
   * Authenticates and (if the E flag says so) decrypts an SRTCP packet; returns the RTCP length.
   */
  int unprotectRtcp(byte[] buf, int offset, int length, int ssrc, int word);
}
