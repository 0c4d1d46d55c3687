package dev.tandem.sip.wire;

/**
 * What the SIP stack sends and receives, message by message, for counters (the metrics of
 * bridge-app bind it): every request by its method, every response by its status code and the
 * method of its CSeq, retransmissions included, as they cross the wire. Messages the parser refused
 * never get here ({@link WireLog} has those).
 *
 * <p>Called on JAIN-SIP's reader and sender threads, concurrently: implementations count and
 * return, never block, never throw. The method is the peer's token as received (unbounded: a
 * counter keyed by it must fold unknown methods into one value).
 */
public interface SipTraffic {
  /** Counts nothing. */
  SipTraffic NONE =
      new SipTraffic() {
        @Override
        public void request(String method, boolean sent) {}

        @Override
        public void response(String method, int status, boolean sent) {}
      };

  /** A request with {@code method}, {@code sent} by us or received. */
  void request(String method, boolean sent);

  /** A response with {@code status} to a {@code method} request, {@code sent} by us or received. */
  void response(String method, int status, boolean sent);
}
