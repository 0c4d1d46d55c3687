package dev.tandem.sip.call;

import dev.tandem.core.sip.CallerId;
import dev.tandem.core.sip.TrunkIdentity.IdentityHeader;
import dev.tandem.sip.HostPort;
import dev.tandem.sip.stack.SipMessages;
import gov.nist.javax.sip.header.HeaderFactoryExt;
import java.text.ParseException;
import java.util.Optional;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.message.Request;

/**
 * Writes who calls into an outgoing INVITE, from core's {@link CallerId}: the From address, the
 * P-Asserted-Identity or P-Preferred-Identity header (RFC 3325 §9.1, §9.2) with the same address,
 * and for an anonymous caller the From of RFC 3323 §4.1.1.3 with {@code Privacy: id} (RFC 3325
 * §9.3). Display names are written as quoted strings with {@code "} and {@code \} escaped and
 * control characters dropped (RFC 3261 §25.1), so no name can break the header.
 */
final class CallerHeaders {
  /** RFC 3323 §4.1.1.3: the From of a caller who withholds its identity. */
  static final String ANONYMOUS_URI = "sip:anonymous@anonymous.invalid";

  static final String ANONYMOUS_NAME = "Anonymous";

  private final SipMessages messages;

  CallerHeaders(SipMessages messages) {
    this.messages = messages;
  }

  /**
   * The From address of {@code caller}; {@code local} (host:port of the listen point) is its domain
   * when it has none.
   */
  Address from(CallerId caller, HostPort local) throws ParseException {
    if (caller.anonymous()) {
      Address anonymous = messages.addresses().createAddress(ANONYMOUS_URI);
      anonymous.setDisplayName(ANONYMOUS_NAME);
      return anonymous;
    }
    return identity(caller, local);
  }

  /** Adds the identity header {@code caller} asks for, and {@code Privacy: id} when anonymous. */
  void addIdentity(Request request, CallerId caller, HostPort local) throws ParseException {
    HeaderFactoryExt headers = (HeaderFactoryExt) messages.headers();
    if (caller.header() == IdentityHeader.PAI) {
      request.addHeader(headers.createPAssertedIdentityHeader(identity(caller, local)));
    } else if (caller.header() == IdentityHeader.PPI) {
      request.addHeader(headers.createPPreferredIdentityHeader(identity(caller, local)));
    }
    if (caller.anonymous()) {
      request.addHeader(headers.createPrivacyHeader("id"));
    }
  }

  /** The caller's own address: {@code "display" <sip:user@domain>}. */
  private Address identity(CallerId caller, HostPort local) throws ParseException {
    SipURI uri =
        messages.addresses().createSipURI(caller.user(), caller.domain().orElse(local.toString()));
    Address address = messages.addresses().createAddress(uri);
    Optional<String> name =
        caller.displayName().map(CallerHeaders::quotable).filter(n -> !n.isBlank());
    if (name.isPresent()) {
      address.setDisplayName(name.get());
    }
    return address;
  }

  /**
   * {@code name} as the inside of a quoted-string: {@code "} and {@code \} escaped (JAIN-SIP puts
   * the display name between quotes as it is), control characters dropped.
   */
  static String quotable(String name) {
    StringBuilder text = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\') {
        text.append('\\').append(c);
      } else if (!Character.isISOControl(c)) {
        text.append(c);
      }
    }
    return text.toString().strip();
  }
}
