package dev.tandem.media.stun;

import dev.tandem.media.BigEndian;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds STUN messages: header, attributes in order, then MESSAGE-INTEGRITY and FINGERPRINT last as
 * RFC 8489 §14.5 and §14.7 require. Padding bytes are zero.
 */
public final class StunWriter {
  private byte[] buffer = new byte[128];
  private int length = Stun.HEADER_LENGTH;

  public StunWriter(int type, byte[] transactionId) {
    if (transactionId.length != 12) {
      throw new IllegalArgumentException("a transaction id has 12 bytes");
    }
    BigEndian.writeShort(buffer, 0, type);
    BigEndian.writeInt(buffer, 4, Stun.MAGIC_COOKIE);
    System.arraycopy(transactionId, 0, buffer, 8, 12);
  }

  public StunWriter attribute(int type, byte[] value) {
    int padded = (value.length + 3) & ~3;
    ensure(4 + padded);
    BigEndian.writeShort(buffer, length, type);
    BigEndian.writeShort(buffer, length + 2, value.length);
    System.arraycopy(value, 0, buffer, length + 4, value.length);
    length += 4 + padded;
    return this;
  }

  public StunWriter software(String name) {
    return attribute(Stun.SOFTWARE, name.getBytes(StandardCharsets.UTF_8));
  }

  /** XOR-MAPPED-ADDRESS of {@code address} (RFC 8489 §14.2). */
  public StunWriter xorMappedAddress(InetSocketAddress address) {
    byte[] ip = address.getAddress().getAddress();
    byte[] value = new byte[4 + ip.length];
    value[1] = (byte) (ip.length == 4 ? 1 : 2);
    BigEndian.writeShort(value, 2, address.getPort() ^ (Stun.MAGIC_COOKIE >>> 16));
    byte[] mask = StunMessage.xorMask(Arrays.copyOfRange(buffer, 8, 20));
    for (int i = 0; i < ip.length; i++) {
      value[4 + i] = (byte) (ip[i] ^ mask[i]);
    }
    return attribute(Stun.XOR_MAPPED_ADDRESS, value);
  }

  /** ERROR-CODE (RFC 8489 §14.8), e.g. 401 "Unauthenticated". */
  public StunWriter errorCode(int code, String reason) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] value = new byte[4 + text.length];
    value[2] = (byte) (code / 100);
    value[3] = (byte) (code % 100);
    System.arraycopy(text, 0, value, 4, text.length);
    return attribute(Stun.ERROR_CODE, value);
  }

  /** MESSAGE-INTEGRITY with {@code key}; nothing but FINGERPRINT may follow. */
  public StunWriter messageIntegrity(byte[] key) {
    byte[] mac = StunMessage.hmacSha1(key, buffer, length, length + 24 - Stun.HEADER_LENGTH);
    return attribute(Stun.MESSAGE_INTEGRITY, mac);
  }

  /** FINGERPRINT, and the finished message. */
  public byte[] fingerprintAndBuild() {
    int crc = StunMessage.crc(buffer, length, length + 8 - Stun.HEADER_LENGTH);
    byte[] value = new byte[4];
    BigEndian.writeInt(value, 0, crc);
    attribute(Stun.FINGERPRINT, value);
    return build();
  }

  public byte[] build() {
    BigEndian.writeShort(buffer, 2, length - Stun.HEADER_LENGTH);
    return Arrays.copyOf(buffer, length);
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
