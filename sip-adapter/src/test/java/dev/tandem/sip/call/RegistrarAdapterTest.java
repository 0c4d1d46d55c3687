package dev.tandem.sip.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.call.SignalingLoop;
import dev.tandem.core.health.Readiness;
import dev.tandem.core.registrar.Registrar;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipSettings;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.registrar.DigestAlgorithm;
import dev.tandem.sip.registrar.DigestGate;
import dev.tandem.sip.registrar.RegisterHandler;
import dev.tandem.sip.registrar.RegistrarSettings;
import dev.tandem.sip.registrar.SipAccount;
import dev.tandem.sip.stack.RequestHandler;
import dev.tandem.sip.stack.SipStackService;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registrar on the real JAIN-SIP stack, driven by raw SIP over UDP. */
class RegistrarAdapterTest {
  private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");

  private SipStackService stack;
  private SignalingLoop loop;
  private RawSipPeer peer;
  private Registrar registrar;
  private int port;
  private final AtomicInteger cseq = new AtomicInteger();
  private final List<Object> invites = new ArrayList<>();

  private void start(int maxFailures, int perSecond, int burst) throws Exception {
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      port = probe.getLocalPort();
    }
    RegistrarSettings d = RegistrarSettings.defaults();
    RegistrarSettings settings =
        new RegistrarSettings(
            "tandem",
            d.digestAlgorithms(),
            Map.of(
                "1001",
                SipAccount.withPassword("secret1"),
                "desk",
                new SipAccount(
                    Optional.empty(),
                    Optional.of(DigestAlgorithm.MD5.ha1("desk", "tandem", "deskpw")),
                    Optional.empty(),
                    Optional.of("2001"),
                    Optional.of(List.of(DigestAlgorithm.MD5)),
                    Optional.empty(),
                    Optional.empty())),
            d.minExpires(),
            d.maxExpires(),
            d.defaultExpires(),
            d.maxContacts(),
            d.nonceLifetime(),
            maxFailures,
            Duration.ofMinutes(5),
            perSecond,
            burst,
            true,
            d.mediaEncryption(),
            d.video());
    stack =
        new SipStackService(
            new SipSettings(
                List.of(new ListenPoint(SipTransport.UDP, "127.0.0.1", port)),
                "Tandem-test",
                65536,
                2),
            new Readiness());
    registrar = settings.toRegistrar(Instant::now);
    DigestGate gate = new DigestGate(settings, stack.messages(), Instant::now);
    loop = new SignalingLoop();
    SipCalls calls = new SipCalls(stack, stack.messages(), loop, loop);
    calls.authenticateWith(gate);
    calls.connect(
        (invite, leg) -> {
          invites.add(invite);
          return event -> {};
        });
    List<RequestHandler> handlers = new ArrayList<>(calls.handlers());
    handlers.add(new RegisterHandler(settings, registrar, gate, stack.messages(), Instant::now));
    stack.handle(handlers, calls);
    stack.start();
    peer = new RawSipPeer();
  }

  @AfterEach
  void stop() {
    if (peer != null) {
      peer.close();
    }
    if (stack != null) {
      stack.stop();
    }
    if (loop != null) {
      loop.close();
    }
  }

  private String register(String user, String expires, String authorization) {
    int n = cseq.incrementAndGet();
    return "REGISTER sip:127.0.0.1:"
        + port
        + " SIP/2.0\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + peer.port()
        + ";branch=z9hG4bK-reg"
        + n
        + ";rport\n"
        + "Max-Forwards: 70\n"
        + "From: <sip:"
        + user
        + "@127.0.0.1>;tag=r1\n"
        + "To: <sip:"
        + user
        + "@127.0.0.1>\n"
        + "Call-ID: reg-call-1\n"
        + "CSeq: "
        + n
        + " REGISTER\n"
        + "Contact: <sip:"
        + user
        + "@127.0.0.1:"
        + peer.port()
        + ">"
        + expires
        + "\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\n")
        + "Content-Length: 0\n\n";
  }

  private String credentials(
      DigestAlgorithm algorithm, String user, String password, String nonce, String method) {
    String uri = "sip:127.0.0.1:" + port;
    String response =
        algorithm.response(
            algorithm.ha1(user, "tandem", password),
            nonce,
            "00000001",
            "c0ffee",
            "auth",
            method,
            uri);
    return "Digest username=\""
        + user
        + "\", realm=\"tandem\", nonce=\""
        + nonce
        + "\", uri=\""
        + uri
        + "\", response=\""
        + response
        + "\", algorithm="
        + algorithm.wireName()
        + ", qop=auth, nc=00000001, cnonce=\"c0ffee\"";
  }

  private RawSipPeer.Message send(String request) throws Exception {
    peer.send(request, port);
    return peer.receive(m -> m.isResponse() && m.status() >= 200);
  }

  private static String nonce(RawSipPeer.Message challenge) {
    Matcher m = NONCE.matcher(challenge.raw());
    assertTrue(m.find(), challenge.raw());
    return m.group(1);
  }

  @Test
  void registerIsChallengedWithSha256ThenMd5AndEitherIsAccepted() throws Exception {
    start(5, 100, 100);
    RawSipPeer.Message challenge = send(register("1001", ";expires=120", null));
    assertEquals(401, challenge.status());
    String raw = challenge.raw();
    int sha = raw.indexOf("algorithm=SHA-256");
    int md5 = raw.indexOf("algorithm=MD5");
    assertTrue(sha > 0 && md5 > sha, "SHA-256 offered before MD5 (RFC 8760): " + raw);
    assertTrue(raw.contains("qop=\"auth\""), raw);
    assertTrue(raw.contains("realm=\"tandem\""), raw);

    String nonce = nonce(challenge);
    RawSipPeer.Message ok =
        send(
            register(
                "1001",
                ";expires=120",
                credentials(DigestAlgorithm.SHA_256, "1001", "secret1", nonce, "REGISTER")));
    assertEquals(200, ok.status(), ok.raw());
    assertTrue(ok.header("Contact").contains("expires=120"), ok.raw());
    assertEquals(1, registrar.bindings("1001").size());
    assertEquals(peer.port(), registrar.bindings("1001").get(0).sourcePort());

    ok =
        send(
            register(
                "1001",
                ";expires=0",
                credentials(DigestAlgorithm.MD5, "1001", "secret1", nonce, "REGISTER")));
    assertEquals(200, ok.status(), ok.raw());
    assertTrue(registrar.bindings("1001").isEmpty(), "removed by expires=0");
  }

  @Test
  void anAccountWithOnlyAnMd5Ha1RegistersByItsHashAndIsFoundByExtension() throws Exception {
    start(5, 100, 100);
    RawSipPeer.Message first = send(register("desk", "", null));
    String nonce = nonce(first);
    RawSipPeer.Message ok =
        send(
            register(
                "desk", "", credentials(DigestAlgorithm.MD5, "desk", "deskpw", nonce, "REGISTER")));
    assertEquals(200, ok.status(), ok.raw());
    assertTrue(ok.header("Contact").contains("expires=3600"), "the default: " + ok.raw());
    assertEquals(Optional.of("desk"), registrar.account("2001"));
    assertTrue(!first.raw().contains("SHA-256"), "the account's own algorithms: " + first.raw());
    // with SHA-256 the account has no secret to check against
    RawSipPeer.Message refused =
        send(
            register(
                "desk",
                "",
                credentials(DigestAlgorithm.SHA_256, "desk", "deskpw", nonce, "REGISTER")));
    assertEquals(401, refused.status());
  }

  @Test
  void wrongPasswordsAreChallengedAgainThenTheSourceIsLockedOut() throws Exception {
    start(3, 100, 100);
    String nonce = nonce(send(register("1001", "", null)));
    for (int i = 0; i < 2; i++) {
      RawSipPeer.Message again =
          send(
              register(
                  "1001",
                  "",
                  credentials(DigestAlgorithm.MD5, "1001", "guess" + i, nonce, "REGISTER")));
      assertEquals(401, again.status(), "attempt " + i);
    }
    RawSipPeer.Message locked =
        send(
            register(
                "1001", "", credentials(DigestAlgorithm.MD5, "1001", "guess2", nonce, "REGISTER")));
    assertEquals(403, locked.status());
    // now even the right password is refused from this source
    RawSipPeer.Message still =
        send(
            register(
                "1001",
                "",
                credentials(DigestAlgorithm.MD5, "1001", "secret1", nonce, "REGISTER")));
    assertEquals(403, still.status());
    assertTrue(still.header("Warning").contains("too many failed"), still.raw());
    assertTrue(registrar.bindings("1001").isEmpty());
  }

  @Test
  void aFloodFromOneSourceGets503WithRetryAfter() throws Exception {
    start(5, 1, 3);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      statuses.add(send(register("1001", "", null)).status());
    }
    assertEquals(List.of(401, 401, 401, 503, 503, 503), statuses);
  }

  @Test
  void tooShortAnExpiryIs423WithMinExpiresAndAForgedNonceIsNoPass() throws Exception {
    start(5, 100, 100);
    String nonce = nonce(send(register("1001", "", null)));
    RawSipPeer.Message brief =
        send(
            register(
                "1001",
                ";expires=10",
                credentials(DigestAlgorithm.MD5, "1001", "secret1", nonce, "REGISTER")));
    assertEquals(423, brief.status());
    assertEquals("60", brief.header("Min-Expires"));
    String forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    RawSipPeer.Message refused =
        send(
            register(
                "1001",
                "",
                credentials(DigestAlgorithm.MD5, "1001", "secret1", forged, "REGISTER")));
    assertEquals(401, refused.status());
  }

  @Test
  void anInviteFromAnAccountIsChallengedWith407() throws Exception {
    start(5, 100, 100);
    String invite =
        "INVITE sip:alice@127.0.0.1:"
            + port
            + " SIP/2.0\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:"
            + peer.port()
            + ";branch=z9hG4bK-inv1\n"
            + "Max-Forwards: 70\n"
            + "From: <sip:1001@127.0.0.1>;tag=i1\n"
            + "To: <sip:alice@127.0.0.1>\n"
            + "Call-ID: inv-call-1\n"
            + "CSeq: 1 INVITE\n"
            + "Contact: <sip:1001@127.0.0.1:"
            + peer.port()
            + ">\n"
            + "Content-Type: application/sdp\n"
            + "Content-Length: 4\n\nv=0\n";
    RawSipPeer.Message challenge = send(invite);
    assertEquals(407, challenge.status());
    assertTrue(challenge.raw().contains("Proxy-Authenticate: Digest"), challenge.raw());
    assertTrue(invites.isEmpty(), "nothing reached core");
  }
}
