package dev.tandem.sip.wire;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.LinkedList;
import javax.sip.ListeningPoint;
import javax.sip.SipStack;

/**
 * The stack's message processors: UDP is JAIN-SIP's receiver with one reused buffer ({@link
 * UdpProcessor}); TCP and TLS are JAIN-SIP's blocking processors (two threads per connection, at
 * most {@code sip.tcp.max-connections} accepted ones). Its NIO processors were tried and left: NIO
 * TCP loses the bridge's own outbound connections (the INVITE goes out on a second connection after
 * the first is dropped, so a TCP destination never answers on the one it reads), NIO TLS handshakes
 * after the send returns (a peer whose certificate fails times out instead of failing at once). Set
 * as {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}.
 */
public final class ProcessorFactory extends OIOMessageProcessorFactory {

  @Override
  public MessageProcessor createMessageProcessor(
      SIPTransactionStack stack, InetAddress address, int port, String transport)
      throws IOException {
    if (transport.equalsIgnoreCase(ListeningPoint.UDP)) {
      sendFromListeningSockets(stack);
      StackHooks hooks = StackHooks.of(((SipStack) stack).getStackName());
      return new UdpProcessor(address, stack, port, hooks.udpThreads());
    }
    return super.createMessageProcessor(stack, address, port, transport);
  }

  /**
   * What JAIN-SIP's own factories do when they make a UDP processor, and ours must too: turn on the
   * stack's flag (package-private) that makes UDP sends leave from the listen point's socket.
   * Without it every request goes out from a fresh socket, and a peer that answers where a request
   * came from (SIPp, any NAT, RFC 3581) is never heard.
   */
  private static void sendFromListeningSockets(SIPTransactionStack stack) {
    try {
      Field flag = SIPTransactionStack.class.getDeclaredField("udpFlag");
      flag.setAccessible(true);
      flag.setBoolean(stack, true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "this JAIN-SIP has no SIPTransactionStack.udpFlag: its UDP processor cannot be replaced",
          e);
    }
  }

  /**
   * JAIN-SIP's UDP processor with one receive buffer: JAIN-SIP's own allocates a new buffer of
   * {@code sip.max-message-size} (64 KiB) for every datagram it receives, which was most of what
   * the bridge allocated per call (8–10 datagrams a call: about 600 KB). This one receives into one
   * buffer and queues an exact copy of each datagram for JAIN-SIP's message threads, as JAIN-SIP's
   * does.
   */
  static final class UdpProcessor extends UDPMessageProcessor {
    private final int threads;

    UdpProcessor(InetAddress address, SIPTransactionStack stack, int port, int threads)
        throws IOException {
      super(address, stack, port);
      this.threads = threads;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
      messageChannels = new LinkedList<>();
      String name = ((SipStack) sipStack).getStackName() + "-UDPMessageChannelThread-";
      for (int i = 0; i < threads; i++) {
        // each channel runs a thread taking datagrams from messageQueue (JAIN-SIP's own design)
        messageChannels.add(new UDPMessageChannel(sipStack, this, name + i) {});
      }
      byte[] buffer = new byte[getMaximumMessageSize()];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      while (isRunning) {
        try {
          packet.setData(buffer);
          sock.receive(packet);
          byte[] exact = Arrays.copyOf(buffer, packet.getLength());
          messageQueue.offer(
              new DatagramQueuedMessageDispatch(
                  new DatagramPacket(exact, exact.length, packet.getSocketAddress()),
                  System.currentTimeMillis()));
        } catch (SocketException e) {
          if (!isRunning) {
            return; // stop() closed the socket
          }
        } catch (IOException e) {
          // a datagram that could not be read: the next one may be fine
        }
      }
    }
  }
}
