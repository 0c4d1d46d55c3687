package dev.tandem.media.rtpengine;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An in-JVM NG peer on loopback: decodes each command, keeps it, and answers what {@link #answers}
 * says (null: no answer, as a dead rtpengine). Closed by {@link #close}.
 */
final class FakeRtpengine implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final List<Map<String, Object>> commands = new ArrayList<>();
  volatile Function<Map<String, Object>, Map<String, Object>> answers =
      command ->
          command.get("command").equals("ping")
              ? Map.of("result", "pong")
              : Map.of("result", "ok", "sdp", "rewritten " + command.get("command"));

  FakeRtpengine() throws Exception {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "fake-rtpengine");
    thread.setDaemon(true);
    thread.start();
  }

  private void serve() {
    byte[] buffer = new byte[65535];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        String text = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
        int space = text.indexOf(' ');
        byte[] body = text.substring(space + 1).getBytes(StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> command = (Map<String, Object>) Bencode.decode(body, 0, body.length);
        synchronized (commands) {
          commands.add(command);
        }
        Map<String, Object> answer = answers.apply(command);
        if (answer == null) {
          continue;
        }
        byte[] cookie = (text.substring(0, space) + " ").getBytes(StandardCharsets.UTF_8);
        byte[] encoded = Bencode.encode(answer);
        byte[] out = new byte[cookie.length + encoded.length];
        System.arraycopy(cookie, 0, out, 0, cookie.length);
        System.arraycopy(encoded, 0, out, cookie.length, encoded.length);
        socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
      } catch (Exception e) {
        return;
      }
    }
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  NgEndpoint endpoint(int weight) {
    return new NgEndpoint("127.0.0.1", address().getPort(), weight);
  }

  /** The commands received so far, in order, pings left out. */
  List<Map<String, Object>> commands() {
    synchronized (commands) {
      return commands.stream().filter(c -> !"ping".equals(c.get("command"))).toList();
    }
  }

  /** Each received command's name, pings left out. */
  List<Object> names() {
    return commands().stream().map(c -> c.get("command")).toList();
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(2000);
  }
}
