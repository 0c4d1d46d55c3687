package dev.tandem.sip.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.sip.CallerId;
import dev.tandem.core.sip.TrunkIdentity.IdentityHeader;
import dev.tandem.sip.stack.SipMessages;
import java.util.List;
import java.util.Optional;
import javax.sip.address.Address;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** The From, P-Asserted-Identity / P-Preferred-Identity and Privacy headers of an INVITE. */
class CallerHeadersTest {
  private static final dev.tandem.sip.HostPort LOCAL =
      new dev.tandem.sip.HostPort("127.0.0.1", 5060);

  private final SipMessages messages = new SipMessages("test");
  private final CallerHeaders headers = new CallerHeaders(messages);

  @Test
  void theDefaultIsTheUserAtTheBridgesAddressWithoutMore() throws Exception {
    Request invite = invite(CallerId.of("alice"));
    assertThat(invite.getHeader("From").toString()).startsWith("From: <sip:alice@127.0.0.1:5060>");
    assertThat(invite.getHeader("P-Asserted-Identity")).isNull();
    assertThat(invite.getHeader("Privacy")).isNull();
  }

  @Test
  void aNumberWithDisplayNameAndDomainIsAssertedWithTheSameAddress() throws Exception {
    Request invite =
        invite(
            new CallerId(
                Optional.of("Alice Smith"),
                "+15551230001",
                Optional.of("carrier.test"),
                IdentityHeader.PAI,
                false));
    assertThat(invite.getHeader("From").toString())
        .startsWith("From: \"Alice Smith\" <sip:+15551230001@carrier.test>");
    assertThat(invite.getHeader("P-Asserted-Identity").toString().strip())
        .isEqualTo("P-Asserted-Identity: \"Alice Smith\" <sip:+15551230001@carrier.test>");
    assertThat(invite.getHeader("P-Preferred-Identity")).isNull();
    assertThat(invite.getHeader("Privacy")).isNull();
  }

  @Test
  void ppiIsThePreferredIdentityInsteadOfTheAssertedOne() throws Exception {
    Request invite =
        invite(
            new CallerId(Optional.empty(), "acct1", Optional.empty(), IdentityHeader.PPI, false));
    assertThat(invite.getHeader("P-Preferred-Identity").toString().strip())
        .isEqualTo("P-Preferred-Identity: <sip:acct1@127.0.0.1:5060>");
    assertThat(invite.getHeader("P-Asserted-Identity")).isNull();
  }

  @Test
  void anAnonymousCallerHidesInFromAndAsksForPrivacyOfTheAssertedIdentity() throws Exception {
    Request invite =
        invite(
            new CallerId(
                Optional.of("Alice Smith"),
                "+15551230001",
                Optional.of("carrier.test"),
                IdentityHeader.PAI,
                true));
    assertThat(invite.getHeader("From").toString())
        .startsWith("From: \"Anonymous\" <sip:anonymous@anonymous.invalid>")
        .doesNotContain("5551230001")
        .doesNotContain("Alice");
    assertThat(invite.getHeader("P-Asserted-Identity").toString())
        .contains("<sip:+15551230001@carrier.test>");
    assertThat(invite.getHeader("Privacy").toString().strip()).isEqualTo("Privacy: id");
  }

  @Test
  void aDisplayNameCannotBreakOutOfItsQuotes() throws Exception {
    Request invite =
        invite(
            new CallerId(
                Optional.of("Eve\" <sip:boss@x>\r\nX-Evil: 1 \\"),
                "eve",
                Optional.empty(),
                IdentityHeader.PAI,
                false));
    String from = invite.getHeader("From").toString();
    assertThat(from).startsWith("From: \"Eve\\\" <sip:boss@x>X-Evil: 1 \\\\\" <sip:eve@");
    assertThat(invite.toString()).doesNotContain("\r\nX-Evil");
    // the header parses back to the same display name
    Address parsed =
        ((FromHeader) messages.headers().createHeader("From", from.substring(6).strip()))
            .getAddress();
    assertThat(parsed.getURI().toString()).startsWith("sip:eve@127.0.0.1");
  }

  private Request invite(CallerId caller) throws Exception {
    var h = messages.headers();
    Request request =
        messages
            .requests()
            .createRequest(
                messages.addresses().createURI("sip:5551234@carrier.test"),
                Request.INVITE,
                h.createCallIdHeader("c1"),
                h.createCSeqHeader(1L, Request.INVITE),
                h.createFromHeader(headers.from(caller, LOCAL), "tag1"),
                h.createToHeader(
                    messages.addresses().createAddress("sip:5551234@carrier.test"), null),
                List.of(h.createViaHeader("127.0.0.1", 5060, "udp", null)),
                h.createMaxForwardsHeader(70));
    headers.addIdentity(request, caller, LOCAL);
    return request;
  }
}
