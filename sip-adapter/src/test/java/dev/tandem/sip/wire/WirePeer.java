package dev.tandem.sip.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw SIP bytes to a stack on loopback over UDP or TCP, and the answer as text: what a torture test
 * (RFC 4475) needs, since a SIP library would refuse to send such messages.
 */
public final class WirePeer implements AutoCloseable {
  private static final Pattern CONTENT_LENGTH =
      Pattern.compile("(?im)^(?:content-length|l)\\s*:\\s*(\\d+)");

  public enum Transport {
    UDP,
    TCP
  }

  private final Transport transport;
  private final int port;
  private final DatagramSocket udp;
  private final Socket tcp;

  public WirePeer(Transport transport, int port) throws IOException {
    this.transport = transport;
    this.port = port;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    if (transport == Transport.UDP) {
      udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
      udp.setSoTimeout(3000);
      tcp = null;
    } else {
      tcp = new Socket(loopback, port);
      tcp.setSoTimeout(3000);
      udp = null;
    }
  }

  public int localPort() {
    return transport == Transport.UDP ? udp.getLocalPort() : tcp.getLocalPort();
  }

  /** The Via transport token: {@code UDP} or {@code TCP}. */
  public String via() {
    return transport.name();
  }

  /** Sends {@code text} as is (line ends as written). */
  public void send(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (transport == Transport.UDP) {
      udp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    } else {
      tcp.getOutputStream().write(bytes);
      tcp.getOutputStream().flush();
    }
  }

  /** The next message, or null when none arrives within {@code millis}. */
  public String receive(int millis) throws IOException {
    try {
      if (transport == Transport.UDP) {
        udp.setSoTimeout(millis);
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.receive(packet);
        return new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
      }
      tcp.setSoTimeout(millis);
      return readStreamMessage(tcp.getInputStream());
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private static String readStreamMessage(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.UTF_8);
    Matcher length = CONTENT_LENGTH.matcher(text);
    int body = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return text + new String(in.readNBytes(body), StandardCharsets.UTF_8);
  }

  /** The status code of a response's status line. */
  public static int status(String response) {
    return Integer.parseInt(response.substring(8, 11));
  }

  @Override
  public void close() throws IOException {
    if (udp != null) {
      udp.close();
    }
    if (tcp != null) {
      tcp.close();
    }
  }
}
