package dev.tandem.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.media.stun.Rfc5769;
import dev.tandem.media.stun.Stun;
import dev.tandem.media.stun.StunMessage;
import dev.tandem.media.stun.StunWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IceLiteAgentTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  // RFC 5769 §2.1: USERNAME "evtj:h6vY" is <receiver ufrag>:<sender ufrag>, keyed with the
  // receiver's password
  private final IceLiteAgent agent = new IceLiteAgent("evtj", Rfc5769.PASSWORD, now::get);
  private final InetSocketAddress browser = new InetSocketAddress("192.0.2.1", 32853);

  private IceLiteAgent.Outcome check(byte[] request, InetSocketAddress from) {
    return agent.onStun(request, 0, request.length, from);
  }

  private static byte[] request(String username, String password, boolean useCandidate) {
    StunWriter w =
        new StunWriter(Stun.BINDING_REQUEST, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
            .attribute(Stun.USERNAME, username.getBytes(StandardCharsets.UTF_8))
            .attribute(Stun.PRIORITY, new byte[] {0x6e, 0, 1, (byte) 0xff});
    if (useCandidate) {
      w.attribute(Stun.USE_CANDIDATE, new byte[0]);
    }
    return w.messageIntegrity(password.getBytes(StandardCharsets.UTF_8)).fingerprintAndBuild();
  }

  @Test
  void answersTheRfc5769RequestWithAnAuthenticatedXorMappedAddress() throws Exception {
    agent.remoteCredentials("h6vY");
    IceLiteAgent.Outcome outcome = check(Rfc5769.REQUEST, browser);
    assertThat(outcome).isInstanceOf(IceLiteAgent.Outcome.Respond.class);
    byte[] response = ((IceLiteAgent.Outcome.Respond) outcome).response();
    StunMessage parsed = StunMessage.parse(response, 0, response.length);
    assertThat(parsed.type()).isEqualTo(Stun.BINDING_SUCCESS);
    assertThat(parsed.transactionId())
        .isEqualTo(StunMessage.parse(Rfc5769.REQUEST, 0, Rfc5769.REQUEST.length).transactionId());
    assertThat(parsed.xorMappedAddress()).contains(browser);
    assertThat(parsed.integrityMatches(Rfc5769.PASSWORD.getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(parsed.fingerprintMatches()).isTrue();
    assertThat(agent.mediaAddress()).contains(browser);
  }

  @Test
  void refusesWrongCredentialsWith401AndMissingOnesWith400() throws Exception {
    byte[] tampered = Rfc5769.REQUEST.clone();
    tampered[47] ^= 1; // PRIORITY changed after signing; FINGERPRINT no longer matches either
    assertThat(check(tampered, browser)).isInstanceOf(IceLiteAgent.Outcome.Drop.class);

    assertThat(errorCode(check(request("evtj:h6vY", "not-the-password-at-all", false), browser)))
        .isEqualTo(401);
    assertThat(errorCode(check(request("other:h6vY", Rfc5769.PASSWORD, false), browser)))
        .isEqualTo(401);
    agent.remoteCredentials("h6vY");
    assertThat(errorCode(check(request("evtj:stale", Rfc5769.PASSWORD, false), browser)))
        .as("a check from an old ICE generation")
        .isEqualTo(401);
    byte[] anonymous = new StunWriter(Stun.BINDING_REQUEST, new byte[12]).fingerprintAndBuild();
    assertThat(errorCode(check(anonymous, browser))).isEqualTo(400);
    assertThat(agent.mediaAddress()).as("nothing verified, no media").isEmpty();
  }

  private static int errorCode(IceLiteAgent.Outcome outcome) throws Exception {
    assertThat(outcome).isInstanceOf(IceLiteAgent.Outcome.Refuse.class);
    byte[] response = ((IceLiteAgent.Outcome.Refuse) outcome).response();
    StunMessage error = StunMessage.parse(response, 0, response.length);
    assertThat(error.type()).isEqualTo(Stun.BINDING_ERROR);
    assertThat(error.fingerprintMatches()).isTrue();
    byte[] v = error.attribute(Stun.ERROR_CODE).orElseThrow().value();
    return (v[2] & 7) * 100 + (v[3] & 0xff);
  }

  @Test
  void theNominatedAddressCarriesTheMediaAndConsentExpiresWithoutChecks() {
    InetSocketAddress first = new InetSocketAddress("10.0.0.2", 50000);
    assertThat(agent.consentExpired()).isTrue();
    check(request("evtj:h6vY", Rfc5769.PASSWORD, false), first);
    assertThat(agent.mediaAddress()).contains(first);
    IceLiteAgent.Outcome nominated = check(request("evtj:h6vY", Rfc5769.PASSWORD, true), browser);
    assertThat(((IceLiteAgent.Outcome.Respond) nominated).nominated()).isTrue();
    assertThat(agent.mediaAddress()).contains(browser);
    assertThat(agent.isVerified(browser)).isTrue();
    assertThat(agent.isVerified(new InetSocketAddress("198.51.100.9", 4000))).isFalse();
    assertThat(agent.consentExpired()).isFalse();
    now.set(now.get().plus(Duration.ofSeconds(31)));
    assertThat(agent.consentExpired()).as("RFC 7675: 30 s without a check").isTrue();
    check(request("evtj:h6vY", Rfc5769.PASSWORD, false), browser);
    assertThat(agent.consentExpired()).isFalse();
  }

  @Test
  void keepalivesAndResponsesAreDroppedNotAnswered() {
    byte[] indication = new StunWriter(Stun.BINDING_INDICATION, new byte[12]).fingerprintAndBuild();
    assertThat(check(indication, browser)).isInstanceOf(IceLiteAgent.Outcome.Drop.class);
    assertThat(check(Rfc5769.IPV4_RESPONSE, browser)).isInstanceOf(IceLiteAgent.Outcome.Drop.class);
    assertThat(check(new byte[] {0, 1, 0, 0}, browser))
        .isInstanceOf(IceLiteAgent.Outcome.Drop.class);
  }
}
