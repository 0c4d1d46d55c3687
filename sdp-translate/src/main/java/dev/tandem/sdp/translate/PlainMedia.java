package dev.tandem.sdp.translate;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the relay's plain (SIP) side receives each carried stream of one call: audio always, video
 * when the call may carry it (empty: a video m-line is refused with port 0). The two streams use
 * separate ports toward SIP, whatever the browser bundles.
 */
public record PlainMedia(PlainEndpoint audio, Optional<PlainEndpoint> video) {
  public PlainMedia {
    Objects.requireNonNull(audio, "audio");
    Objects.requireNonNull(video, "video");
  }

  public static PlainMedia audioOnly(PlainEndpoint audio) {
    return new PlainMedia(audio, Optional.empty());
  }
}
