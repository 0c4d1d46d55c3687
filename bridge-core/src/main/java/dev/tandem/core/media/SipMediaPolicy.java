package dev.tandem.core.media;

import dev.tandem.core.inbound.CallOrigin;
import dev.tandem.core.registrar.Binding;
import dev.tandem.core.sip.Destination;
import dev.tandem.sdp.translate.MediaEncryption;
import java.util.Map;
import java.util.Objects;

/**
 * Which {@link MediaEncryption} the SIP side of a call gets, in one place: a destination's own
 * ({@code routing.destinations.<name>.media-encryption}), a registrar phone's ({@code
 * registrar.accounts.<name>.media-encryption}, else {@code registrar.media-encryption}), plain RTP
 * for anyone else. A call to several targets (a fork, a failover group) follows its first.
 *
 * @param destinations destination name → its policy (absent: plain)
 * @param phones registrar account → its own policy (absent: {@code phonesDefault})
 * @param phonesDefault the policy of registrar phones without one of their own
 */
public record SipMediaPolicy(
    Map<String, MediaEncryption> destinations,
    Map<String, MediaEncryption> phones,
    MediaEncryption phonesDefault) {
  /** Plain RTP everywhere: core without the bridge's configuration. */
  public static final SipMediaPolicy PLAIN =
      new SipMediaPolicy(Map.of(), Map.of(), MediaEncryption.PLAIN);

  public SipMediaPolicy {
    destinations = Map.copyOf(destinations);
    phones = Map.copyOf(phones);
    Objects.requireNonNull(phonesDefault, "phonesDefault");
  }

  /** The policy toward a destination, or toward a registered phone's binding. */
  public MediaEncryption of(Destination destination) {
    String name = destination.name();
    if (Binding.isRegisteredPhone(destination)) {
      return phone(name.substring(Binding.DESTINATION_PREFIX.length()));
    }
    return destinations.getOrDefault(name, MediaEncryption.PLAIN);
  }

  /** The policy of an inbound call's caller. */
  public MediaEncryption of(CallOrigin origin) {
    if (origin instanceof CallOrigin.Destination d) {
      return destinations.getOrDefault(d.name(), MediaEncryption.PLAIN);
    }
    if (origin instanceof CallOrigin.Phone p) {
      return phone(p.account());
    }
    return MediaEncryption.PLAIN;
  }

  private MediaEncryption phone(String account) {
    return phones.getOrDefault(account, phonesDefault);
  }
}
