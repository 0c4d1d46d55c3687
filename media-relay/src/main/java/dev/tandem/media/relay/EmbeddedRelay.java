package dev.tandem.media.relay;

import dev.tandem.core.call.CallId;
import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.MediaException;
import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.dtls.DtlsSrtp;
import dev.tandem.sdp.Connection;
import dev.tandem.sdp.Fingerprint;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import dev.tandem.sdp.translate.OfferAnswer;
import dev.tandem.sdp.translate.PlainEndpoint;
import dev.tandem.sdp.translate.SdpTranslationException;
import dev.tandem.sdp.translate.SdpTranslator;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media backend inside the bridge: each browser ⇄ SIP call gets a {@link RelayCall}; SDP is
 * translated by sdp-translate's {@link SdpTranslator} against the call's own ports, ICE credentials
 * and the relay's certificate. The relay is ICE-lite and answers a browser's {@code actpass} as the
 * DTLS client ({@code a=setup:active}, RFC 8842 §5.3).
 */
public final class EmbeddedRelay implements MediaBackend, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedRelay.class);

  private static final int BIND_ATTEMPTS = 10;

  private final RelaySettings settings;
  private final InetAddress bind;
  private final PortPool ports;
  private final DtlsCertificate certificate = DtlsCertificate.generate();
  private final Fingerprint fingerprint = Fingerprint.parse(certificate.fingerprint());
  private final SdpTranslator translator;
  private final ExecutorService handshakes =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "relay-dtls");
            t.setDaemon(true);
            return t;
          });
  private final Map<CallId, State> calls = new ConcurrentHashMap<>();
  private final List<RelayLoop> loops = new ArrayList<>();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final Supplier<Instant> clock;

  /** One call: its relay endpoint and the offer whose answer is pending. */
  private static final class State {
    final RelayCall relay;

    /** The last offer; stays after its answer, since a 183 and its 200 both answer it. */
    SessionDescription pendingOffer;

    Side offerFrom;

    State(RelayCall relay) {
      this.relay = relay;
    }
  }

  public EmbeddedRelay(RelaySettings settings) throws IOException {
    this(settings, Instant::now);
  }

  /** With the clock ICE consent is measured by (tests move it). */
  EmbeddedRelay(RelaySettings settings, Supplier<Instant> clock) throws IOException {
    this.settings = settings;
    this.clock = clock;
    for (int i = 0; i < settings.threads(); i++) {
      loops.add(new RelayLoop("relay-io-" + i));
    }
    this.bind = InetAddress.getByName(settings.bindAddress());
    this.ports = new PortPool(settings.portMin(), settings.portMax());
    this.translator = new SdpTranslator(settings.translation());
  }

  @Override
  public CompletionStage<String> offer(CallId call, Side from, String sdp) {
    try {
      SessionDescription offer = SessionDescription.parse(sdp);
      State state = calls.get(call);
      if (state == null) {
        state = new State(open(call));
        calls.put(call, state);
      }
      Translation out =
          from == Side.BROWSER
              ? translator.toPlainOffer(offer, plain(state.relay))
              : translator.toWebRtcOffer(offer, webRtc(state.relay));
      if (from == Side.BROWSER) {
        browserIce(state.relay, offer);
      } else {
        sipAddress(state.relay, offer, true); // our answer takes rtcp-mux where it is offered
      }
      state.relay.payloadTypes(out.payloadTypes());
      state.pendingOffer = offer;
      state.offerFrom = from;
      return CompletableFuture.completedFuture(out.sdp().toString());
    } catch (SdpParseException e) {
      return failed(new MediaException("offer unreadable: " + e.getMessage(), true, e));
    } catch (SdpTranslationException e) {
      return failed(new MediaException(e.getMessage(), true, e));
    } catch (IOException | RuntimeException e) {
      return failed(new MediaException("embedded relay: " + e.getMessage(), false, e));
    }
  }

  @Override
  public CompletionStage<String> answer(CallId call, Side from, String sdp) {
    State state = calls.get(call);
    if (state == null || state.pendingOffer == null || state.offerFrom == from) {
      return failed(new MediaException("no offer of the other side to answer for call " + call));
    }
    try {
      SessionDescription answer = SessionDescription.parse(sdp);
      Translation out;
      if (from == Side.SIP) {
        sipAddress(state.relay, answer, false); // our offers to SIP never multiplex RTCP
        out = translator.toWebRtcAnswer(answer, state.pendingOffer, webRtc(state.relay));
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
                answer, state.pendingOffer, plain(state.relay, rtcpMux(state.pendingOffer)));
        // we offered actpass: the browser's answer chose; we take the other role
        Setup theirs = setupOf(answer).orElse(Setup.ACTIVE);
        startDtls(state.relay, theirs == Setup.ACTIVE ? Setup.PASSIVE : Setup.ACTIVE, answer);
      }
      state.relay.payloadTypes(out.payloadTypes());
      return CompletableFuture.completedFuture(out.sdp().toString());
    } catch (SdpParseException e) {
      return failed(new MediaException("answer unreadable: " + e.getMessage(), true, e));
    } catch (SdpTranslationException e) {
      return failed(new MediaException(e.getMessage(), true, e));
    } catch (RuntimeException e) {
      return failed(new MediaException("embedded relay: " + e.getMessage(), false, e));
    }
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
        browsers.hashFunction() + " " + browsers.fingerprint());
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
    if (index.isEmpty()) {
      return;
    }
    MediaDescription audio = sdp.media().get(index.getAsInt());
    Connection c = sdp.connection(audio).orElse(null);
    if (c == null || c.isHoldAddress()) {
      return;
    }
    int port = audio.media().port();
    boolean muxed = muxAccepted && audio.rtcpMux();
    int rtcpPort = muxed ? port : audio.rtcp().map(r -> r.port()).orElse(port + 1);
    relay.sipAddress(
        new InetSocketAddress(c.connectionAddress(), port),
        new InetSocketAddress(c.connectionAddress(), rtcpPort),
        muxed);
  }

  /**
   * A relay endpoint on two free port pairs. A pair that another program holds (the range may
   * overlap the system's ephemeral ports) is skipped: up to {@link #BIND_ATTEMPTS} tries.
   */
  private RelayCall open(CallId call) throws IOException {
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
              loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size())),
              bind,
              webRtc,
              plain,
              WebRtcEndpoint.randomIceUfrag(),
              WebRtcEndpoint.randomIcePwd(),
              clock);
        } catch (java.net.BindException e) {
          busy.add(webRtc);
          busy.add(plain);
          if (attempt + 1 >= BIND_ATTEMPTS) {
            throw e;
          }
        }
      }
    } finally {
      busy.forEach(ports::give);
    }
  }

  private PlainEndpoint plain(RelayCall relay) {
    return plain(relay, false);
  }

  /** The relay's plain side; {@code mux}: RTCP on the RTP port (RFC 5761). */
  private PlainEndpoint plain(RelayCall relay, boolean mux) {
    return new PlainEndpoint(
        settings.advertisedAddress(), relay.plainPort, relay.plainPort + (mux ? 0 : 1));
  }

  /**
   * The relay's WebRTC side; in answers it is the DTLS client ({@code active}) unless an earlier
   * exchange of this call made it the server: a re-offer keeps the roles (RFC 8842 §5.5).
   */
  private WebRtcEndpoint webRtc(RelayCall relay) {
    return new WebRtcEndpoint(
        settings.advertisedAddress(),
        relay.webRtcPort,
        relay.iceUfrag,
        relay.icePwd,
        fingerprint,
        relay.dtlsRole().orElse(DtlsSrtp.Role.CLIENT) == DtlsSrtp.Role.SERVER
            ? Setup.PASSIVE
            : Setup.ACTIVE);
  }

  @Override
  public CompletionStage<MediaActivity> activity(CallId call) {
    State state = calls.get(call);
    if (state == null) {
      return failed(new MediaException("no relay endpoint for call " + call));
    }
    return CompletableFuture.completedFuture(
        new MediaActivity(
            state.relay.packetsFromBrowser(), state.relay.packetsFromSip(), state.relay.failure()));
  }

  @Override
  public void release(CallId call) {
    State state = calls.remove(call);
    if (state != null) {
      state.relay.close();
      ports.give(state.relay.webRtcPort);
      ports.give(state.relay.plainPort);
      log.info("call {}: relay released: {}", call, state.relay.stats());
    }
  }

  /** Port pairs in use (two per call), for tests and readiness. */
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

  @Override
  public void close() {
    calls.keySet().forEach(this::release);
    handshakes.shutdownNow();
    loops.forEach(RelayLoop::close);
  }

  private static <T> CompletionStage<T> failed(MediaException e) {
    return CompletableFuture.failedFuture(e);
  }
}
