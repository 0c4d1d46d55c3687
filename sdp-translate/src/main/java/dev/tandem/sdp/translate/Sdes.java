package dev.tandem.sdp.translate;

import dev.tandem.sdp.Crypto;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdesKey;
import dev.tandem.sdp.SdesSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SDES offer/answer rules (RFC 4568 §7) for the plain side, in one place: which profile is
 * secure, which crypto line of an offer the bridge accepts, whether an answer fits what was offered
 * and the {@link MediaEncryption} policy. Pure functions; failures are {@link
 * SdpTranslationException}s whose message names the line and the problem (the edge sends it as the
 * 488's Warning, or as the browser's {@code call.ended} reason).
 *
 * <p>An {@code RTP/SAVP} or {@code RTP/SAVPF} offer is never answered with that profile without a
 * crypto line: either SRTP for real or a refusal.
 */
public final class Sdes {
  /**
   * The suites the bridge offers, in order; the first gets tag 1. One line: AES_CM_128_HMAC_SHA1_80
   * is what every SDES peer speaks (RFC 4568's mandatory suite; Teams, Twilio, Asterisk,
   * FreeSWITCH, baresip), and a second line only adds a key. Answers may pick any suite of {@code
   * SdesSuite}.
   */
  public static final List<SdesSuite> OFFERED = List.of(SdesSuite.AES_CM_128_HMAC_SHA1_80);

  static final String SAVP = "RTP/SAVP";
  static final String SAVPF = "RTP/SAVPF";

  private Sdes() {}

  /** Whether {@code proto} is an SDES-secured RTP profile (RFC 3711 §12, RFC 5124). */
  public static boolean isSecure(String proto) {
    return SAVP.equalsIgnoreCase(proto) || SAVPF.equalsIgnoreCase(proto);
  }

  /**
   * The key of the SIP side's offer the answer accepts, or empty for a plain offer the policy
   * allows. Among usable lines the bridge's suite preference wins, then the offer's order.
   *
   * @throws SdpTranslationException for a secure profile without a usable crypto line, or a plain
   *     offer to {@link MediaEncryption#SDES_REQUIRED}
   */
  public static Optional<SdesKey> acceptOffer(MediaDescription offer, MediaEncryption policy)
      throws SdpTranslationException {
    String proto = offer.media().proto();
    if (!isSecure(proto)) {
      if (policy == MediaEncryption.SDES_REQUIRED) {
        throw new SdpTranslationException(
            "SRTP is required (media-encryption: sdes-required) but the offer is plain " + proto);
      }
      return Optional.empty();
    }
    List<Crypto> lines;
    try {
      lines = offer.cryptos();
    } catch (IllegalArgumentException e) {
      throw new SdpTranslationException("unreadable a=crypto line: " + e.getMessage());
    }
    if (lines.isEmpty()) {
      throw new SdpTranslationException(proto + " offered without an a=crypto line");
    }
    List<String> problems = new ArrayList<>();
    SdesKey best = null;
    for (Crypto line : lines) {
      try {
        SdesKey key = SdesKey.of(line);
        if (best == null || key.suite().ordinal() < best.suite().ordinal()) {
          best = key;
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (best == null) {
      throw new SdpTranslationException("no usable a=crypto line: " + String.join("; ", problems));
    }
    return Optional.of(best);
  }

  /**
   * The SIP side's key from its answer to our offer, or empty when it answered plain RTP and the
   * policy lets the call run so.
   *
   * @param offered the keys we offered (empty: we offered plain {@code RTP/AVP})
   * @throws SdpTranslationException when the answer has no SRTP and the policy requires it, keeps a
   *     secure profile without a usable crypto line, or names a tag we did not offer or another
   *     suite than we offered under it
   */
  public static Optional<SdesKey> acceptAnswer(
      MediaDescription answer, List<SdesKey> offered, MediaEncryption policy)
      throws SdpTranslationException {
    String proto = answer.media().proto();
    List<Crypto> lines;
    try {
      lines = answer.cryptos();
    } catch (IllegalArgumentException e) {
      throw new SdpTranslationException("unreadable a=crypto line: " + e.getMessage());
    }
    if (!isSecure(proto)) {
      if (!offered.isEmpty() && policy == MediaEncryption.SDES_REQUIRED) {
        throw new SdpTranslationException(
            "no SRTP in the answer (" + proto + "), but media-encryption is sdes-required");
      }
      return Optional.empty(); // RFC 4568 §7.1.3: plain answer to a best-effort offer
    }
    if (offered.isEmpty()) {
      throw new SdpTranslationException("the answer is " + proto + " to a plain RTP/AVP offer");
    }
    if (lines.size() != 1) {
      throw new SdpTranslationException(
          proto
              + " answered with "
              + lines.size()
              + " a=crypto lines, RFC 4568 section 7.1.3 needs one");
    }
    Crypto line = lines.get(0);
    SdesKey theirs;
    try {
      theirs = SdesKey.of(line);
    } catch (IllegalArgumentException e) {
      throw new SdpTranslationException(e.getMessage());
    }
    for (SdesKey ours : offered) {
      if (ours.tag() == theirs.tag() && ours.suite() == theirs.suite()) {
        return Optional.of(theirs);
      }
    }
    throw new SdpTranslationException(
        "the answer's a=crypto:" + line.tag() + " " + line.suite() + " matches no offered line");
  }
}
