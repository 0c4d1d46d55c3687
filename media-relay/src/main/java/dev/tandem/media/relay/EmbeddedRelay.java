package dev.tandem.media.relay;

import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.dtls.DtlsHandshakes;
import dev.tandem.media.dtls.DtlsSrtp;
import dev.tandem.sdp.Connection;
import dev.tandem.sdp.Fingerprint;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdesKey;
import dev.tandem.sdp.SdesSuite;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import dev.tandem.sdp.translate.MediaEncryption;
import dev.tandem.sdp.translate.OfferAnswer;
import dev.tandem.sdp.translate.PlainEndpoint;
import dev.tandem.sdp.translate.PlainMedia;
import dev.tandem.sdp.translate.Sdes;
import dev.tandem.sdp.translate.SdpTranslationException;
import dev.tandem.sdp.translate.SdpTranslator;
import dev.tandem.sdp.translate.SipMedia;
import dev.tandem.sdp.translate.Translation;
import dev.tandem.sdp.translate.WebRtcEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media backend inside the bridge: each browser ⇄ SIP call gets a {@link RelayCall}; SDP is
 * translated by sdp-translate's {@link SdpTranslator} against the call's own ports, ICE credentials
 * and the relay's certificate. The relay is ICE-lite and answers a browser's {@code actpass} as the
 * DTLS client ({@code a=setup:active}, RFC 8842 §5.3).
 *
 * <p>Threads: no method blocks its caller. Each call belongs to one {@link RelayLoop} (chosen
 * round-robin at its first offer); {@link #offer}, {@link #answer}, {@link #activity} and {@link
 * #release} only parse the SDP and queue the work on that loop, which runs a call's operations in
 * the order they were asked for, binds and closes its sockets, and completes the returned stages
 * (so their dependent actions run on a media thread and must not block: hand them to your own
 * executor, as core's {@code MediaSteps} does). A port goes back to the pool only once its socket
 * is closed, so it is never handed out while still bound. DTLS handshakes run on {@link
 * DtlsHandshakes}, started only once the browser's ICE check is verified.
 *
 * <p>Thread bound, whatever the load: {@code io-threads} media threads ({@code relay-io-<n>}, one
 * per core by default) plus at most {@code dtls-threads} handshake threads ({@code relay-dtls-<n>},
 * two per core by default, none while no handshake runs); at most {@code dtls-queue} handshakes
 * wait for one, and any beyond fail their call at once.
 */
public final class EmbeddedRelay implements MediaBackend, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedRelay.class);

  private static final int BIND_ATTEMPTS = 10;

  private final RelaySettings settings;
  private final RelaySockets sockets;
  private final PortPool ports;
  private final DtlsCertificate certificate = DtlsCertificate.generate();
  private final Fingerprint fingerprint = Fingerprint.parse(certificate.fingerprint());
  private final SdpTranslator translator;
  private final DtlsHandshakes handshakes;
  private final int handshakeTimeoutMillis;
  private final Map<CallId, State> calls = new ConcurrentHashMap<>();
  private final List<RelayLoop> loops = new ArrayList<>();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final Supplier<Instant> clock;
  private final java.security.SecureRandom random = new java.security.SecureRandom();

  /** Guards {@link #live} and {@link #closedTotals}: a call moves from one to the other at once. */
  private final Object totalsLock = new Object();

  private final RelayFailures failures = new RelayFailures();
  private volatile KeyframeListener keyframes = call -> {};

  private final java.util.Set<RelayCall> live = new java.util.HashSet<>();
  private RelayTotals closedTotals = RelayTotals.ZERO;

  /**
   * One call: its loop, its relay endpoint once the loop has opened it, and the offer whose answer
   * is pending. Every field but {@link #loop} and {@link #released} is touched on that loop's
   * thread only.
   */
  private static final class State {
    final RelayLoop loop;
    RelayCall relay;

    /** The last offer; stays after its answer, since a 183 and its 200 both answer it. */
    SessionDescription pendingOffer;

    Side offerFrom;

    /**
     * The address the plain side announces to the SIP peer: of its family when it offered, else the
     * primary (set at the call's first offer).
     */
    String plainAddress;

    /** The plain side's policy, from the latest offer. */
    MediaEncryption encryption = MediaEncryption.PLAIN;

    /** Whether video may cross toward SIP, from the latest offer's policy. */
    boolean video = true;

    /**
     * The latest description exchanged with each side (sent or received), once an offer was
     * answered: a re-offer keeps its m-lines in place and order (RFC 3264 §8, JSEP §5.2.2).
     */
    java.util.Optional<SessionDescription> sipSide = java.util.Optional.empty();

    java.util.Optional<SessionDescription> browserSide = java.util.Optional.empty();

    /**
     * Our SDES keys of this call, one per suite, made at first use and kept for its re-offers and
     * answers (the SIP peer's key is its own: a fresh one each direction).
     */
    final Map<SdesSuite, SdesKey> ourKeys = new java.util.EnumMap<>(SdesSuite.class);

    /** The keys our last offer to SIP carried (empty: it was plain RTP/AVP). */
    List<SdesKey> offeredSdes = List.of();

    /** The SIP side's key from its pending offer, and ours to answer it with. */
    java.util.Optional<SdesKey> sipOfferKey = java.util.Optional.empty();

    java.util.Optional<SdesKey> answerKey = java.util.Optional.empty();

    /**
     * Set by {@link #release} on the caller's thread: an operation still queued fails instead of
     * opening anything; the release task behind it closes what is open.
     */
    volatile boolean released;

    State(RelayLoop loop) {
      this.loop = loop;
    }
  }

  public EmbeddedRelay(RelaySettings settings) throws IOException {
    this(settings, Instant::now, DtlsSrtp.HANDSHAKE_TIMEOUT_MILLIS);
  }

  /**
   * With the clock ICE consent is measured by and the DTLS handshake timeout (tests shorten it).
   */
  EmbeddedRelay(RelaySettings settings, Supplier<Instant> clock, int handshakeTimeoutMillis)
      throws IOException {
    this.settings = settings;
    this.clock = clock;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    this.sockets =
        new RelaySockets(InetAddress.getByName(settings.bindAddress()), settings.receiveBuffer());
    this.ports = new PortPool(settings.portMin(), settings.portMax());
    this.translator = new SdpTranslator(settings.translation());
    this.handshakes = new DtlsHandshakes(settings.handshakeThreads(), settings.dtlsQueue());
    for (int i = 0; i < settings.threads(); i++) {
      loops.add(new RelayLoop("relay-io-" + i));
    }
  }

  @Override
  public CompletionStage<String> offer(CallId call, Side from, String sdp, SipMedia sip) {
    MediaEncryption encryption = sip.encryption();
    boolean video = sip.video();
    SessionDescription offer;
    try {
      offer = SessionDescription.parse(sdp);
    } catch (SdpParseException e) {
      return failed(new MediaException("offer unreadable: " + e.getMessage(), true, e));
    }
    State state = calls.computeIfAbsent(call, c -> new State(nextLoop()));
    return onLoop(state, () -> offerOnLoop(call, state, from, offer, encryption, video));
  }

  private String offerOnLoop(
      CallId call,
      State state,
      Side from,
      SessionDescription offer,
      MediaEncryption encryption,
      boolean video)
      throws IOException, SdpTranslationException, MediaException {
    if (state.released) {
      throw new MediaException("call " + call + " was released");
    }
    if (state.relay == null) {
      try {
        state.relay = open(call, state.loop);
        synchronized (totalsLock) {
          live.add(state.relay);
        }
      } catch (IOException | RuntimeException e) {
        calls.remove(call, state); // nothing was opened: nothing for a release to free
        throw e;
      }
    }
    if (from == Side.SIP) {
      state.plainAddress = settings.advertised().toward(offer, "the SIP side's offer");
    } else if (state.plainAddress == null) {
      state.plainAddress = settings.advertised().primary();
    }
    // a call that runs SDES-SRTP keeps offering it (a re-offer for hold must not downgrade it)
    if (encryption == MediaEncryption.PLAIN && state.relay.sipSrtp()) {
      encryption = MediaEncryption.SDES_PREFERRED;
    }
    state.encryption = encryption;
    state.video = video;
    // the translator refuses video toward SDES (one SRTP context per call): no pair for it then
    var offeredAudio = OfferAnswer.carriedAudio(offer);
    boolean towardSdes =
        from == Side.BROWSER
            ? encryption.offersSrtp()
            : offeredAudio.isPresent()
                && Sdes.isSecure(offer.media().get(offeredAudio.getAsInt()).media().proto());
    if (video
        && !towardSdes
        && OfferAnswer.carriedVideo(offer).isPresent()
        && state.relay.video().isEmpty()) {
      try {
        openVideo(state.relay); // kept for the call: a later re-offer may turn video on again
      } catch (IllegalStateException full) {
        // the range is the bound: without a pair the video is refused (port 0), audio carried
        log.warn("call {}: video refused: {}", call, full.getMessage());
      }
    }
    Translation out;
    if (from == Side.BROWSER) {
      List<SdesKey> sdes = new ArrayList<>();
      if (encryption.offersSrtp()) {
        for (int i = 0; i < Sdes.OFFERED.size(); i++) {
          sdes.add(ourKey(state, Sdes.OFFERED.get(i)).withTag(i + 1));
        }
      }
      out = translator.toPlainOffer(offer, plainMedia(state, false), sdes, state.sipSide);
      state.offeredSdes = List.copyOf(sdes);
    } else {
      var audio = OfferAnswer.carriedAudio(offer);
      java.util.Optional<SdesKey> theirs =
          audio.isPresent()
              ? Sdes.acceptOffer(offer.media().get(audio.getAsInt()), encryption)
              : java.util.Optional.empty();
      out = translator.toWebRtcOffer(offer, webRtc(state.relay), video, state.browserSide);
      state.sipOfferKey = theirs;
      state.answerKey = theirs.map(k -> ourKey(state, k.suite()).withTag(k.tag()));
    }
    if (from == Side.BROWSER) {
      browserIce(state.relay, offer);
    } else {
      sipAddress(state.relay, offer, true); // our answer takes rtcp-mux where it is offered
    }
    payloadTypes(state.relay, out);
    state.pendingOffer = offer;
    state.offerFrom = from;
    return out.sdp().toString();
  }

  /**
   * Queues an RTCP PLI toward {@code toward} on the call's loop (see {@link
   * RelayCall#requestKeyframe}); nothing for an unknown call or one without video.
   */
  @Override
  public void requestKeyframe(CallId call, Side toward) {
    State state = calls.get(call);
    if (state == null) {
      log.debug(
          "call {}: key frame asked toward {}, but the call has no relay endpoint", call, toward);
      return;
    }
    state.loop.submit(
        () -> {
          RelayCall relay = state.relay;
          if (relay == null || state.released) {
            return;
          }
          try {
            relay.requestKeyframe(toward == Side.BROWSER);
          } catch (IOException e) {
            log.debug(
                "call {}: key-frame request toward {} not sent: {}", call, toward, e.toString());
          }
        });
  }

  @Override
  public void onKeyframeWanted(KeyframeListener listener) {
    this.keyframes = java.util.Objects.requireNonNull(listener, "listener");
  }

  @Override
  public CompletionStage<String> answer(CallId call, Side from, String sdp) {
    State state = calls.get(call);
    if (state == null) {
      return failed(new MediaException("no offer of the other side to answer for call " + call));
    }
    SessionDescription answer;
    try {
      answer = SessionDescription.parse(sdp);
    } catch (SdpParseException e) {
      return failed(new MediaException("answer unreadable: " + e.getMessage(), true, e));
    }
    return onLoop(state, () -> answerOnLoop(call, state, from, answer));
  }

  private String answerOnLoop(CallId call, State state, Side from, SessionDescription answer)
      throws SdpTranslationException, MediaException {
    if (state.released || state.pendingOffer == null || state.offerFrom == from) {
      throw new MediaException("no offer of the other side to answer for call " + call);
    }
    Translation out;
    if (from == Side.SIP) {
      // its family may differ from our offer's: fine while the relay has an address of it
      settings.advertised().toward(answer, "the SIP side's answer");
      sipAddress(state.relay, answer, false); // our offers to SIP never multiplex RTCP
      var audio = OfferAnswer.carriedAudio(answer);
      java.util.Optional<SdesKey> theirs =
          audio.isPresent()
              ? Sdes.acceptAnswer(
                  answer.media().get(audio.getAsInt()), state.offeredSdes, state.encryption)
              : java.util.Optional.empty();
      out = translator.toWebRtcAnswer(answer, state.pendingOffer, webRtc(state.relay));
      state.relay.sdes(
          theirs.flatMap(
              t -> state.offeredSdes.stream().filter(k -> k.tag() == t.tag()).findFirst()),
          theirs);
      // we answered the browser's actpass/passive/active: take the role our answer names
      Setup ours =
          out.sdp()
              .media()
              .get(OfferAnswer.carriedAudio(state.pendingOffer).orElse(0))
              .setup()
              .orElse(Setup.ACTIVE);
      startDtls(state.relay, ours, state.pendingOffer);
    } else {
      browserIce(state.relay, answer);
      out =
          translator.toPlainAnswer(
              answer,
              state.pendingOffer,
              plainMedia(state, rtcpMux(state.pendingOffer)),
              state.answerKey);
      state.relay.sdes(state.answerKey, state.sipOfferKey);
      // we offered actpass: the browser's answer chose; we take the other role
      Setup theirs = setupOf(answer).orElse(Setup.ACTIVE);
      startDtls(state.relay, theirs == Setup.ACTIVE ? Setup.PASSIVE : Setup.ACTIVE, answer);
    }
    payloadTypes(state.relay, out);
    if (from == Side.SIP) {
      state.sipSide = java.util.Optional.of(answer);
      state.browserSide = java.util.Optional.of(out.sdp());
    } else {
      state.browserSide = java.util.Optional.of(answer);
      state.sipSide = java.util.Optional.of(out.sdp());
    }
    return out.sdp().toString();
  }

  /** What the loop's thread may throw from a call's operation. */
  private interface LoopOperation<T> {
    T run() throws IOException, SdpTranslationException, MediaException;
  }

  /**
   * Queues {@code operation} on the call's loop, behind the call's earlier operations; the stage
   * completes there, exceptionally with a {@link MediaException}.
   */
  private <T> CompletionStage<T> onLoop(State state, LoopOperation<T> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    state
        .loop
        .call(
            () -> {
              try {
                result.complete(operation.run());
              } catch (MediaException e) {
                result.completeExceptionally(e);
              } catch (SdpTranslationException e) {
                result.completeExceptionally(new MediaException(e.getMessage(), true, e));
              } catch (IOException | RuntimeException e) {
                result.completeExceptionally(
                    new MediaException("embedded relay: " + e.getMessage(), false, e));
              }
              return null;
            })
        .exceptionally(
            stopped -> {
              result.completeExceptionally(
                  new MediaException("embedded relay: " + stopped.getMessage(), false, stopped));
              return null;
            });
    return result;
  }

  /** The call's own key for {@code suite}, made from the CSPRNG at its first use. */
  private SdesKey ourKey(State state, SdesSuite suite) {
    return state.ourKeys.computeIfAbsent(suite, s -> SdesKey.generate(1, s, random));
  }

  private RelayLoop nextLoop() {
    return loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
  }

  private void startDtls(RelayCall relay, Setup ours, SessionDescription browserSdp) {
    MediaDescription audio = browserSdp.media().get(OfferAnswer.carriedAudio(browserSdp).orElse(0));
    Fingerprint browsers =
        browserSdp
            .mediaOrSession(audio, Fingerprint.NAME)
            .map(Fingerprint::parse)
            .orElseThrow(
                () -> new IllegalArgumentException("the browser's SDP has no a=fingerprint"));
    relay.startDtls(
        handshakes,
        ours == Setup.ACTIVE ? DtlsSrtp.Role.CLIENT : DtlsSrtp.Role.SERVER,
        certificate,
        browsers.hashFunction() + " " + browsers.fingerprint(),
        handshakeTimeoutMillis);
  }

  private static java.util.Optional<Setup> setupOf(SessionDescription sdp) {
    MediaDescription audio = sdp.media().get(0);
    return sdp.mediaOrSession(audio, Setup.NAME).map(Setup::parse);
  }

  private static void browserIce(RelayCall relay, SessionDescription sdp) {
    if (sdp.media().isEmpty()) {
      return;
    }
    sdp.mediaOrSession(sdp.media().get(0), "ice-ufrag").ifPresent(relay::browserIce);
  }

  /** Whether the SIP side's SDP has {@code a=rtcp-mux} on its audio (RFC 5761). */
  private static boolean rtcpMux(SessionDescription sdp) {
    var index = OfferAnswer.carriedAudio(sdp);
    return index.isPresent() && sdp.media().get(index.getAsInt()).rtcpMux();
  }

  /**
   * The SIP side's RTP address and RTCP address: the RTP one when RTCP is multiplexed (only when it
   * offered rtcp-mux, which our answer then accepts), else RFC 3605 {@code a=rtcp} or port + 1.
   */
  private static void sipAddress(RelayCall relay, SessionDescription sdp, boolean muxAccepted) {
    var index = OfferAnswer.carriedAudio(sdp);
    if (index.isPresent()) {
      sipAddress(relay.audio, sdp, sdp.media().get(index.getAsInt()), muxAccepted);
    }
    relay
        .video()
        .ifPresent(
            video -> {
              var m = OfferAnswer.carriedVideo(sdp);
              if (m.isEmpty()) {
                video.stop(); // port 0 (or no video m-line): video off, audio goes on
                return;
              }
              MediaDescription section = sdp.media().get(m.getAsInt());
              sipAddress(video, sdp, section, muxAccepted);
              video.keyframeFeedback = takesKeyframeFeedback(section);
            });
  }

  private static void sipAddress(
      SipStream stream, SessionDescription sdp, MediaDescription m, boolean muxAccepted) {
    Connection c = sdp.connection(m).orElse(null);
    if (c == null || c.isHoldAddress()) {
      return;
    }
    int port = m.media().port();
    boolean muxed = muxAccepted && m.rtcpMux();
    int rtcpPort = muxed ? port : m.rtcp().map(r -> r.port()).orElse(port + 1);
    stream.sipAddress(
        new InetSocketAddress(c.connectionAddress(), port),
        new InetSocketAddress(c.connectionAddress(), rtcpPort),
        muxed);
  }

  /**
   * Whether a SIP side's video section takes key-frame requests as RTCP feedback: {@code
   * a=rtcp-fb:<pt>|* nack pli} (RFC 4585 §4.2) or {@code ccm fir} (RFC 5104 §7.1).
   */
  static boolean takesKeyframeFeedback(MediaDescription video) {
    return video.rtcpFbs().stream()
        .anyMatch(
            fb ->
                (fb.type().equals("nack") && fb.parameters().filter("pli"::equals).isPresent())
                    || (fb.type().equals("ccm")
                        && fb.parameters().filter("fir"::equals).isPresent()));
  }

  /** Each stream's payload-type map from {@code translation}; empty video: no video crosses. */
  private static void payloadTypes(RelayCall relay, Translation translation) {
    relay.payloadTypes(translation.payloadTypes());
    relay.video().ifPresent(v -> v.payloadTypes = translation.video());
  }

  /**
   * Opens the call's video pair: a pair from the pool, skipping one another program holds (up to
   * {@link #BIND_ATTEMPTS} tries); the pool's range bounds it like every other pair.
   */
  private void openVideo(RelayCall relay) throws IOException {
    java.util.List<Integer> busy = new java.util.ArrayList<>();
    try {
      for (int attempt = 0; ; attempt++) {
        int port = ports.take();
        try {
          relay.openVideo(port);
          return;
        } catch (java.net.BindException e) {
          busy.add(port);
          if (attempt + 1 >= BIND_ATTEMPTS) {
            throw e;
          }
        } catch (IOException | RuntimeException e) {
          ports.give(port);
          throw e;
        }
      }
    } finally {
      busy.forEach(ports::give);
    }
  }

  /**
   * A relay endpoint on two free port pairs, bound on {@code loop}'s thread. A pair that another
   * program holds (the range may overlap the system's ephemeral ports) is skipped: up to {@link
   * #BIND_ATTEMPTS} tries.
   */
  private RelayCall open(CallId call, RelayLoop loop) throws IOException {
    Runnable keyframeWanted = () -> keyframes.keyframeWanted(call);
    java.util.List<Integer> busy = new java.util.ArrayList<>();
    try {
      for (int attempt = 0; ; attempt++) {
        int webRtc = ports.take();
        int plain;
        try {
          plain = ports.take();
        } catch (IllegalStateException e) {
          ports.give(webRtc);
          throw e;
        }
        try {
          return new RelayCall(
              call.value(),
              loop,
              sockets,
              webRtc,
              plain,
              WebRtcEndpoint.randomIceUfrag(),
              WebRtcEndpoint.randomIcePwd(),
              clock,
              failures,
              keyframeWanted,
              settings.keyframeInterval());
        } catch (java.net.BindException e) {
          busy.add(webRtc);
          busy.add(plain);
          if (attempt + 1 >= BIND_ATTEMPTS) {
            throw e;
          }
        } catch (IOException | RuntimeException e) {
          ports.give(webRtc);
          ports.give(plain);
          throw e;
        }
      }
    } finally {
      busy.forEach(ports::give);
    }
  }

  /**
   * The relay's plain side, on the address chosen for the SIP peer: audio, and video when its pair
   * is open and the call's policy lets video cross; {@code mux}: RTCP on the RTP port (RFC 5761).
   */
  private static PlainMedia plainMedia(State state, boolean mux) {
    RelayCall relay = state.relay;
    return new PlainMedia(
        plain(state.plainAddress, relay.audio.port, mux),
        relay.video().filter(v -> state.video).map(v -> plain(state.plainAddress, v.port, mux)));
  }

  private static PlainEndpoint plain(String address, int port, boolean mux) {
    return new PlainEndpoint(address, port, port + (mux ? 0 : 1));
  }

  /**
   * The relay's WebRTC side, a host candidate on each advertised address; in answers it is the DTLS
   * client ({@code active}) unless an earlier exchange of this call made it the server: a re-offer
   * keeps the roles (RFC 8842 §5.5).
   */
  private WebRtcEndpoint webRtc(RelayCall relay) {
    return new WebRtcEndpoint(
        settings.advertised().primary(),
        relay.webRtcPort,
        relay.iceUfrag,
        relay.icePwd,
        fingerprint,
        relay.dtlsRole().orElse(DtlsSrtp.Role.CLIENT) == DtlsSrtp.Role.SERVER
            ? Setup.PASSIVE
            : Setup.ACTIVE,
        settings.advertised().other().map(List::of).orElse(List.of()));
  }

  @Override
  public CompletionStage<MediaActivity> activity(CallId call) {
    State state = calls.get(call);
    if (state == null) {
      return failed(new MediaException("no relay endpoint for call " + call));
    }
    return onLoop(
        state,
        () -> {
          if (state.relay == null || state.released) {
            throw new MediaException("no relay endpoint for call " + call);
          }
          RelayCall relay = state.relay;
          return new MediaActivity(
              relay.packetsFromBrowser(), relay.packetsFromSip(), relay.failure());
        });
  }

  /**
   * Returns at once; the call's loop then closes its sockets (after any operation still queued for
   * the call, which fails) and only then gives its ports back.
   */
  @Override
  public CompletionStage<java.util.Optional<MediaStats>> release(CallId call) {
    State state = calls.remove(call);
    if (state == null) {
      return CompletableFuture.completedFuture(java.util.Optional.empty());
    }
    state.released = true;
    return state
        .loop
        .call(() -> closeOnLoop(call, state))
        .exceptionally(
            stopped -> {
              // the loop is stopping: closing it closes every socket it still reads
              log.debug("call {}: relay loop stopped before release", call);
              return java.util.Optional.empty();
            });
  }

  private java.util.Optional<MediaStats> closeOnLoop(CallId call, State state) {
    RelayCall relay = state.relay;
    state.relay = null;
    if (relay == null) {
      return java.util.Optional.empty();
    }
    relay.close();
    ports.give(relay.webRtcPort);
    ports.give(relay.audio.port);
    relay.video().ifPresent(v -> ports.give(v.port));
    RelayStats stats = relay.stats();
    synchronized (totalsLock) {
      closedTotals = closedTotals.plus(stats);
      live.remove(relay);
    }
    log.info("call {}: relay released: {}", call, stats);
    return java.util.Optional.of(stats.toMediaStats());
  }

  /** The browser media paths that failed for good (DTLS, ICE consent), counted as they fail. */
  public RelayFailures failures() {
    return failures;
  }

  /**
   * The relay's running totals over every call so far, ended or in progress; each figure only
   * grows. Cheap (a sum over the calls in progress), safe from any thread.
   */
  public RelayTotals totals() {
    synchronized (totalsLock) {
      RelayTotals totals = closedTotals;
      for (RelayCall call : live) {
        totals = totals.plus(call.stats());
      }
      return totals;
    }
  }

  /** Port pairs in use (two per call, three with video), for tests and readiness. */
  public int portPairsInUse() {
    return ports.inUse();
  }

  @Override
  public String describe() {
    return "embedded relay "
        + settings.bindAddress()
        + " ports "
        + settings.portMin()
        + "-"
        + settings.portMax()
        + ", "
        + loops.size()
        + " media threads";
  }

  /** Handshake threads alive now, for tests. */
  int dtlsThreadsAlive() {
    return handshakes.liveThreads();
  }

  /** Calls with state, for tests: nothing is left after every call was released. */
  int callsOpen() {
    return calls.size();
  }

  /** A call's relay endpoint once its first offer opened it, for tests. */
  java.util.Optional<RelayCall> endpoint(CallId call) {
    State state = calls.get(call);
    return state == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(state.relay);
  }

  /** A media loop, for tests that hold it up to see what waits for it. */
  RelayLoop loop(int index) {
    return loops.get(index);
  }

  /** Releases every call, waits (briefly) for the loops to close them, stops every thread. */
  @Override
  public void close() {
    List.copyOf(calls.keySet()).forEach(this::release);
    for (RelayLoop loop : loops) {
      try {
        loop.submit(() -> {}).get(2, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.warn("relay loop did not finish its releases: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    handshakes.close();
    loops.forEach(RelayLoop::close);
  }

  private static <T> CompletionStage<T> failed(MediaException e) {
    return CompletableFuture.failedFuture(e);
  }
}
