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
import dev.tandem.sdp.translate.SipMedia;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rtpengine as the media backend, over its NG control protocol, on one rtpengine or a pool ({@link
 * RtpenginePool}). Each side of a call has its own tag: an {@code offer} carries the offerer's tag
 * as {@code from-tag}; an {@code answer} carries the offerer's as {@code from-tag} and the
 * answerer's as {@code to-tag}, whichever side offers (a re-offer from the callee swaps them, as
 * rtpengine expects).
 *
 * <p>A call's first offer goes to an instance the pool picks; if that one does not answer, to
 * another (the call-id is new to it), and every later command of the call to the one that took the
 * offer. A call whose instance stops answering fails its next command, and its next media check
 * reports the media as failed, so core ends it with that reason.
 *
 * <p>{@link #release} deletes the call where rtpengine keyed it: the call-id and the {@code
 * from-tag} of its first offer (rtpengine's NG docs name both as required), with {@code delete
 * delay} from the configuration — rtpengine's own default keeps a deleted call, and its ports, for
 * 30 s, which at 200 new calls a second is 6,000 calls' ports held for nothing.
 */
public final class RtpengineBackend implements MediaBackend {
  private static final Logger log = LoggerFactory.getLogger(RtpengineBackend.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RtpenginePool pool;
  private final SipAddressFamily sipFamily;
  private final Duration deleteDelay;
  private final RefusalLog refusals = new RefusalLog(Duration.ofSeconds(10), System::nanoTime);
  private final Map<CallId, NgCall> calls = new ConcurrentHashMap<>();
  private final Duration keyframeWait;
  private volatile KeyframeListener keyframes = call -> {};

  /** How often a call whose video starts is queried for the browser's video packets. */
  static final Duration KEYFRAME_POLL = Duration.ofMillis(250);

  /** The default of {@code keyframeWait}. */
  public static final Duration KEYFRAME_WAIT = Duration.ofSeconds(10);

  /**
   * @param pool the rtpengines, each call's commands going to one of them
   * @param sipFamily the address family of offers toward SIP peers
   * @param deleteDelay how long rtpengine keeps a deleted call (NG {@code delete delay}, whole
   *     seconds)
   * @param keyframeWait how long after an answer that starts video toward a SIP side without RTCP
   *     feedback the backend waits for the browser's video to flow, to ask for a key frame by SIP
   *     INFO ({@link FeedbackGap}); zero: never asks
   */
  public RtpengineBackend(
      RtpenginePool pool, SipAddressFamily sipFamily, Duration deleteDelay, Duration keyframeWait) {
    this.pool = pool;
    this.sipFamily = sipFamily;
    this.deleteDelay = deleteDelay;
    this.keyframeWait = keyframeWait;
  }

  /** A backend that asks for key frames with the default {@link #KEYFRAME_WAIT}. */
  public RtpengineBackend(RtpenginePool pool, SipAddressFamily sipFamily, Duration deleteDelay) {
    this(pool, sipFamily, deleteDelay, KEYFRAME_WAIT);
  }

  /**
   * One rtpengine, taken to be live (never pinged).
   *
   * @param address how to name rtpengine in logs and errors ({@code host:port})
   * @param sipFamily the address family of offers toward SIP peers
   */
  public RtpengineBackend(NgClient ng, String address, SipAddressFamily sipFamily) {
    this(RtpenginePool.single(ng, address), sipFamily, Duration.ZERO);
  }

  /** One rtpengine that leaves the address family of offers to itself. */
  public RtpengineBackend(NgClient ng, String address) {
    this(ng, address, SipAddressFamily.AUTO);
  }

  /**
   * What the backend holds of one call: the instance that took its offer, the tags of its sides,
   * the SIP side's media policy, and whether rtpengine may hold it (an offer was sent).
   */
  private static final class NgCall {
    volatile RtpenginePool.Instance instance;
    final Map<Side, String> tags = new EnumMap<>(Side.class);
    volatile SipOffer sip = SipOffer.NONE;
    volatile Side firstOfferer;
    volatile boolean accepted;

    /** The SIP side's latest own description (its offer or answer), as rtpengine got it. */
    volatile String sipDescription;

    /** Which key-frame watch is current: a later answer starts a new one, the old one stops. */
    final AtomicInteger keyframeWatch = new AtomicInteger();

    synchronized String tag(Side side) {
      return tags.computeIfAbsent(side, s -> s.name().toLowerCase(Locale.ROOT) + "-" + random());
    }

    synchronized String tagIfAny(Side side) {
      return tags.get(side);
    }
  }

  @Override
  public CompletionStage<String> offer(CallId call, Side from, String sdp, SipMedia sipMedia) {
    MediaEncryption sipEncryption = sipMedia.encryption();
    SipOffer sip;
    try {
      sip = sipOffer(from, sdp, sipEncryption, true);
    } catch (MediaException e) {
      return CompletableFuture.failedFuture(e);
    }
    NgCall ngCall = calls.computeIfAbsent(call, c -> new NgCall());
    ngCall.sip = sip;
    String offered = RefusedMedia.refuse(sdp, sipMedia.video());
    if (from == Side.SIP) {
      ngCall.sipDescription = offered;
    }
    Map<String, Object> command = command("offer", call, offered, from);
    command.putAll(NgFlags.offerToward(NgFlags.other(from), sipFamily, sipEncryption));
    command.put("from-tag", ngCall.tag(from));
    String other = ngCall.tagIfAny(NgFlags.other(from));
    if (other != null) {
      command.put("to-tag", other);
    }
    if (ngCall.instance == null) {
      ngCall.firstOfferer = from;
      return firstOffer(ngCall, command, new HashSet<>());
    }
    return sdpOf(ngCall, command);
  }

  /**
   * rtpengine relays each call's RTCP itself and has no command to make a PLI: a SIP INFO key-frame
   * request cannot be turned into one here. The SIP peer's own PLIs reach the browser ({@code
   * RTP/AVP} to {@code RTP/SAVPF} passes feedback on).
   */
  @Override
  public void requestKeyframe(CallId call, Side toward) {
    log.debug("call {}: key frame asked toward {}; rtpengine cannot send a PLI", call, toward);
  }

  /**
   * rtpengine never reports the browser's PLIs, and drops them toward a SIP side without RTCP
   * feedback ({@link FeedbackGap}). For such a call the backend asks once per answer that starts or
   * changes video: when the browser's video transport carries packets (rtpengine's {@code query},
   * every {@link #KEYFRAME_POLL}, for at most {@code keyframeWait}), the browser is ready to decode
   * and waits for a key frame, so {@code listener} hears of the call and core sends the INFO.
   */
  @Override
  public void onKeyframeWanted(KeyframeListener listener) {
    this.keyframes = listener;
  }

  /**
   * A new call's offer, to an instance the pool picks; when that one does not answer, the same
   * offer to another one not tried yet (the new one keys the call afresh; the old one is told to
   * forget it, in case it was only slow).
   */
  private CompletionStage<String> firstOffer(
      NgCall ngCall, Map<String, Object> command, Set<RtpenginePool.Instance> tried) {
    Optional<RtpenginePool.Instance> picked = pool.pick(tried);
    if (picked.isEmpty()) {
      return CompletableFuture.failedFuture(
          new MediaException(
              tried.isEmpty()
                  ? "no rtpengine is answering (" + pool.names() + ")"
                  : "no rtpengine answered the offer (tried " + names(tried) + ")"));
    }
    RtpenginePool.Instance instance = picked.get();
    ngCall.instance = instance;
    tried.add(instance);
    return instance
        .ng()
        .request(command)
        .handle(
            (answer, error) -> {
              if (error == null) {
                pool.answered(instance);
                return CompletableFuture.completedFuture(sdp(ngCall, command, answer));
              }
              Optional<NgException> ng = NgException.of(error);
              if (ng.isPresent() && ng.get().unanswered()) {
                pool.failed(instance, command.get("command") + ": " + ng.get().getMessage());
                forget(instance, command);
                return firstOffer(ngCall, command, tried);
              }
              return CompletableFuture.<String>failedFuture(
                  mediaException(instance, command, error));
            })
        .thenCompose(stage -> stage);
  }

  /** Best effort: a delete of a call an instance may hold without us using it. */
  private void forget(RtpenginePool.Instance instance, Map<String, Object> offer) {
    Map<String, Object> delete = new HashMap<>();
    delete.put("command", "delete");
    delete.put("call-id", offer.get("call-id"));
    delete.put("from-tag", offer.get("from-tag"));
    delete.put("delete delay", 0);
    instance
        .ng()
        .request(delete)
        .whenComplete(
            (answer, error) ->
                log.debug(
                    "delete of {} on {} after its offer timed out: {}",
                    offer.get("call-id"),
                    instance,
                    error == null ? "done" : error.toString()));
  }

  private static String names(Set<RtpenginePool.Instance> instances) {
    return String.join(", ", instances.stream().map(RtpenginePool.Instance::name).toList());
  }

  @Override
  public CompletionStage<String> answer(CallId call, Side from, String sdp) {
    NgCall ngCall = calls.get(call);
    if (ngCall == null || ngCall.instance == null) {
      return CompletableFuture.failedFuture(
          new MediaException("an answer for call " + call + ", which rtpengine was offered none"));
    }
    SipOffer sip = ngCall.sip;
    Map<String, Object> command = command("answer", call, sdp, from);
    if (from == Side.SIP) {
      try {
        sipOffer(from, sdp, sip.encryption(), false);
      } catch (MediaException e) {
        return CompletableFuture.failedFuture(e);
      }
    } else if (sip.offeredProto() != null) {
      // RFC 3264 §6: the answer keeps the offer's profile; RTP/SAVP(F) gets SDES keys from
      // rtpengine
      command.put("transport-protocol", sip.offeredProto());
    }
    command.put("from-tag", ngCall.tag(NgFlags.other(from)));
    command.put("to-tag", ngCall.tag(from));
    return sdpOf(ngCall, command)
        .thenApply(
            answered -> {
              boolean gap;
              if (from == Side.SIP) {
                ngCall.sipDescription = sdp;
                gap = FeedbackGap.videoWithoutFeedback(sdp);
              } else {
                String sipOffer = ngCall.sipDescription;
                gap =
                    sipOffer != null
                        && FeedbackGap.videoWithoutFeedback(sipOffer)
                        && FeedbackGap.videoAccepted(answered);
              }
              if (gap) {
                watchForVideo(call, ngCall);
              }
              return answered;
            });
  }

  /**
   * Starts waiting for the browser's video of a call whose SIP side gets no RTCP feedback; the
   * call's earlier watch, if any, stops.
   */
  private void watchForVideo(CallId call, NgCall ngCall) {
    if (keyframeWait.isZero()) {
      return;
    }
    int watch = ngCall.keyframeWatch.incrementAndGet();
    pollVideo(call, ngCall, watch, System.nanoTime() + keyframeWait.toNanos());
  }

  private void pollVideo(CallId call, NgCall ngCall, int watch, long deadline) {
    CompletableFuture.delayedExecutor(KEYFRAME_POLL.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (calls.get(call) != ngCall || ngCall.keyframeWatch.get() != watch) {
                return; // released, or a later answer watches
              }
              ngCall
                  .instance
                  .ng()
                  .request(queryOf(call))
                  .whenComplete(
                      (answer, error) -> {
                        if (error != null) {
                          log.debug(
                              "call {}: no key-frame request: query failed: {}",
                              call,
                              NgException.reason(error));
                        } else if (videoPacketsFrom(answer, ngCall.tagIfAny(Side.BROWSER)) > 0) {
                          log.debug(
                              "call {}: the browser's video flows; asking the SIP side for a key"
                                  + " frame (rtpengine drops the browser's PLIs toward it)",
                              call);
                          keyframes.keyframeWanted(call);
                        } else if (System.nanoTime() - deadline < 0) {
                          pollVideo(call, ngCall, watch, deadline);
                        } else {
                          log.debug(
                              "call {}: no video from the browser within {} ms; no key-frame"
                                  + " request",
                              call,
                              keyframeWait.toMillis());
                        }
                      });
            });
  }

  /**
   * What a call's SIP side asked for: the policy from the latest offer and, when the SIP side made
   * it, that offer's profile (our answer keeps it).
   */
  private record SipOffer(MediaEncryption encryption, String offeredProto) {
    static final SipOffer NONE = new SipOffer(MediaEncryption.PLAIN, null);
  }

  /**
   * Checks an SDP of the SIP side against the policy before rtpengine sees it (the same rules as
   * the embedded relay, {@link Sdes}): a plain offer to {@code sdes-required}, an {@code RTP/SAVP}
   * offer without a usable crypto line, a plain answer where SRTP is required are refused here,
   * since rtpengine would carry them.
   */
  private static SipOffer sipOffer(Side from, String sdp, MediaEncryption policy, boolean offer)
      throws MediaException {
    if (from != Side.SIP) {
      return new SipOffer(policy, null);
    }
    try {
      SessionDescription parsed = SessionDescription.parse(sdp);
      java.util.OptionalInt audio = OfferAnswer.carriedAudio(parsed);
      if (audio.isEmpty()) {
        return new SipOffer(policy, null);
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
      return new SipOffer(policy, m.media().proto());
    } catch (SdpParseException e) {
      return new SipOffer(policy, null); // rtpengine parses it, and refuses what it cannot read
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

  /** A later command of a call, to the instance that took its offer. */
  private CompletionStage<String> sdpOf(NgCall ngCall, Map<String, Object> command) {
    RtpenginePool.Instance instance = ngCall.instance;
    if (instance.state() == RtpenginePool.State.DEAD) {
      return CompletableFuture.failedFuture(
          new MediaException(
              "rtpengine "
                  + instance.name()
                  + ", which holds this call's media, is not answering"));
    }
    return request(instance, command).thenApply(answer -> sdp(ngCall, command, answer));
  }

  /**
   * {@code command} to {@code instance}, which the pool hears of: an answer marks it answering, no
   * answer marks it failed; failures come back as a {@link MediaException}.
   */
  private CompletionStage<Map<String, Object>> request(
      RtpenginePool.Instance instance, Map<String, Object> command) {
    return instance
        .ng()
        .request(command)
        .handle(
            (answer, error) -> {
              if (error != null) {
                NgException.of(error)
                    .filter(NgException::unanswered)
                    .ifPresent(
                        ng ->
                            pool.failed(instance, command.get("command") + ": " + ng.getMessage()));
                throw new CompletionException(mediaException(instance, command, error));
              }
              pool.answered(instance);
              return answer;
            });
  }

  /**
   * The SDP of rtpengine's answer to {@code command}; toward SIP without the WebRTC attributes
   * rtpengine leaves in ({@link SipSdpTrim}).
   */
  private String sdp(NgCall ngCall, Map<String, Object> command, Map<String, Object> answer) {
    RtpenginePool.Instance instance = ngCall.instance;
    ngCall.accepted = true;
    text(answer.get("warning"))
        .ifPresent(
            w ->
                log.warn(
                    "rtpengine {} warns on {} of call {}: {}",
                    instance.name(),
                    command.get("command"),
                    command.get("call-id"),
                    w));
    Optional<String> sdp = text(answer.get("sdp"));
    if (sdp.isEmpty()) {
      throw new CompletionException(
          new MediaException(
              "rtpengine at "
                  + instance.name()
                  + " answered "
                  + command.get("command")
                  + " without SDP"));
    }
    boolean towardSip = "remove".equals(command.get("ICE")); // NgFlags.toward(SIP)
    return towardSip ? SipSdpTrim.towardSip(sdp.get()) : sdp.get();
  }

  private static Optional<String> text(Object value) {
    if (value instanceof byte[] bytes) {
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }
    return value instanceof String string ? Optional.of(string) : Optional.empty();
  }

  private MediaException mediaException(
      RtpenginePool.Instance instance, Map<String, Object> command, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String what = "rtpengine " + command.get("command") + " for call " + command.get("call-id");
    if (cause instanceof NgException ng) {
      return switch (ng.kind()) {
        case ERROR -> {
          String reason = ng.getMessage();
          String lower = reason.toLowerCase(Locale.ROOT);
          if (lower.contains("ran out of ports")) {
            refusals.refused(instance.name(), reason);
            yield new MediaException(
                "rtpengine "
                    + instance.name()
                    + " has no free media ports (every port of its --port-min..--port-max is in"
                    + " use): "
                    + reason,
                false,
                ng);
          }
          yield new MediaException(
              what + " refused: " + reason, lower.contains("sdp") || lower.contains("parse"), ng);
        }
        case TIMEOUT ->
            new MediaException(
                "rtpengine at " + instance.name() + " did not answer (" + ng.getMessage() + ")",
                false,
                ng);
        case PROTOCOL, IO -> new MediaException(what + " failed: " + ng.getMessage(), false, ng);
      };
    }
    return new MediaException(what + " failed: " + cause, false, cause);
  }

  /**
   * Deletes the call from the instance that holds it (call-id, the first offer's {@code from-tag},
   * the configured {@code delete delay}); the stage completes with the packets and bytes rtpengine
   * counted from each side, read by a {@code query} just before the delete (a {@code delete} of the
   * whole call answers only {@code result: ok}), or empty when no offer was sent or the query
   * failed. Loss and jitter stay empty: NG does not carry the RTCP reports. rtpengine's "Call-ID
   * not found" (a {@code warning}) is news only for a call it had taken: then it is logged as a
   * warning (rtpengine restarted, or timed the call out).
   */
  @Override
  public CompletionStage<Optional<MediaStats>> release(CallId call) {
    NgCall ngCall = calls.remove(call);
    if (ngCall == null || ngCall.instance == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    RtpenginePool.Instance instance = ngCall.instance;
    if (instance.state() == RtpenginePool.State.DEAD) {
      delete(call, ngCall);
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return instance
        .ng()
        .request(queryOf(call))
        .handle(
            (answer, error) -> {
              delete(call, ngCall);
              if (error != null) {
                log.info(
                    "rtpengine {} query of call {} failed: {}",
                    instance.name(),
                    call,
                    NgException.reason(error));
                return Optional.<MediaStats>empty();
              }
              return Optional.of(
                  new MediaStats(
                      flowFrom(answer, ngCall.tagIfAny(Side.BROWSER)),
                      flowFrom(answer, ngCall.tagIfAny(Side.SIP))));
            });
  }

  /**
   * Deletes the call from the instance that holds it: call-id, the first offer's {@code from-tag}
   * and the configured {@code delete delay}.
   */
  private void delete(CallId call, NgCall ngCall) {
    RtpenginePool.Instance instance = ngCall.instance;
    Map<String, Object> command = new HashMap<>();
    command.put("command", "delete");
    command.put("call-id", call.value());
    command.put("from-tag", ngCall.tag(ngCall.firstOfferer));
    command.put("delete delay", deleteDelay.toSeconds());
    boolean accepted = ngCall.accepted;
    instance
        .ng()
        .request(command)
        .whenComplete(
            (answer, error) -> {
              if (error != null) {
                log.info(
                    "rtpengine {} delete of call {} failed: {}",
                    instance.name(),
                    call,
                    NgException.reason(error));
              } else if (text(answer.get("warning")).isPresent() && accepted) {
                log.warn(
                    "rtpengine {} did not hold call {} any more at its delete: {}",
                    instance.name(),
                    call,
                    text(answer.get("warning")).get());
              } else {
                log.debug("rtpengine {} deleted call {}", instance.name(), call);
              }
            });
  }

  /** What rtpengine received from one party: packets and bytes (no RTCP loss or jitter in NG). */
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
   * party. When the call's instance is not answering, the media has failed: core ends the call with
   * that reason.
   */
  @Override
  public CompletionStage<MediaActivity> activity(CallId call) {
    NgCall ngCall = calls.get(call);
    if (ngCall == null || ngCall.instance == null) {
      return CompletableFuture.failedFuture(new MediaException("no rtpengine call for " + call));
    }
    RtpenginePool.Instance instance = ngCall.instance;
    if (instance.state() == RtpenginePool.State.DEAD) {
      return CompletableFuture.completedFuture(
          new MediaActivity(
              0,
              0,
              Optional.of(
                  "rtpengine " + instance.name() + ", which relays this call, is not answering")));
    }
    return request(instance, queryOf(call))
        .thenApply(
            answer ->
                new MediaActivity(
                    packetsFrom(answer, ngCall.tagIfAny(Side.BROWSER)),
                    packetsFrom(answer, ngCall.tagIfAny(Side.SIP))));
  }

  /** Sum of {@code tags.<tag>.medias[].streams[].stats.packets}; 0 when absent. */
  static long packetsFrom(Map<String, Object> query, String tag) {
    return sumFrom(query, tag, "packets");
  }

  /** The packets rtpengine received from {@code tag} on its video m-lines; 0 when absent. */
  static long videoPacketsFrom(Map<String, Object> query, String tag) {
    return sumFrom(query, tag, "packets", "video");
  }

  /**
   * Sum of {@code tags.<tag>.medias[].streams[].stats.<counter>} (RTP and RTCP streams) in a {@code
   * query} answer; 0 when absent.
   */
  static long sumFrom(Map<String, Object> query, String tag, String counter) {
    return sumFrom(query, tag, counter, null);
  }

  /** As {@link #sumFrom(Map, String, String)}, over the media of {@code type} only (null: all). */
  private static long sumFrom(Map<String, Object> query, String tag, String counter, String type) {
    if (tag == null || !(query.get("tags") instanceof Map<?, ?> tagMap)) {
      return 0;
    }
    if (!(tagMap.get(tag) instanceof Map<?, ?> monologue)
        || !(monologue.get("medias") instanceof List<?> medias)) {
      return 0;
    }
    long sum = 0;
    for (Object media : medias) {
      if (media instanceof Map<?, ?> m
          && (type == null || type.equals(text(m.get("type")).orElse(null)))
          && m.get("streams") instanceof List<?> streams) {
        for (Object stream : streams) {
          if (stream instanceof Map<?, ?> st
              && st.get("stats") instanceof Map<?, ?> stats
              && stats.get(counter) instanceof Number n) {
            sum += n.longValue();
          }
        }
      }
    }
    return sum;
  }

  /** rtpengine's {@code query} answer for a call (totals, streams), for diagnostics. */
  public CompletableFuture<Map<String, Object>> query(CallId call) {
    NgCall ngCall = calls.get(call);
    RtpenginePool.Instance instance =
        ngCall != null && ngCall.instance != null ? ngCall.instance : pool.instances().get(0);
    return instance.ng().request(queryOf(call));
  }

  /** NG {@code query} of a call: its totals and per-tag streams. */
  private static Map<String, Object> queryOf(CallId call) {
    Map<String, Object> command = new HashMap<>();
    command.put("command", "query");
    command.put("call-id", call.value());
    return command;
  }

  @Override
  public String describe() {
    return pool.instances().size() == 1
        ? "rtpengine " + pool.names()
        : "rtpengine pool " + pool.names();
  }

  private static String random() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
