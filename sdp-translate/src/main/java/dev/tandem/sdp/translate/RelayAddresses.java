package dev.tandem.sdp.translate;

import dev.tandem.sdp.Connection;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The addresses a relay announces: one, or one of each address family (an IPv4 and an IPv6
 * address), so that a browser on one family can talk to a SIP peer on the other. The relay's plain
 * side is announced on the address whose family the SIP peer's {@code c=} names (SDP has no way to
 * offer two families to a plain RTP peer, RFC 8866 §5.7, short of ANAT, which SIP peers do not
 * speak); its WebRTC side announces every address as an ICE candidate and the browser picks (RFC
 * 8445 §6.1.2.2 pairs candidates of the same family).
 *
 * @param primary the address written by default: in offers to SIP peers and in the browser's {@code
 *     c=}; an IP literal or a host name (host names count as IPv4, as {@code c=} writes them)
 * @param other an address of the other family, when the relay has one
 */
public record RelayAddresses(String primary, Optional<String> other) {

  public RelayAddresses {
    Objects.requireNonNull(other, "other");
    Connection first = connection(primary, "primary");
    if (other.isPresent()) {
      Connection second = connection(other.get(), "other");
      if (first.addrtype().equals(second.addrtype())) {
        throw new IllegalArgumentException(
            "the relay's two addresses must be one IPv4 and one IPv6 address, not "
                + primary
                + " and "
                + other.get());
      }
    }
  }

  /** A relay with one address. */
  public static RelayAddresses of(String address) {
    return new RelayAddresses(address, Optional.empty());
  }

  /** Every address, the primary first: the WebRTC side's ICE candidates. */
  public List<String> all() {
    List<String> all = new ArrayList<>(2);
    all.add(primary);
    other.ifPresent(all::add);
    return all;
  }

  /** The relay's address of {@code addrtype} ({@code IP4} or {@code IP6}), if it has one. */
  public Optional<String> ofType(String addrtype) {
    return all().stream().filter(a -> Connection.of(a).addrtype().equals(addrtype)).findFirst();
  }

  /**
   * The address to announce to a plain RTP peer whose description is {@code plain}: the one of the
   * family of the {@code c=} line its carried audio uses; the primary when it names none yet (no
   * audio, or the hold address {@code 0.0.0.0} / {@code ::}).
   *
   * @param side who wrote {@code plain}, for the message ("the SIP side's offer")
   * @throws SdpTranslationException when the relay has no address of that family: the peer could
   *     not send to any address the relay could announce
   */
  public String toward(SessionDescription plain, String side) throws SdpTranslationException {
    OptionalInt carried = OfferAnswer.carriedAudio(plain);
    if (carried.isEmpty()) {
      return primary;
    }
    MediaDescription audio = plain.media().get(carried.getAsInt());
    Optional<Connection> c = plain.connection(audio);
    if (c.isEmpty() || c.get().isHoldAddress()) {
      return primary;
    }
    Optional<String> same = ofType(c.get().addrtype());
    if (same.isEmpty()) {
      throw new SdpTranslationException(
          side
              + " puts its media on "
              + family(c.get().addrtype())
              + " (c="
              + c.get().toValue()
              + "), and the relay has no "
              + family(c.get().addrtype())
              + " address (it has "
              + String.join(" and ", all())
              + ")");
    }
    return same.get();
  }

  private static String family(String addrtype) {
    return addrtype.equals("IP6") ? "IPv6" : "IPv4";
  }

  private static Connection connection(String address, String which) {
    if (address == null) {
      throw new NullPointerException(which);
    }
    try {
      return Connection.of(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the relay's " + which + " address is not an IP address or host name: " + address);
    }
  }
}
