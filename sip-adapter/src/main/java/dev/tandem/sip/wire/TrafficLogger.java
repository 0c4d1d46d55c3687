package dev.tandem.sip.wire;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.Properties;
import javax.sip.SipStack;
import javax.sip.header.CSeqHeader;

/**
 * JAIN-SIP's message logger ({@code gov.nist.javax.sip.SERVER_LOGGER}): the one place the stack
 * reports each message it sends (retransmissions too) and each one it has parsed, whatever
 * transport and whichever part of Tandem sent it, including the responses the stack sends on its
 * own (100 Trying, 481). Here they are counted through the stack's {@link SipTraffic}, never
 * written out: {@link JainSipLogger} lets JAIN-SIP call this only while some stack has an observer.
 *
 * <p>Built by JAIN-SIP with the no-argument constructor, one per stack; called on its threads.
 */
public final class TrafficLogger implements ServerLogger {
  private volatile SipTraffic traffic = SipTraffic.NONE;

  @Override
  public void setStackProperties(Properties properties) {
    String stack = properties.getProperty("javax.sip.STACK_NAME");
    if (stack != null) {
      traffic = StackHooks.of(stack).traffic();
    }
  }

  @Override
  public void setSipStack(SipStack sipStack) {
    // the properties name the stack
  }

  @Override
  public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
    count(message, sender);
  }

  @Override
  public void logMessage(
      SIPMessage message, String from, String to, String status, boolean sender, long time) {
    count(message, sender);
  }

  @Override
  public void logMessage(
      SIPMessage message, String from, String to, String status, boolean sender) {
    count(message, sender);
  }

  private void count(SIPMessage message, boolean sent) {
    if (message instanceof SIPRequest request) {
      traffic.request(request.getMethod(), sent);
    } else if (message instanceof SIPResponse response) {
      CSeqHeader cseq = response.getCSeq();
      traffic.response(cseq == null ? "" : cseq.getMethod(), response.getStatusCode(), sent);
    }
  }

  @Override
  public void logException(Exception ex) {
    // JAIN-SIP's exceptions reach JainSipLogger
  }

  @Override
  public void closeLogFile() {
    // nothing written
  }
}
