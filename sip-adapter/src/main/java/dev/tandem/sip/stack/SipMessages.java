package dev.tandem.sip.stack;

import dev.tandem.sip.HostPort;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.sip.InvalidArgumentException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Builds the SIP messages the bridge sends, so that every response carries the same {@code Server}
 * header and a {@code To} tag where RFC 3261 requires one.
 */
public final class SipMessages {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MessageFactory messageFactory = new MessageFactoryImpl();
  private final HeaderFactory headerFactory = new HeaderFactoryImpl();
  private final AddressFactory addressFactory = new AddressFactoryImpl();
  private final String product;

  public SipMessages(String product) {
    this.product = product;
  }

  public HeaderFactory headers() {
    return headerFactory;
  }

  public AddressFactory addresses() {
    return addressFactory;
  }

  public MessageFactory requests() {
    return messageFactory;
  }

  /** The product name for {@code User-Agent} and {@code Server}. */
  public String product() {
    return product;
  }

  /**
   * A response with an explicit {@code To} tag, for every response of one dialog (RFC 3261
   * §12.1.1).
   */
  public Response response(Request request, int status, String toTag) {
    Response response = response(request, status);
    try {
      ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
      if (status > 100 && to != null) {
        to.setTag(toTag);
      }
    } catch (ParseException e) {
      throw new IllegalStateException("bad tag " + toTag, e);
    }
    return response;
  }

  /**
   * A response to {@code request} with the given status. RFC 3261 §8.2.6.2: a UAS adds a tag to the
   * {@code To} header of a response that does not have one (100 Trying excepted).
   */
  public Response response(Request request, int status) {
    try {
      Response response = messageFactory.createResponse(status, request);
      ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
      if (status > 100 && to != null && to.getTag() == null) {
        to.setTag(newTag());
      }
      response.setHeader(headerFactory.createServerHeader(List.of(product)));
      return response;
    } catch (ParseException e) {
      throw new IllegalStateException("cannot build a " + status + " response", e);
    }
  }

  /**
   * An error response that says why in a {@code Warning: 399 tandem "…"} (RFC 3261 §20.43), so that
   * the peer's log shows the reason and not only the code.
   */
  public Response refusal(Request request, int status, String why) {
    Response response = response(request, status);
    warn(response, why);
    return response;
  }

  /**
   * Adds {@code Warning: 399 tandem "why"} to {@code response}; a text the header cannot carry is
   * an {@link IllegalArgumentException}.
   */
  public void warn(Response response, String why) {
    try {
      response.addHeader(headerFactory.createWarningHeader("tandem", 399, why));
    } catch (ParseException | javax.sip.InvalidArgumentException e) {
      throw new IllegalArgumentException("bad warning text " + why, e);
    }
  }

  /** Sets {@code Allow} to the given methods (RFC 3261 §20.5). */
  public void allow(Response response, List<String> methods) {
    try {
      response.setHeader(headerFactory.createAllowHeader(String.join(", ", methods)));
    } catch (ParseException e) {
      throw new IllegalArgumentException("bad method list " + methods, e);
    }
  }

  /**
   * A fresh Call-ID (RFC 3261 §8.1.1.4): 128 random bits at the address the bridge writes toward
   * the peer ({@link Advertised}), never the listening wildcard JAIN-SIP's {@code getNewCallId}
   * would use.
   */
  public CallIdHeader newCallId(HostPort local) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    try {
      return headerFactory.createCallIdHeader(
          HexFormat.of().formatHex(bytes) + "@" + local.uriHost());
    } catch (ParseException e) {
      throw new IllegalStateException("bad Call-ID host " + local, e);
    }
  }

  /**
   * The Via of a request the bridge builds, sent by {@code local} (the advertised address) with
   * {@code rport} (RFC 3581 §3: a peer answers to the address and port the request came from, so
   * responses cross a NAT in front of the bridge). JAIN-SIP adds the branch when it sends.
   */
  public ViaHeader via(HostPort local, String transport) {
    try {
      ViaHeader via =
          headerFactory.createViaHeader(
              local.host(), local.port(), transport.toLowerCase(Locale.ROOT), null);
      via.setRPort();
      return via;
    } catch (ParseException | InvalidArgumentException e) {
      throw new IllegalStateException("bad Via sent-by " + local, e);
    }
  }

  /**
   * The bridge's Contact for {@code user} at {@code local} ({@code sip:user@host:port;transport=}).
   */
  public ContactHeader contact(String user, HostPort local, String transport) {
    try {
      SipURI uri = addressFactory.createSipURI(user, local.toString());
      uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
      return headerFactory.createContactHeader(addressFactory.createAddress(uri));
    } catch (ParseException e) {
      throw new IllegalStateException("bad Contact " + user + "@" + local, e);
    }
  }

  /** A fresh random tag for a {@code To} or {@code From} header (RFC 3261 §19.3). */
  public static String newTag() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
