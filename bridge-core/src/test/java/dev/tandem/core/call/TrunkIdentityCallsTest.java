package dev.tandem.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.UserProfile;
import dev.tandem.core.call.SipCallsTest.FakeMedia;
import dev.tandem.core.call.SipCallsTest.FakeSip;
import dev.tandem.core.call.SwitchboardTest.Tab;
import dev.tandem.core.dialplan.DialPlan;
import dev.tandem.core.dialplan.DialRule;
import dev.tandem.core.registrar.Directory;
import dev.tandem.core.sip.CallerId;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.DestinationHealth;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.SipIdentity;
import dev.tandem.core.sip.TrunkIdentity;
import dev.tandem.core.sip.TrunkIdentity.DisplayName;
import dev.tandem.core.sip.TrunkIdentity.FromUser;
import dev.tandem.core.sip.TrunkIdentity.IdentityHeader;
import dev.tandem.core.time.ManualScheduler;
import dev.tandem.core.vocabulary.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Who a browser user is toward each destination: the domain of the Request-URI, the From user,
 * display name and domain, the identity header and anonymous calls (TrunkIdentity, applied by the
 * Dialer).
 */
class TrunkIdentityCallsTest {
  private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  private final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeMedia media = new FakeMedia();
  private final FakeSip sip = new FakeSip();

  /** A carrier serving carrier.test: the user's number as From, the display name, PAI. */
  private final Destination carrier =
      new Destination(
          "carrier",
          "192.0.2.1",
          5080,
          Destination.Transport.UDP,
          Optional.empty(),
          Destination.DtmfMode.AUTO,
          Optional.of("carrier.test"),
          new TrunkIdentity(
              FromUser.NUMBER,
              Optional.empty(),
              DisplayName.USER,
              Optional.empty(),
              Optional.empty(),
              IdentityHeader.PAI,
              true));

  /** A PBX that gets the trunk's main number as From, under a fixed name, and no header. */
  private final Destination pbx =
      new Destination(
          "pbx",
          "192.0.2.2",
          5060,
          Destination.Transport.UDP,
          Optional.empty(),
          Destination.DtmfMode.AUTO,
          Optional.empty(),
          new TrunkIdentity(
              FromUser.FIXED,
              Optional.of("15550000000"),
              DisplayName.FIXED,
              Optional.of("Acme"),
              Optional.of("acme.test"),
              IdentityHeader.NONE,
              false));

  private final Switchboard board =
      new Switchboard(
          Runnable::run,
          clock,
          new SessionSettings(Duration.ofSeconds(30), 3, 16),
          new CallSettings(Duration.ofSeconds(60), 2, Duration.ofSeconds(30)),
          sdp -> Optional.empty(),
          Optional.of(
              new Bridging(
                  new DialPlan(
                      List.of(
                          new DialRule("national", Pattern.compile("[0-9]{7,15}"), "carrier"),
                          new DialRule("extensions", Pattern.compile("[0-9]{3}"), "pbx")),
                      Map.of("carrier", carrier, "pbx", pbx),
                      Map.of(),
                      Set.of("national", "extensions")),
                  media,
                  sip,
                  Directory.NONE,
                  (user, destination) ->
                      user.equals("dave") && destination.name().equals("carrier")
                          ? Optional.of(new SipIdentity("sip:1003@pbx.test", Optional.empty()))
                          : Optional.empty(),
                  DestinationHealth.ALL_UP)));

  @Test
  void aDestinationServingADomainGetsItInTheRequestUriWhileItsHostStaysTheNextHop() {
    OutboundInvite invite = placed(alice(), "5551234", false);
    assertThat(invite.requestUri()).isEqualTo("sip:5551234@carrier.test");
    assertThat(invite.destination().host()).isEqualTo("192.0.2.1");
    assertThat(invite.destination().port()).isEqualTo(5080);
  }

  @Test
  void theUsersOwnNumberAndDisplayNameGoInFromAndPaiInTheDestinationsDomain() {
    assertThat(placed(alice(), "5551234", false).from())
        .isEqualTo(
            new CallerId(
                Optional.of("Alice Smith"),
                "+15551230001",
                Optional.of("carrier.test"),
                IdentityHeader.PAI,
                false));
  }

  @Test
  void aFixedUserDisplayNameAndDomainAreUsedAsTheyAre() {
    assertThat(placed(alice(), "200", false).from())
        .isEqualTo(
            new CallerId(
                Optional.of("Acme"),
                "15550000000",
                Optional.of("acme.test"),
                IdentityHeader.NONE,
                false));
  }

  @Test
  void anAnonymousCallKeepsTheIdentityForTheHeaderAndSaysAnonymous() {
    CallerId from = placed(alice(), "5551234", true).from();
    assertThat(from.anonymous()).isTrue();
    assertThat(from.user()).isEqualTo("+15551230001");
    assertThat(from.header()).isEqualTo(IdentityHeader.PAI);
  }

  @Test
  void anAnonymousCallWhereTheDestinationDoesNotAllowItIsRefusedBeforeAnySip() {
    Outcome outcome = ask(alice(), "200", true);
    assertThat(outcome).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) outcome).refusal()).isEqualTo(Refusal.FORBIDDEN);
    assertThat(((Outcome.Refused) outcome).message()).contains("anonymous calls through pbx");
    assertThat(media.calls).isEmpty();
  }

  @Test
  void anAnonymousCallToABrowserUserIsRefused() {
    Outcome outcome = ask(alice(), "bob", true);
    assertThat(((Outcome.Refused) outcome).refusal()).isEqualTo(Refusal.FORBIDDEN);
  }

  @Test
  void aUserWithoutANumberCannotCallWhereItsNumberIsTheFrom() {
    Outcome outcome = ask(open(UserProfile.of("bob")), "5551234", false);
    assertThat(((Outcome.Refused) outcome).refusal()).isEqualTo(Refusal.FORBIDDEN);
    assertThat(((Outcome.Refused) outcome).message()).contains("bob has no number");
  }

  @Test
  void anUpstreamAddressOfRecordWinsOverTheConfiguredUserAndDomain() {
    CallerId from =
        placed(
                open(new UserProfile("dave", Optional.of("Dave"), Optional.of("+15551230004"))),
                "5551234",
                false)
            .from();
    assertThat(from.user()).isEqualTo("1003");
    assertThat(from.domain()).contains("pbx.test");
    assertThat(from.displayName()).contains("Dave");
  }

  private Tab alice() {
    return open(new UserProfile("alice", Optional.of("Alice Smith"), Optional.of("+15551230001")));
  }

  private Tab open(UserProfile profile) {
    Tab tab = new Tab();
    java.util.concurrent.CompletableFuture<SessionOutcome> opened =
        new java.util.concurrent.CompletableFuture<>();
    board.open(profile, tab, opened::complete);
    tab.id = ((SessionOutcome.Opened) opened.join()).sessionId();
    return tab;
  }

  private Outcome ask(Tab tab, String to, boolean anonymous) {
    return board
        .request(tab.id, new BrowserRequest.Invite(to, OFFER, Optional.empty(), anonymous))
        .join();
  }

  private OutboundInvite placed(Tab tab, String to, boolean anonymous) {
    assertThat(ask(tab, to, anonymous)).isInstanceOf(Outcome.CallPlaced.class);
    media.complete(media.results.size() - 1, "plain-offer");
    assertThat(sip.invites).isNotEmpty();
    return sip.invites.get(sip.invites.size() - 1);
  }
}
