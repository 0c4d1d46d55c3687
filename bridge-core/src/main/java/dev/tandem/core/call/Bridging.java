package dev.tandem.core.call;

import dev.tandem.core.dialplan.DialPlan;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.registrar.Directory;
import dev.tandem.core.sip.DestinationHealth;
import dev.tandem.core.sip.SipIdentity;
import dev.tandem.core.sip.SipSide;
import java.util.Objects;

/**
 * What the switchboard needs to bridge calls to SIP: the dial plan, the media backend, SIP, and the
 * registrar's accounts (phones registered to the bridge), and users' own identities at SIP
 * destinations (upstream mode), and which destinations answer their keepalive (failover).
 */
public record Bridging(
    DialPlan dialPlan,
    MediaBackend media,
    SipSide sip,
    Directory directory,
    SipIdentity.Directory identities,
    DestinationHealth health) {
  public Bridging {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(identities, "identities");
    Objects.requireNonNull(dialPlan, "dialPlan");
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(sip, "sip");
    Objects.requireNonNull(directory, "directory");
  }

  /** Without a registrar, upstream identities or keepalives. */
  public Bridging(DialPlan dialPlan, MediaBackend media, SipSide sip) {
    this(
        dialPlan, media, sip, Directory.NONE, SipIdentity.Directory.NONE, DestinationHealth.ALL_UP);
  }
}
