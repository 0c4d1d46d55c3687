package dev.tandem.sip.stack;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;

/** Handles the requests of one SIP method, each in its own server transaction. */
public interface RequestHandler {

  /** The SIP method this handler answers, e.g. {@code OPTIONS}. */
  String method();

  /**
   * Answers one request. Called on a JAIN-SIP thread; must not block.
   *
   * @param transaction the server transaction the response goes through; null only for an ACK (a
   *     2xx's ACK has no transaction and gets no response, RFC 3261 §17.1.1.3)
   */
  void handle(RequestEvent event, ServerTransaction transaction) throws Exception;
}
