package dev.tandem.media.stun;

import dev.tandem.media.BigEndian;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One STUN message (RFC 8489 §5, §14) as read from a datagram, with the checks a relay needs:
 * MESSAGE-INTEGRITY with a short-term key (§14.5) and FINGERPRINT (§14.7). Parsing checks every
 * length against the datagram, so garbage raises {@link StunException} and never an index error.
 *
 * @param raw the datagram bytes of the message (a copy), for the integrity checks
 */
public record StunMessage(int type, byte[] transactionId, List<Attribute> attributes, byte[] raw) {

  /** One attribute: type and value (padding removed). */
  public record Attribute(int type, int offset, byte[] value) {}

  /** Reads a message; {@code length} must be exactly the message (a datagram holds one). */
  public static StunMessage parse(byte[] packet, int offset, int length) throws StunException {
    if (!Stun.isStun(packet, offset, length)) {
      throw new StunException("not a STUN message (first byte, length or magic cookie)");
    }
    int declared = BigEndian.readShort(packet, offset + 2);
    if (declared % 4 != 0 || declared != length - Stun.HEADER_LENGTH) {
      throw new StunException(
          "STUN length " + declared + " does not match the datagram (" + length + " bytes)");
    }
    byte[] raw = Arrays.copyOfRange(packet, offset, offset + length);
    List<Attribute> attributes = new ArrayList<>();
    int at = Stun.HEADER_LENGTH;
    while (at < raw.length) {
      if (at + 4 > raw.length) {
        throw new StunException("truncated attribute header at byte " + at);
      }
      int type = BigEndian.readShort(raw, at);
      int valueLength = BigEndian.readShort(raw, at + 2);
      int padded = (valueLength + 3) & ~3;
      if (at + 4 + padded > raw.length) {
        throw new StunException(
            "attribute 0x" + Integer.toHexString(type) + " overruns the message");
      }
      attributes.add(
          new Attribute(type, at, Arrays.copyOfRange(raw, at + 4, at + 4 + valueLength)));
      at += 4 + padded;
    }
    return new StunMessage(
        BigEndian.readShort(raw, 0), Arrays.copyOfRange(raw, 8, 20), List.copyOf(attributes), raw);
  }

  public Optional<Attribute> attribute(int type) {
    for (Attribute a : attributes) {
      if (a.type() == type) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public boolean has(int type) {
    return attribute(type).isPresent();
  }

  /** USERNAME as text (RFC 8489 §14.3: UTF-8). */
  public Optional<String> username() {
    return attribute(Stun.USERNAME).map(a -> new String(a.value(), StandardCharsets.UTF_8));
  }

  /** XOR-MAPPED-ADDRESS (RFC 8489 §14.2), IPv4 or IPv6. */
  public Optional<InetSocketAddress> xorMappedAddress() throws StunException {
    Optional<Attribute> a = attribute(Stun.XOR_MAPPED_ADDRESS);
    if (a.isEmpty()) {
      return Optional.empty();
    }
    byte[] v = a.get().value();
    if (v.length < 8) {
      throw new StunException("XOR-MAPPED-ADDRESS too short");
    }
    int family = v[1] & 0xFF;
    int port = BigEndian.readShort(v, 2) ^ (Stun.MAGIC_COOKIE >>> 16);
    int addressLength = family == 1 ? 4 : family == 2 ? 16 : -1;
    if (addressLength < 0 || v.length != 4 + addressLength) {
      throw new StunException(
          "XOR-MAPPED-ADDRESS with family " + family + " and " + v.length + " bytes");
    }
    byte[] address = new byte[addressLength];
    byte[] mask = xorMask(transactionId);
    for (int i = 0; i < addressLength; i++) {
      address[i] = (byte) (v[4 + i] ^ mask[i]);
    }
    try {
      return Optional.of(new InetSocketAddress(InetAddress.getByAddress(address), port));
    } catch (UnknownHostException e) {
      throw new StunException("XOR-MAPPED-ADDRESS unreadable: " + e.getMessage());
    }
  }

  /** The magic cookie followed by the transaction id: what addresses are XORed with. */
  static byte[] xorMask(byte[] transactionId) {
    byte[] mask = new byte[16];
    BigEndian.writeInt(mask, 0, Stun.MAGIC_COOKIE);
    System.arraycopy(transactionId, 0, mask, 4, 12);
    return mask;
  }

  /**
   * Whether MESSAGE-INTEGRITY is present and right for {@code key} (the short-term password's
   * bytes, RFC 8489 §9.1.1): HMAC-SHA1 over the message up to the attribute, with the header's
   * length covering the attribute itself (§14.5).
   */
  public boolean integrityMatches(byte[] key) {
    Optional<Attribute> mi = attribute(Stun.MESSAGE_INTEGRITY);
    if (mi.isEmpty() || mi.get().value().length != 20) {
      return false;
    }
    int at = mi.get().offset();
    byte[] expected = hmacSha1(key, raw, at, at + 24 - Stun.HEADER_LENGTH);
    return java.security.MessageDigest.isEqual(expected, mi.get().value());
  }

  /** Whether FINGERPRINT is present and right (RFC 8489 §14.7). */
  public boolean fingerprintMatches() {
    Optional<Attribute> fp = attribute(Stun.FINGERPRINT);
    if (fp.isEmpty() || fp.get().value().length != 4) {
      return false;
    }
    int at = fp.get().offset();
    return crc(raw, at, at + 8 - Stun.HEADER_LENGTH) == BigEndian.readInt(fp.get().value(), 0);
  }

  /**
   * HMAC-SHA1 over {@code message[0..end)} as if the header's length were {@code length} (the
   * attribute being computed is counted, RFC 8489 §14.5).
   */
  static byte[] hmacSha1(byte[] key, byte[] message, int end, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      byte[] header = Arrays.copyOf(message, Stun.HEADER_LENGTH);
      BigEndian.writeShort(header, 2, length);
      mac.update(header);
      mac.update(message, Stun.HEADER_LENGTH, end - Stun.HEADER_LENGTH);
      return mac.doFinal();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }

  /** The FINGERPRINT value over {@code message[0..end)} with the header's length {@code length}. */
  static int crc(byte[] message, int end, int length) {
    CRC32 crc = new CRC32();
    byte[] header = Arrays.copyOf(message, Stun.HEADER_LENGTH);
    BigEndian.writeShort(header, 2, length);
    crc.update(header);
    crc.update(message, Stun.HEADER_LENGTH, end - Stun.HEADER_LENGTH);
    return (int) crc.getValue() ^ Stun.FINGERPRINT_XOR;
  }
}
