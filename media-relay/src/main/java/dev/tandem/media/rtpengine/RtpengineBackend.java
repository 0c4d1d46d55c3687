package dev.tandem.media.rtpengine;

import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.translate.MediaEncryption;
import dev.tandem.sdp.translate.OfferAnswer;
import dev.tandem.sdp.translate.Sdes;
import dev.tandem.sdp.translate.SdpTranslationException;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rtpengine as the media backend, over its NG control protocol. Each side of a call has its own
 * tag: an {@code offer} carries the offerer's tag as {@code from-tag}; an {@code answer} carries
 * the offerer's as {@code from-tag} and the answerer's as {@code to-tag}, whichever side offers (a
 * re-offer from the callee swaps them, as rtpengine expects).
 */
public final class RtpengineBackend implements MediaBackend {
  private static final Logger log = LoggerFactory.getLogger(RtpengineBackend.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final NgClient ng;
  private final String address;
  private final SipAddressFamily sipFamily;
  private final Map<CallId, Map<Side, String>> tags = new ConcurrentHashMap<>();
  private final Map<CallId, SipMedia> sipMedia = new ConcurrentHashMap<>();

  /**
   * @param address how to name rtpengine in logs and errors ({@code host:port})
   * @param sipFamily the address family of offers toward SIP peers
   */
  public RtpengineBackend(NgClient ng, String address, SipAddressFamily sipFamily) {
    this.ng = ng;
    this.address = address;
    this.sipFamily = sipFamily;
  }

  /** A backend that leaves the address family of offers to rtpengine. */
  public RtpengineBackend(NgClient ng, String address) {
    this(ng, address, SipAddressFamily.AUTO);
  }

  @Override
  public CompletionStage<String> offer(
      CallId call, Side from, String sdp, MediaEncryption sipEncryption) {
    SipMedia sip;
    try {
      sip = sipMedia(from, sdp, sipEncryption, true);
    } catch (MediaException e) {
      return CompletableFuture.failedFuture(e);
    }
    sipMedia.put(call, sip);
    Map<String, Object> command = command("offer", call, sdp, from);
    command.putAll(NgFlags.offerToward(NgFlags.other(from), sipFamily, sipEncryption));
    command.put("from-tag", tag(call, from));
    String other = tags(call).get(NgFlags.other(from));
    if (other != null) {
      command.put("to-tag", other);
    }
    return sdpOf(call, command);
  }

  @Override
  public CompletionStage<String> answer(CallId call, Side from, String sdp) {
    SipMedia sip = sipMedia.getOrDefault(call, SipMedia.NONE);
    Map<String, Object> command = command("answer", call, sdp, from);
    if (from == Side.SIP) {
      try {
        sipMedia(from, sdp, sip.encryption(), false);
      } catch (MediaException e) {
        return CompletableFuture.failedFuture(e);
      }
    } else if (sip.offeredProto() != null) {
      // RFC 3264 §6: the answer keeps the offer's profile; RTP/SAVP(F) gets SDES keys from
      // rtpengine
      command.put("transport-protocol", sip.offeredProto());
    }
    command.put("from-tag", tag(call, NgFlags.other(from)));
    command.put("to-tag", tag(call, from));
    return sdpOf(call, command);
  }

  /**
   * What a call's SIP side asked for: the policy from the latest offer and, when the SIP side made
   * it, that offer's profile (our answer keeps it).
   */
  private record SipMedia(MediaEncryption encryption, String offeredProto) {
    static final SipMedia NONE = new SipMedia(MediaEncryption.PLAIN, null);
  }

  /**
   * Checks an SDP of the SIP side against the policy before rtpengine sees it (the same rules as
   * the embedded relay, {@link Sdes}): a plain offer to {@code sdes-required}, an {@code RTP/SAVP}
   * offer without a usable crypto line, a plain answer where SRTP is required are refused here,
   * since rtpengine would carry them.
   */
  private static SipMedia sipMedia(Side from, String sdp, MediaEncryption policy, boolean offer)
      throws MediaException {
    if (from != Side.SIP) {
      return new SipMedia(policy, null);
    }
    try {
      SessionDescription parsed = SessionDescription.parse(sdp);
      java.util.OptionalInt audio = OfferAnswer.carriedAudio(parsed);
      if (audio.isEmpty()) {
        return new SipMedia(policy, null);
      }
      MediaDescription m = parsed.media().get(audio.getAsInt());
      if (offer) {
        Sdes.acceptOffer(m, policy);
      } else if (policy == MediaEncryption.SDES_REQUIRED && !Sdes.isSecure(m.media().proto())) {
        throw new SdpTranslationException(
            "no SRTP in the answer ("
                + m.media().proto()
                + "), but media-encryption is sdes-required");
      }
      return new SipMedia(policy, m.media().proto());
    } catch (SdpParseException e) {
      return new SipMedia(policy, null); // rtpengine parses it, and refuses what it cannot read
    } catch (SdpTranslationException e) {
      throw new MediaException(e.getMessage(), true, e);
    }
  }

  private Map<String, Object> command(String name, CallId call, String sdp, Side from) {
    Map<String, Object> command = new HashMap<>(NgFlags.toward(NgFlags.other(from)));
    command.put("command", name);
    command.put("call-id", call.value());
    command.put("sdp", sdp);
    return command;
  }

  private CompletionStage<String> sdpOf(CallId call, Map<String, Object> command) {
    return ng.request(command)
        .handle(
            (answer, error) -> {
              if (error != null) {
                throw new CompletionException(mediaException(command, error));
              }
              Object sdp = answer.get("sdp");
              if (!(sdp instanceof byte[]) && !(sdp instanceof String)) {
                throw new CompletionException(
                    new MediaException(
                        "rtpengine at "
                            + address
                            + " answered "
                            + command.get("command")
                            + " without SDP"));
              }
              return sdp instanceof byte[] bytes
                  ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                  : (String) sdp;
            });
  }

  private MediaException mediaException(Map<String, Object> command, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String what = "rtpengine " + command.get("command") + " for call " + command.get("call-id");
    if (cause instanceof NgException ng) {
      return switch (ng.kind()) {
        case ERROR -> {
          String reason = ng.getMessage();
          String lower = reason.toLowerCase(Locale.ROOT);
          yield new MediaException(
              what + " refused: " + reason, lower.contains("sdp") || lower.contains("parse"), ng);
        }
        case TIMEOUT ->
            new MediaException(
                "rtpengine at " + address + " did not answer (" + ng.getMessage() + ")", false, ng);
        case PROTOCOL, IO -> new MediaException(what + " failed: " + ng.getMessage(), false, ng);
      };
    }
    return new MediaException(what + " failed: " + cause, false, cause);
  }

  /**
   * Deletes the call at rtpengine; the stage completes with the packets and bytes rtpengine counted
   * from each side, read by a {@code query} just before the {@code delete} (a {@code delete} of the
   * whole call answers only {@code result: ok}; the call's media has stopped by then, its SIP leg
   * hung up), or empty when the query failed. Loss and jitter stay empty: rtpengine's answer does
   * not carry the RTCP reports.
   */
  @Override
  public CompletionStage<Optional<MediaStats>> release(CallId call) {
    sipMedia.remove(call);
    Map<Side, String> callTags = tags.remove(call);
    if (callTags == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return query(call)
        .handle(
            (answer, error) -> {
              delete(call);
              if (error != null) {
                log.info("rtpengine query of call {} failed: {}", call, error.getMessage());
                return Optional.<MediaStats>empty();
              }
              return Optional.of(
                  new MediaStats(
                      flowFrom(answer, callTags.get(Side.BROWSER)),
                      flowFrom(answer, callTags.get(Side.SIP))));
            });
  }

  private void delete(CallId call) {
    Map<String, Object> command = new HashMap<>();
    command.put("command", "delete");
    command.put("call-id", call.value());
    ng.request(command)
        .whenComplete(
            (answer, error) -> {
              if (error != null) {
                log.info("rtpengine delete of call {} failed: {}", call, error.getMessage());
              } else {
                log.debug("rtpengine deleted call {}", call);
              }
            });
  }

  private static MediaStats.Flow flowFrom(Map<String, Object> answer, String tag) {
    return new MediaStats.Flow(
        sumFrom(answer, tag, "packets"),
        sumFrom(answer, tag, "bytes"),
        OptionalLong.empty(),
        OptionalLong.empty());
  }

  /**
   * Packets rtpengine received from each side, from its {@code query}: per tag (one per side), the
   * sum of {@code stats.packets} over that tag's media streams, which count what arrives from that
   * party.
   */
  @Override
  public CompletionStage<MediaActivity> activity(CallId call) {
    Map<Side, String> callTags = tags.get(call);
    if (callTags == null) {
      return CompletableFuture.failedFuture(new MediaException("no rtpengine call for " + call));
    }
    return query(call)
        .thenApply(
            answer ->
                new MediaActivity(
                    packetsFrom(answer, callTags.get(Side.BROWSER)),
                    packetsFrom(answer, callTags.get(Side.SIP))));
  }

  /** Sum of {@code tags.<tag>.medias[].streams[].stats.packets}; 0 when absent. */
  static long packetsFrom(Map<String, Object> query, String tag) {
    return sumFrom(query, tag, "packets");
  }

  /**
   * Sum of {@code tags.<tag>.medias[].streams[].stats.<counter>} (RTP and RTCP streams) in a {@code
   * query} or {@code delete} answer; 0 when absent.
   */
  static long sumFrom(Map<String, Object> query, String tag, String counter) {
    if (tag == null || !(query.get("tags") instanceof Map<?, ?> tagMap)) {
      return 0;
    }
    if (!(tagMap.get(tag) instanceof Map<?, ?> monologue)
        || !(monologue.get("medias") instanceof List<?> medias)) {
      return 0;
    }
    long packets = 0;
    for (Object media : medias) {
      if (media instanceof Map<?, ?> m && m.get("streams") instanceof List<?> streams) {
        for (Object stream : streams) {
          if (stream instanceof Map<?, ?> st
              && st.get("stats") instanceof Map<?, ?> stats
              && stats.get(counter) instanceof Number n) {
            packets += n.longValue();
          }
        }
      }
    }
    return packets;
  }

  /** rtpengine's {@code query} answer for a call (totals, streams), for diagnostics. */
  public CompletableFuture<Map<String, Object>> query(CallId call) {
    Map<String, Object> command = new HashMap<>();
    command.put("command", "query");
    command.put("call-id", call.value());
    return ng.request(command);
  }

  @Override
  public String describe() {
    return "rtpengine " + address;
  }

  private Map<Side, String> tags(CallId call) {
    return tags.computeIfAbsent(call, c -> new EnumMap<>(Side.class));
  }

  private String tag(CallId call, Side side) {
    Map<Side, String> callTags = tags(call);
    synchronized (callTags) {
      return callTags.computeIfAbsent(
          side, s -> s.name().toLowerCase(Locale.ROOT) + "-" + random());
    }
  }

  private static String random() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
