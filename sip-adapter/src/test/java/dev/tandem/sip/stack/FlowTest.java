package dev.tandem.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sip.SipTransport;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.util.Optional;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** When a peer counts as behind NAT, so that requests in its dialog go where it sends from. */
class FlowTest {
  private static Request invite(String contact, String via) throws Exception {
    String text =
        "INVITE sip:bob@192.0.2.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP "
            + via
            + ";branch=z9hG4bK-1\r\n"
            + "From: <sip:pat@example.com>;tag=a\r\n"
            + "To: <sip:bob@192.0.2.1>\r\n"
            + "Call-ID: c1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <"
            + contact
            + ">\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Length: 0\r\n\r\n";
    return (Request) new StringMsgParser().parseSIPMessage(text.getBytes(), true, false, null);
  }

  private static Optional<Flow> flow(String contact, String via, String host, int port)
      throws Exception {
    return Flow.ofRequest(invite(contact, via), host, port, SipTransport.UDP);
  }

  @Test
  void aPhoneWritingAPrivateAddressBehindAPublicOneIsBehindNat() throws Exception {
    assertThat(flow("sip:pat@192.168.1.20:5060", "192.168.1.20:5060", "203.0.113.9", 40000))
        .contains(new Flow("203.0.113.9", 40000, SipTransport.UDP));
    assertThat(flow("sip:pat@100.64.3.4", "100.64.3.4", "203.0.113.9", 5060)).isPresent();
    assertThat(flow("sip:pat@[fd00::4]:5060", "[fd00::4]:5060", "2001:db8::9", 5060))
        .contains(new Flow("2001:db8::9", 5060, SipTransport.UDP));
  }

  @Test
  void aPhoneWritingItsOwnViaAddressButSendingFromAnotherPortIsBehindNat() throws Exception {
    // a public address learnt by STUN, but a symmetric NAT maps another port
    assertThat(flow("sip:pat@198.51.100.7:5060", "198.51.100.7:5060", "198.51.100.7", 61000))
        .contains(new Flow("198.51.100.7", 61000, SipTransport.UDP));
  }

  @Test
  void aContactWhereThePeerSendsFromOrAnotherPublicHostIsLeftAlone() throws Exception {
    assertThat(flow("sip:pat@198.51.100.7:5060", "198.51.100.7:5060", "198.51.100.7", 5060))
        .isEmpty();
    // a proxy that did not Record-Route: its Via, the UA's Contact
    assertThat(flow("sip:pat@198.51.100.50:5060", "198.51.100.7:5060", "198.51.100.7", 5060))
        .isEmpty();
    // a private network without NAT: the private Contact is the source's own address
    assertThat(flow("sip:pat@10.0.0.5:5062", "10.0.0.5:5060", "10.0.0.5", 5060)).isEmpty();
  }
}
