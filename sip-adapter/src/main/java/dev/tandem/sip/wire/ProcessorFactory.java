package dev.tandem.sip.wire;

import dev.tandem.sip.HostPort;
import dev.tandem.sip.stack.Advertised;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.TCPMessageProcessor;
import gov.nist.javax.sip.stack.TLSMessageProcessor;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.Optional;
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
 *
 * <p>Each processor makes the Via that JAIN-SIP puts on requests it builds itself (in-dialog
 * requests, PRACK): with the listen point's advertised address ({@link Advertised}) and {@code
 * rport} (RFC 3581), never the wildcard the socket is bound to.
 */
public final class ProcessorFactory extends OIOMessageProcessorFactory {

  @Override
  public MessageProcessor createMessageProcessor(
      SIPTransactionStack stack, InetAddress address, int port, String transport)
      throws IOException {
    StackHooks hooks = StackHooks.of(((SipStack) stack).getStackName());
    if (transport.equalsIgnoreCase(ListeningPoint.UDP)) {
      sendFromListeningSockets(stack);
      return new UdpProcessor(address, stack, port, hooks.udpThreads(), hooks.advertised());
    }
    if (transport.equalsIgnoreCase(ListeningPoint.TCP)) {
      return new TcpProcessor(address, stack, port, hooks.advertised());
    }
    if (transport.equalsIgnoreCase(ListeningPoint.TLS)) {
      return new TlsProcessor(address, stack, port, hooks.advertised());
    }
    return super.createMessageProcessor(stack, address, port, transport);
  }

  /** {@code via} (JAIN-SIP's, with the bound address) with the advertised sent-by and rport. */
  static Via advertisedVia(MessageProcessor processor, Via via, Advertised advertised) {
    Optional<HostPort> sentBy =
        advertised.ofProcessor(
            processor.getTransport(), processor.getIpAddress(), processor.getPort());
    try {
      if (sentBy.isPresent()) {
        via.setHost(sentBy.get().host());
        via.setPort(sentBy.get().port());
      }
      via.setRPort();
    } catch (ParseException | javax.sip.InvalidArgumentException e) {
      throw new IllegalStateException("cannot write the Via sent-by " + sentBy, e);
    }
    return via;
  }

  /** JAIN-SIP's TCP processor whose own Vias carry the advertised address. */
  static final class TcpProcessor extends TCPMessageProcessor {
    private final Advertised advertised;

    TcpProcessor(InetAddress address, SIPTransactionStack stack, int port, Advertised advertised) {
      super(address, stack, port);
      this.advertised = advertised;
    }

    @Override
    public Via getViaHeader() {
      return advertisedVia(this, super.getViaHeader(), advertised);
    }
  }

  /** JAIN-SIP's TLS processor whose own Vias carry the advertised address. */
  static final class TlsProcessor extends TLSMessageProcessor {
    private final Advertised advertised;

    TlsProcessor(InetAddress address, SIPTransactionStack stack, int port, Advertised advertised) {
      super(address, stack, port);
      this.advertised = advertised;
    }

    @Override
    public Via getViaHeader() {
      return advertisedVia(this, super.getViaHeader(), advertised);
    }
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
    private final Advertised advertised;

    UdpProcessor(
        InetAddress address,
        SIPTransactionStack stack,
        int port,
        int threads,
        Advertised advertised)
        throws IOException {
      super(address, stack, port);
      this.threads = threads;
      this.advertised = advertised;
    }

    @Override
    public Via getViaHeader() {
      return advertisedVia(this, super.getViaHeader(), advertised);
    }

    /**
     * Starts the receiving thread, then the message threads: here and not in {@link #run} (where
     * JAIN-SIP's own makes them), so that a {@link #stop} right after start finds them.
     */
    @Override
    @SuppressWarnings("unchecked")
    public void start() throws IOException {
      super.start();
      LinkedList<UDPMessageChannel> channels = new LinkedList<>();
      String name = ((SipStack) sipStack).getStackName() + "-UDPMessageChannelThread-";
      for (int i = 0; i < threads; i++) {
        // each channel runs a thread taking datagrams from messageQueue (JAIN-SIP's own design)
        channels.add(new UDPMessageChannel(sipStack, this, name + i) {});
      }
      messageChannels = channels;
    }

    @Override
    public void run() {
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
