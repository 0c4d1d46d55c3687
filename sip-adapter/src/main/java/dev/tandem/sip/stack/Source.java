package dev.tandem.sip.stack;

import dev.tandem.sip.HostPort;
import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import javax.sip.RequestEvent;

/**
 * Where a request came from: the source address and port of its packet (or of its TCP/TLS
 * connection), which behind NAT is the NAT's mapping. Not {@link RequestEventExt#getRemotePort()},
 * which JAIN-SIP takes from the Via sent-by: a phone behind NAT writes its private port there.
 */
public final class Source {
  private Source() {}

  /** The source of {@code event}'s request. */
  public static HostPort of(RequestEvent event) {
    if (event.getRequest() instanceof SIPMessage message) {
      InetAddress address = message.getPeerPacketSourceAddress();
      int port = message.getPeerPacketSourcePort();
      if (address != null && port > 0) {
        return HostPort.of(address, port);
      }
    }
    RequestEventExt ext = (RequestEventExt) event;
    return new HostPort(ext.getRemoteIpAddress(), ext.getRemotePort());
  }
}
