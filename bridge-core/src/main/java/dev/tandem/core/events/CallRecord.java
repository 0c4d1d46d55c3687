package dev.tandem.core.events;

import dev.tandem.core.media.MediaStats;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One call as an operator sees it: who called whom and which way, when it was placed, rang, was
 * answered and ended, why it ended and with which SIP status, and what its media did. A record is
 * immutable; each {@link CallEvent} carries the record as it was at that moment, and the {@link
 * CallEvent.Ended} one is complete (the call-detail record).
 *
 * @param callId the bridge's call id (what browsers and logs name the call by)
 * @param sipCallId the SIP Call-ID of the call's SIP leg (for a call placed toward SIP, the first
 *     INVITE's); empty for a browser-to-browser call, or a call that ended before its INVITE went
 *     out
 * @param direction which way the call goes
 * @param from the caller: a browser user, or the SIP From (display name, else URI)
 * @param to the called party as dialled: a browser user, a number, a registrar account
 * @param destination for a call toward SIP, the destination it was routed to (a routing destination
 *     name, {@code phone <account>} for a registered phone); for a call from SIP, where it came
 *     from ({@code destination <name>}, {@code phone <account> ...}, {@code untrusted <address>
 *     ...}: see {@link dev.tandem.core.inbound.CallOrigin#describe}); empty browser to browser
 * @param invited when the bridge received the call (the browser's invite, the SIP INVITE)
 * @param ringing when the caller was first told the callee rings (180/183 from SIP, the bridge's
 *     180, or a browser callee alerted); empty when it never rang
 * @param answered when the call was connected end to end; empty when never answered
 * @param ended when the call ended; empty until it has
 * @param endReason why it ended, as the caller would be told ({@code hangup}: the caller hung up,
 *     {@code remote-hangup}: the callee did, {@code busy}, {@code no-answer}, ...); empty until it
 *     has
 * @param sipCode the final SIP status of the call's INVITE that the bridge received (toward SIP) or
 *     sent (from SIP): 200 when answered, else the error; empty browser to browser, or when no
 *     final response was seen (a call cancelled toward SIP)
 * @param media what the media did, once the backend reported it at the end; empty for calls whose
 *     media does not pass the bridge (browser to browser, SIP to SIP), and before the end
 */
public record CallRecord(
    CallId callId,
    Optional<String> sipCallId,
    Direction direction,
    String from,
    String to,
    Optional<String> destination,
    Instant invited,
    Optional<Instant> ringing,
    Optional<Instant> answered,
    Optional<Instant> ended,
    Optional<EndReason> endReason,
    OptionalInt sipCode,
    Optional<MediaStats> media) {

  public CallRecord {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(sipCallId, "sipCallId");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(invited, "invited");
    Objects.requireNonNull(ringing, "ringing");
    Objects.requireNonNull(answered, "answered");
    Objects.requireNonNull(ended, "ended");
    Objects.requireNonNull(endReason, "endReason");
    Objects.requireNonNull(sipCode, "sipCode");
    Objects.requireNonNull(media, "media");
  }

  /** A call just placed: nothing has happened yet but the invite. */
  public static CallRecord started(
      CallId callId,
      Optional<String> sipCallId,
      Direction direction,
      String from,
      String to,
      Optional<String> destination,
      Instant invited) {
    return new CallRecord(
        callId,
        sipCallId,
        direction,
        from,
        to,
        destination,
        invited,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty());
  }

  /** From the invite to the answer; empty for a call never answered. */
  public Optional<Duration> setupTime() {
    return answered.map(a -> Duration.between(invited, a));
  }

  /** From the answer to the end (the billable time); empty unless answered and ended. */
  public Optional<Duration> duration() {
    return answered.flatMap(a -> ended.map(e -> Duration.between(a, e)));
  }

  public CallRecord withSipCallId(Optional<String> id) {
    return new CallRecord(
        callId,
        id,
        direction,
        from,
        to,
        destination,
        invited,
        ringing,
        answered,
        ended,
        endReason,
        sipCode,
        media);
  }

  public CallRecord withRinging(Instant at) {
    return new CallRecord(
        callId,
        sipCallId,
        direction,
        from,
        to,
        destination,
        invited,
        Optional.of(at),
        answered,
        ended,
        endReason,
        sipCode,
        media);
  }

  public CallRecord withAnswered(Instant at) {
    return new CallRecord(
        callId,
        sipCallId,
        direction,
        from,
        to,
        destination,
        invited,
        ringing,
        Optional.of(at),
        ended,
        endReason,
        sipCode,
        media);
  }

  public CallRecord withSipCode(int code) {
    return new CallRecord(
        callId,
        sipCallId,
        direction,
        from,
        to,
        destination,
        invited,
        ringing,
        answered,
        ended,
        endReason,
        OptionalInt.of(code),
        media);
  }

  public CallRecord withEnd(Instant at, EndReason reason) {
    return new CallRecord(
        callId,
        sipCallId,
        direction,
        from,
        to,
        destination,
        invited,
        ringing,
        answered,
        Optional.of(at),
        Optional.of(reason),
        sipCode,
        media);
  }

  public CallRecord withMedia(MediaStats stats) {
    return new CallRecord(
        callId,
        sipCallId,
        direction,
        from,
        to,
        destination,
        invited,
        ringing,
        answered,
        ended,
        endReason,
        sipCode,
        Optional.of(stats));
  }

  /** Which way a call goes; {@link #wireName} is how records and metrics spell it. */
  public enum Direction {
    /** A browser user calls another; media peer to peer. */
    BROWSER_TO_BROWSER,
    /** A browser user calls out to SIP (a destination, a registered phone). */
    OUTBOUND,
    /** A SIP peer calls a browser user or ring group. */
    INBOUND,
    /** A registered phone calls another through the bridge (signaling only). */
    SIP_TO_SIP;

    /** {@code browser-to-browser}, {@code outbound}, {@code inbound}, {@code sip-to-sip}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
