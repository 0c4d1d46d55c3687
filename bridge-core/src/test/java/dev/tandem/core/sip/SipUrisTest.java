package dev.tandem.core.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SipUrisTest {
  @Test
  void theUserPartOfSipAndSipsUrisWithOrWithoutBrackets() {
    assertEquals(Optional.of("1001"), SipUris.user("sip:1001@127.0.0.1:5060"));
    assertEquals(Optional.of("2000"), SipUris.user(" <sips:2000@pbx.example.com;transport=tls> "));
    assertEquals(Optional.empty(), SipUris.user("sip:pbx.example.com"));
    assertEquals(Optional.empty(), SipUris.user("sip:@pbx.example.com"));
    assertEquals(Optional.empty(), SipUris.user("tel:+4930123456"));
    assertEquals(Optional.empty(), SipUris.user("1002"));
  }

  @Test
  void theHostPartWithoutParametersOfAUriWithAUser() {
    assertEquals(Optional.of("pbx.test"), SipUris.host("sip:1003@pbx.test"));
    assertEquals(Optional.of("127.0.0.1:5060"), SipUris.host("<sip:1001@127.0.0.1:5060;lr>"));
    assertEquals(Optional.of("pbx.example.com"), SipUris.host("sips:2000@pbx.example.com?X=1"));
    assertEquals(Optional.empty(), SipUris.host("sip:pbx.example.com"));
    assertEquals(Optional.empty(), SipUris.host("tel:+4930123456"));
  }
}
