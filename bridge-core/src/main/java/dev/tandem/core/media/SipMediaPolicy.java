package dev.tandem.core.media;

import dev.tandem.core.inbound.CallOrigin;
import dev.tandem.core.registrar.Binding;
import dev.tandem.core.sip.Destination;
import dev.tandem.sdp.translate.MediaEncryption;
import dev.tandem.sdp.translate.SipMedia;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which {@link MediaEncryption} the SIP side of a call gets, in one place: a destination's own
 * ({@code routing.destinations.<name>.media-encryption}), a registrar phone's ({@code
 * registrar.accounts.<name>.media-encryption}, else {@code registrar.media-encryption}), plain RTP
 * for anyone else. A call to several targets (a fork, a failover group) follows its first.
 *
 * <p>Whether video crosses to and from the SIP side, in the same place: a destination's {@code
 * routing.destinations.<name>.video}, a registrar phone's {@code registrar.accounts.<name>.video},
 * else {@code registrar.video}; on for anyone else ({@link VideoPolicy}). Off, the backend refuses
 * video m-lines with port 0 and the call carries audio only.
 *
 * <p>And which destinations speak WebRTC themselves ({@code routing.destinations.<name>.webrtc}:
 * other Tandem nodes, WebRTC-capable SIP servers): calls to them pass the browser's SDP end to end
 * — opus, DTLS-SRTP, ICE — and use no relay.
 *
 * @param destinations destination name → its policy (absent: plain)
 * @param phones registrar account → its own policy (absent: {@code phonesDefault})
 * @param phonesDefault the policy of registrar phones without one of their own
 * @param webrtcPeers the names of destinations that take the WebRTC form as it is
 * @param video where video crosses
 */
public record SipMediaPolicy(
    Map<String, MediaEncryption> destinations,
    Map<String, MediaEncryption> phones,
    MediaEncryption phonesDefault,
    Set<String> webrtcPeers,
    VideoPolicy video) {
  /** Plain RTP everywhere: core without the bridge's configuration. */
  public static final SipMediaPolicy PLAIN =
      new SipMediaPolicy(Map.of(), Map.of(), MediaEncryption.PLAIN);

  public SipMediaPolicy {
    destinations = Map.copyOf(destinations);
    phones = Map.copyOf(phones);
    Objects.requireNonNull(phonesDefault, "phonesDefault");
    webrtcPeers = Set.copyOf(webrtcPeers);
    Objects.requireNonNull(video, "video");
  }

  /** A policy with video everywhere. */
  public SipMediaPolicy(
      Map<String, MediaEncryption> destinations,
      Map<String, MediaEncryption> phones,
      MediaEncryption phonesDefault,
      Set<String> webrtcPeers) {
    this(destinations, phones, phonesDefault, webrtcPeers, VideoPolicy.EVERYWHERE);
  }

  /** A policy without WebRTC peers. */
  public SipMediaPolicy(
      Map<String, MediaEncryption> destinations,
      Map<String, MediaEncryption> phones,
      MediaEncryption phonesDefault) {
    this(destinations, phones, phonesDefault, Set.of(), VideoPolicy.EVERYWHERE);
  }

  /** Whether calls to {@code destination} pass the browser's WebRTC SDP end to end. */
  public boolean speaksWebRtc(Destination destination) {
    return webrtcPeers.contains(destination.name());
  }

  /** Whether calls from {@code origin} (a destination that speaks WebRTC) pass end to end. */
  public boolean speaksWebRtc(CallOrigin origin) {
    return origin instanceof CallOrigin.Destination d && webrtcPeers.contains(d.name());
  }

  /** What the SIP side of a call to {@code destination} gets. */
  public SipMedia media(Destination destination) {
    String name = destination.name();
    boolean withVideo =
        Binding.isRegisteredPhone(destination)
            ? video.toPhone(name.substring(Binding.DESTINATION_PREFIX.length()))
            : video.toDestination(name);
    return new SipMedia(of(destination), withVideo);
  }

  /** What the SIP side of a call from {@code origin} gets. */
  public SipMedia media(CallOrigin origin) {
    boolean withVideo = true;
    if (origin instanceof CallOrigin.Destination d) {
      withVideo = video.toDestination(d.name());
    } else if (origin instanceof CallOrigin.Phone p) {
      withVideo = video.toPhone(p.account());
    }
    return new SipMedia(of(origin), withVideo);
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

  /**
   * Where video crosses to and from the SIP side: everywhere but the destinations named in {@code
   * audioOnly}, and for registrar phones their account's own setting, else {@code phonesDefault}.
   *
   * @param audioOnly destinations with {@code video: false}
   * @param phones registrar account → its own setting (absent: {@code phonesDefault})
   * @param phonesDefault whether phones without a setting of their own get video
   */
  public record VideoPolicy(
      Set<String> audioOnly, Map<String, Boolean> phones, boolean phonesDefault) {
    /** Video to and from every destination and phone (the default). */
    public static final VideoPolicy EVERYWHERE = new VideoPolicy(Set.of(), Map.of(), true);

    public VideoPolicy {
      audioOnly = Set.copyOf(audioOnly);
      phones = Map.copyOf(phones);
    }

    /** Whether calls to or from the destination {@code name} carry video. */
    public boolean toDestination(String name) {
      return !audioOnly.contains(name);
    }

    /** Whether calls to or from the registrar phone {@code account} carry video. */
    public boolean toPhone(String account) {
      return phones.getOrDefault(account, phonesDefault);
    }
  }
}
