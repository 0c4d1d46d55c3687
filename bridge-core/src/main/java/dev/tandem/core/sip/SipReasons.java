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
 * nobody vouches for the source        403 Forbidden, with a Warning (InboundPolicy)
 * no such user (nor number in the table) 404 Not Found
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
      case BUSY, DECLINED -> BUSY_HERE;
      case NO_ANSWER -> NO_ANSWER;
      case NOT_FOUND -> NOT_FOUND;
      case FORBIDDEN -> FORBIDDEN;
      case SERVER_SHUTDOWN -> SERVICE_UNAVAILABLE;
      case FAILED -> SERVER_INTERNAL_ERROR;
      default -> TEMPORARILY_UNAVAILABLE;
    };
  }

  /**
   * The SIP status that tells a REFER's sender why the browser's call for it was refused (RFC 3515
   * NOTIFY sipfrag): a dial plan refusal is 403 or 404, too many calls 486, anything else 500.
   */
  public static Status refusal(dev.tandem.core.vocabulary.Refusal refusal) {
    return switch (refusal) {
      case FORBIDDEN -> FORBIDDEN;
      case NOT_FOUND -> NOT_FOUND;
      case TOO_MANY_CALLS -> BUSY_HERE;
      case UNAVAILABLE -> SERVICE_UNAVAILABLE;
      default -> SERVER_INTERNAL_ERROR;
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
    return DECLINE;
  }

  /**
   * Whether another destination of a group might do better than this failure (a timeout or a server
   * error: RFC 3261 §21.5; the called party's own 4xx/6xx is its answer everywhere).
   */
  public static boolean failsOver(int status) {
    return status == REQUEST_TIMEOUT.code || isServerFailure(status);
  }

  /** 6xx: the called party's answer for every location (RFC 3261 §21.6): a fork stops searching. */
  public static boolean isGlobalFailure(int status) {
    return status >= 600;
  }

  /** 5xx (RFC 3261 §21.5). */
  public static boolean isServerFailure(int status) {
    return status >= 500 && status < 600;
  }

  /**
   * How telling a fork's failure is (lower is better, RFC 3261 §16.7 step 6): a 6xx, else one that
   * says more than "nobody there" (408, 480, 5xx) — e.g. 486 — else the rest.
   */
  public static int forkRank(int status) {
    if (isGlobalFailure(status)) {
      return 0;
    }
    if (status == REQUEST_TIMEOUT.code
        || status == TEMPORARILY_UNAVAILABLE.code
        || status >= SERVER_INTERNAL_ERROR.code) {
      return 2;
    }
    return 1;
  }

  /** Whether a status is final (RFC 3261 §7.2: 2xx-6xx). */
  public static boolean isFinal(int status) {
    return status >= OK.code;
  }

  /** Whether a status is a success (2xx). */
  public static boolean isSuccess(int status) {
    return status >= OK.code && status < 300;
  }

  public static final Status TRYING = new Status(100, "Trying");
  public static final Status RINGING = new Status(180, "Ringing");
  public static final Status OK = new Status(200, "OK");
  public static final Status FORBIDDEN = new Status(403, "Forbidden");
  public static final Status NOT_FOUND = new Status(404, "Not Found");
  public static final Status REQUEST_TIMEOUT = new Status(408, "Request Timeout");
  public static final Status TEMPORARILY_UNAVAILABLE = new Status(480, "Temporarily Unavailable");
  public static final Status NO_ANSWER = new Status(480, "No Answer");
  public static final Status BUSY_HERE = new Status(486, "Busy Here");
  public static final Status NOT_ACCEPTABLE_HERE = new Status(488, "Not Acceptable Here");
  public static final Status REQUEST_TERMINATED = new Status(487, "Request Terminated");
  public static final Status REQUEST_PENDING = new Status(491, "Request Pending");
  public static final Status SERVER_INTERNAL_ERROR = new Status(500, "Server Internal Error");
  public static final Status SERVICE_UNAVAILABLE = new Status(503, "Service Unavailable");
  public static final Status DECLINE = new Status(603, "Decline");

  /** A SIP status code and reason phrase. */
  public record Status(int code, String phrase) {
    /** The same code with another reason phrase (a Warning-like detail for logs and peers). */
    public Status because(String why) {
      return new Status(code, why);
    }
  }
}
