package dev.tandem.sip.wire;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.NioMessageProcessorFactory;
import gov.nist.javax.sip.stack.NioTcpMessageChannel;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.Optional;
import javax.sip.ListeningPoint;
import javax.sip.SipStack;

/**
 * JAIN-SIP's NIO message processor for TCP (one selector thread per listen point, however many
 * connections) with every accepted connection passed through the stack's {@link ConnectionGuard},
 * and malformed stream messages logged as one {@link WireLog} line instead of JAIN-SIP's verbatim
 * ERROR. UDP is JAIN-SIP's receiver with one reused buffer ({@link UdpProcessor}); TLS JAIN-SIP's
 * blocking processor (see below). Set as {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}.
 */
public final class GuardedProcessorFactory extends NioMessageProcessorFactory {

  @Override
  public MessageProcessor createMessageProcessor(
      SIPTransactionStack stack, InetAddress address, int port, String transport)
      throws IOException {
    StackHooks hooks = StackHooks.of(((SipStack) stack).getStackName());
    if (transport.equalsIgnoreCase(ListeningPoint.TCP)) {
      // JAIN-SIP 1.3's NIO processor loses the bridge's own outbound TCP connections (an INVITE to
      // a TCP destination never reaches it: SipCallsAdapterTest.anInviteOverTcp..., BaresipCallE2E
      // with rtpengine's large SDP), so TCP stays on the blocking processors, capped by
      // MAX_CONNECTIONS, until that is solved; TcpProcessor and the ConnectionGuard wait for it.
      return new OIOMessageProcessorFactory()
          .createMessageProcessor(stack, address, port, transport);
    }
    if (transport.equalsIgnoreCase(ListeningPoint.TLS)) {
      // JAIN-SIP's NIO TLS handshakes after the send has returned, so a peer whose certificate
      // fails verification would time out (408) instead of failing the call at once: TLS stays
      // on the blocking processors (two threads per connection, capped by MAX_CONNECTIONS).
      return new OIOMessageProcessorFactory()
          .createMessageProcessor(stack, address, port, transport);
    }
    if (transport.equalsIgnoreCase(ListeningPoint.UDP)) {
      sendFromListeningSockets(stack);
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

  /** A message read whole from a stream: usable, or one WARN line and dropped. */
  private static boolean usable(SIPMessage message, WireLog wire, String peer, String transport) {
    if (message == null) {
      wire.malformed(peer, transport, "unparseable");
      return false;
    }
    Optional<String> missing = ScreeningParser.missingHeader(message);
    if (missing.isPresent()) {
      wire.malformed(
          peer,
          transport,
          "no "
              + missing.get()
              + " header in "
              + ScreeningParser.quote(message.getFirstLine().trim()));
      return false;
    }
    return true;
  }

  private static String peer(SocketChannel socket) {
    return socket.socket().getInetAddress().getHostAddress() + ":" + socket.socket().getPort();
  }

  static final class TcpProcessor extends NioTcpMessageProcessor {
    private final StackHooks hooks;

    TcpProcessor(InetAddress address, SIPTransactionStack stack, int port, StackHooks hooks) {
      super(address, stack, port);
      this.hooks = hooks;
    }

    @Override
    public NioTcpMessageChannel createMessageChannel(
        NioTcpMessageProcessor processor, SocketChannel socket) throws IOException {
      NioTcpMessageChannel known = nioHandler.getMessageChannel(socket);
      if (known != null) {
        return known;
      }
      if (socket.socket().getLocalPort() != getPort()) {
        // a connection the bridge opened itself (its local port is not the listen port): JAIN-SIP's
        // own channel; the guard counts only the connections it accepts
        return super.createMessageChannel(processor, socket);
      }
      ConnectionGuard.Connection connection = admit(hooks.guard(), socket, "tcp");
      try {
        TcpChannel channel = new TcpChannel(processor, socket, connection, hooks.wire());
        nioHandler.putMessageChannel(socket, channel);
        connection.attach(channel::close);
        return channel;
      } catch (IOException | RuntimeException e) {
        connection.closed();
        throw e;
      }
    }
  }

  /** Counts the connection, or closes it when a cap is reached. */
  private static ConnectionGuard.Connection admit(
      ConnectionGuard guard, SocketChannel socket, String transport) throws IOException {
    try {
      return guard.admit(socket.socket().getInetAddress(), socket.socket().getPort(), transport);
    } catch (ConnectionGuard.Refused e) {
      socket.close();
      throw e;
    }
  }

  /** An accepted TCP connection. */
  static final class TcpChannel extends NioTcpMessageChannel {
    private final ConnectionGuard.Connection connection;
    private final WireLog wire;
    private final String peer;

    TcpChannel(
        NioTcpMessageProcessor processor,
        SocketChannel socket,
        ConnectionGuard.Connection connection,
        WireLog wire)
        throws IOException {
      super(processor, socket);
      this.messageProcessor = processor;
      this.connection = connection;
      this.wire = wire;
      this.peer = peer(socket);
    }

    @Override
    protected void addBytes(byte[] bytes) throws Exception {
      connection.received(bytes);
      try {
        super.addBytes(bytes);
      } catch (Exception e) {
        wire.malformed(peer, "tcp", "unreadable stream (" + e + "), connection closed");
        throw e;
      }
    }

    @Override
    public void processMessage(SIPMessage message) throws Exception {
      connection.messageEnded();
      if (usable(message, wire, peer, "tcp")) {
        super.processMessage(message);
      }
    }

    @Override
    protected void close(boolean removeSocket, boolean stopKeepAliveTask) {
      try {
        super.close(removeSocket, stopKeepAliveTask);
      } finally {
        connection.closed();
      }
    }
  }
}
