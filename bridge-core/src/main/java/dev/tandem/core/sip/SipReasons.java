package dev.tandem.core.sip;

import dev.tandem.core.vocabulary.EndReason;

/**
 * The one table between SIP status codes and the end reasons a browser is told (docs/sip.md).
 *
 * <pre>
 * SIP final response to our INVITE     browser's ended.reason
 * 486 Busy Here, 600 Busy Everywhere   busy
 * 603 Decline                          declined
 * 404 Not Found, 604 Does Not Exist    not-found
 * 401/403/407 (credentials refused)    forbidden
 * 480 Temporarily Unavailable          unavailable
 * 408 Request Timeout                  no-answer
 * 487 Request Terminated               cancelled
 * anything else 3xx-6xx                failed (with sipCode and sipReason)
 *
 * why core ends an inbound INVITE      SIP response sent
 * every ringing browser said busy      486 Busy Here
 * every ringing browser declined       486 Busy Here (the rule: one code for "not now")
 * the user has no connected browser    480 Temporarily Unavailable
 * nobody answered in time              480 Temporarily Unavailable ("No Answer")
 * the SDP cannot be used               488 Not Acceptable Here
 * the media backend failed             503 Service Unavailable
 * the bridge is stopping               503 Service Unavailable
 * the user is in too many calls        486 Busy Here
 *
 * a REFER the bridge does not follow   final NOTIFY 603 Decline (see referDeclined)
 * </pre>
 */
public final class SipReasons {
  private SipReasons() {}

  /** The end reason for a final non-2xx response to an INVITE the bridge sent. */
  public static EndReason endReason(int status) {
    return switch (status) {
      case 486, 600 -> EndReason.BUSY;
      case 603 -> EndReason.DECLINED;
      case 404, 604 -> EndReason.NOT_FOUND;
      case 401, 403, 407 -> EndReason.FORBIDDEN;
      case 480 -> EndReason.UNAVAILABLE;
      case 408 -> EndReason.NO_ANSWER;
      case 487 -> EndReason.CANCELLED;
      default -> EndReason.FAILED;
    };
  }

  /** The final response for an inbound INVITE that core ends for {@code reason}. */
  public static Status rejection(EndReason reason) {
    return switch (reason) {
      case BUSY, DECLINED -> new Status(486, "Busy Here");
      case NO_ANSWER -> new Status(480, "No Answer");
      case NOT_FOUND -> new Status(404, "Not Found");
      case FORBIDDEN -> new Status(403, "Forbidden");
      case SERVER_SHUTDOWN -> new Status(503, "Service Unavailable");
      case FAILED -> new Status(500, "Server Internal Error");
      default -> new Status(480, "Temporarily Unavailable");
    };
  }

  /**
   * The SIP status that tells a REFER's sender why the browser's call for it was refused (RFC 3515
   * NOTIFY sipfrag): a dial plan refusal is 403 or 404, too many calls 486, anything else 500.
   */
  public static Status refusal(dev.tandem.core.vocabulary.Refusal refusal) {
    return switch (refusal) {
      case FORBIDDEN -> new Status(403, "Forbidden");
      case NOT_FOUND -> new Status(404, "Not Found");
      case TOO_MANY_CALLS -> new Status(486, "Busy Here");
      case UNAVAILABLE -> new Status(503, "Service Unavailable");
      default -> new Status(500, "Server Internal Error");
    };
  }

  /**
   * The final NOTIFY (sipfrag) for a REFER the adapter already accepted (202, NOTIFY 100) that the
   * bridge does not follow: between two registered phones (the bridge does not transfer
   * phone-to-phone calls itself: it is a signaling-only B2BUA there and places no call of its own),
   * or in a call with no browser ready to follow it (not answered yet, or over). RFC 3515 §2.4.5
   * wants a final sipfrag to end the implicit subscription; 603 Decline says the recipient will not
   * make the call, as a transferee that declines does (RFC 5589 §7.1), and not that the target
   * failed.
   */
  public static Status referDeclined() {
    return new Status(603, "Decline");
  }

  /** A SIP status code and reason phrase. */
  public record Status(int code, String phrase) {}
}
