package dev.tandem.media.dtls;

import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.media.srtp.SrtpProfile;
import java.util.Arrays;

/**
 * The SRTP keys a DTLS-SRTP handshake exported (RFC 5764 §4.2): client write key, server write key,
 * client salt, server salt, in that order in the exporter output. {@code local} is what this side
 * sends with, {@code remote} what it receives with.
 */
public record DtlsSrtpKeys(
    SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {

  /**
   * Splits the exporter's {@code 2 * (key + salt)} bytes for the side that was the client or not.
   */
  static DtlsSrtpKeys fromExporter(SrtpProfile profile, byte[] material, boolean client) {
    int k = profile.keyLength;
    int s = profile.saltLength;
    byte[] clientKey = Arrays.copyOfRange(material, 0, k);
    byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
    byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
    byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
    return client
        ? new DtlsSrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
        : new DtlsSrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
  }

  /** The context that protects what this side sends. */
  public SrtpContext sender() {
    return new SrtpContext(profile, localKey, localSalt);
  }

  /** The context that unprotects what this side receives. */
  public SrtpContext receiver() {
    return new SrtpContext(profile, remoteKey, remoteSalt);
  }
}
