package dev.tandem.sip.call;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SIP peer for unit tests that speaks raw text over UDP on loopback: it sends what the test
 * writes and hands back what arrives, so the test sees the bytes JAIN-SIP really sent. (The
 * end-to-end suite uses SIPp and baresip.)
 */
final class RawSipPeer implements AutoCloseable {
  final DatagramSocket socket;

  /** One SIP message as received: first line, headers (first value of each), body. */
  record Message(String firstLine, Map<String, String> headers, String body, String raw) {
    boolean isResponse() {
      return firstLine.startsWith("SIP/2.0 ");
    }

    int status() {
      return Integer.parseInt(firstLine.substring(8, 11));
    }

    String method() {
      return isResponse()
          ? header("CSeq").split(" ")[1]
          : firstLine.substring(0, firstLine.indexOf(' '));
    }

    String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }

    String toTag() {
      String to = header("To");
      int i = to.indexOf(";tag=");
      return i < 0 ? null : to.substring(i + 5).split(";")[0];
    }
  }

  RawSipPeer() throws IOException {
    this(InetAddress.getLoopbackAddress());
  }

  /** A peer on {@code address} (::1 for SIP over IPv6). */
  RawSipPeer(InetAddress address) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(address, 0));
    socket.setSoTimeout(5000);
  }

  int port() {
    return socket.getLocalPort();
  }

  void send(String message, int toPort) throws IOException {
    send(message, socket.getLocalAddress(), toPort);
  }

  void send(String message, InetAddress to, int toPort) throws IOException {
    byte[] bytes =
        message.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, to, toPort));
  }

  private volatile int lastSourcePort;

  /** The port the last message received came from. */
  int lastSourcePort() {
    return lastSourcePort;
  }

  /** The next message, skipping retransmissions of ones already seen; fails after 5 s. */
  Message receive() throws IOException {
    byte[] buffer = new byte[65535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no SIP message within 5 s");
    }
    lastSourcePort = packet.getPort();
    return parse(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8));
  }

  /** The next message that matches, dropping others (retransmitted provisionals and the like). */
  Message receive(java.util.function.Predicate<Message> wanted) throws IOException {
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Message m = receive();
      if (wanted.test(m)) {
        return m;
      }
      skipped.add(m.firstLine());
    }
    throw new AssertionError("not received; skipped " + skipped);
  }

  static Message parse(String raw) {
    int split = raw.indexOf("\r\n\r\n");
    String head = split < 0 ? raw : raw.substring(0, split);
    String body = split < 0 ? "" : raw.substring(split + 4);
    String[] lines = head.split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(
            lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
    }
    return new Message(lines[0], headers, body, raw);
  }

  /**
   * A response to {@code request} echoing its Via, From, To (with {@code toTag}), Call-ID, CSeq.
   */
  static String response(
      Message request, int status, String reason, String toTag, String extra, String body) {
    String to = request.header("To");
    if (toTag != null && !to.contains(";tag=")) {
      to = to + ";tag=" + toTag;
    }
    StringBuilder sb =
        new StringBuilder("SIP/2.0 ")
            .append(status)
            .append(' ')
            .append(reason)
            .append("\r\nVia: ")
            .append(request.header("Via"))
            .append("\r\nFrom: ")
            .append(request.header("From"))
            .append("\r\nTo: ")
            .append(to)
            .append("\r\nCall-ID: ")
            .append(request.header("Call-ID"))
            .append("\r\nCSeq: ")
            .append(request.header("CSeq"))
            .append("\r\n");
    if (!extra.isEmpty()) {
      sb.append(extra).append("\r\n");
    }
    if (!body.isEmpty()) {
      sb.append("Content-Type: application/sdp\r\n");
    }
    sb.append("Content-Length: ")
        .append(body.getBytes(StandardCharsets.UTF_8).length)
        .append("\r\n\r\n")
        .append(body);
    return sb.toString();
  }

  @Override
  public void close() {
    socket.close();
  }
}
