package dev.tandem.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tshark (shared/PEERS.md) on the loopback of the test's network namespace, printing every UDP
 * datagram's and TCP segment's ports and payload as it passes, so that a test can read the SIP a
 * peer was sent and the RTP on the SIP leg. (SIP goes over the destination's configured transport,
 * UDP or TCP, whatever the request's size.) One capture can serve several calls: {@link #mark} before a call, then
 * read only what came after it. Stopped by {@link #close}.
 */
final class LoopbackCapture implements AutoCloseable {
  /** One UDP datagram or TCP segment (with a payload) on the namespace's loopback. */
  record Datagram(int sourcePort, int destinationPort, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private static final Pattern MEDIA_PORT = Pattern.compile("(?m)^m=audio (\\d+) ");

  private final Process process;
  private final Path out;
  private final Path err;

  private LoopbackCapture(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts tshark on {@code ns}'s loopback and waits until it captures. */
  static LoopbackCapture start(Path workDir, NetworkNamespace ns) throws IOException {
    Path tshark = Peers.require("tshark", "tshark");
    Path out = workDir.resolve("capture-" + System.nanoTime() + ".txt");
    Path err = workDir.resolve("capture-" + System.nanoTime() + ".err");
    Process process =
        new ProcessBuilder(
                ns.wrap(
                    List.of(
                        tshark.toString(), "-i", "lo", "-n", "-l", "-f", "udp or tcp",
                        "-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport",
                        "-e", "udp.payload", "-e", "tcp.srcport", "-e", "tcp.dstport",
                        "-e", "tcp.payload")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    LoopbackCapture capture = new LoopbackCapture(process, out, err);
    await("tshark captures on lo")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError("tshark exited: " + Peers.readLog(err));
              }
              return Peers.readLog(err).contains("Capturing on");
            });
    return capture;
  }

  /** How many datagrams were seen so far: pass it to the readers to skip earlier calls. */
  int mark() {
    return datagrams(0).size();
  }

  /** The datagrams seen after {@code mark}, in order. */
  List<Datagram> datagrams(int mark) {
    List<String> lines;
    try {
      lines = Files.readAllLines(out, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new AssertionError("cannot read the capture " + out, e);
    }
    List<Datagram> datagrams = new ArrayList<>();
    for (String line : lines) {
      String[] fields = line.split("\t", -1);
      if (fields.length != 6) {
        continue;
      }
      int at = fields[2].isEmpty() ? 3 : 0; // the UDP fields, else the TCP ones
      if (fields[at].isEmpty() || fields[at + 2].isEmpty()) {
        continue; // an empty segment, or an ICMP error quoting a datagram
      }
      datagrams.add(
          new Datagram(
              Integer.parseInt(fields[at].split(",")[0]),
              Integer.parseInt(fields[at + 1].split(",")[0]),
              HexFormat.of().parseHex(fields[at + 2].split(",")[0])));
    }
    return datagrams.subList(Math.min(mark, datagrams.size()), datagrams.size());
  }

  /**
   * The SIP messages (text) after {@code mark} sent to port {@code to} ({@code toPort}) or from it.
   * A phone's SIP port names both directions of its signalling: what it sends leaves from it (UDP)
   * or goes over a connection to or from it (TCP, whose other end is an ephemeral port).
   */
  List<String> sip(int mark, int port, boolean toPort) {
    return datagrams(mark).stream()
        .filter(d -> (toPort ? d.destinationPort() : d.sourcePort()) == port)
        .map(Datagram::text)
        .filter(t -> t.contains("SIP/2.0"))
        .toList();
  }

  /** One line per SIP message after {@code mark}: its ports and first line, for failure messages. */
  String sipSummary(int mark) {
    StringBuilder summary = new StringBuilder();
    for (Datagram d : datagrams(mark)) {
      String text = d.text();
      if (text.contains("SIP/2.0")) {
        summary
            .append(d.sourcePort())
            .append(" -> ")
            .append(d.destinationPort())
            .append(": ")
            .append(text, 0, Math.max(0, text.indexOf('\r')))
            .append(text.contains("\r\n\r\nv=0") ? " (SDP)" : "")
            .append('\n');
      }
    }
    return summary.toString();
  }

  /**
   * One line per UDP flow after {@code mark} that carried no SIP: its ports and how many datagrams,
   * for failure messages.
   */
  String flowSummary(int mark) {
    java.util.Map<String, Integer> flows = new java.util.TreeMap<>();
    for (Datagram d : datagrams(mark)) {
      if (!d.text().contains("SIP/2.0")) {
        flows.merge(d.sourcePort() + " -> " + d.destinationPort(), 1, Integer::sum);
      }
    }
    StringBuilder summary = new StringBuilder();
    flows.forEach((flow, n) -> summary.append(flow).append(": ").append(n).append('\n'));
    return summary.toString();
  }

  /** Every SIP message after {@code mark} to or from {@code port}, in full, for failure messages. */
  String sipTo(int mark, int port) {
    return String.join("\n----\n", sip(mark, port, true))
        + "\n====\n"
        + String.join("\n----\n", sip(mark, port, false));
  }

  /** The SDP body of the last SIP message sent to port {@code port} that carried one. */
  String lastSdpTo(int mark, int port) {
    return body(lastWithSdp(sip(mark, port, true), null, "to port " + port));
  }

  /**
   * The SDP body of the last SIP message sent from port {@code port} in the dialog (Call-ID) of the
   * last one sent to it with SDP: a phone may still be retransmitting an earlier call's 200 OK.
   */
  String lastSdpFrom(int mark, int port) {
    String callId =
        callId(lastWithSdp(sip(mark, port, true), null, "to port " + port));
    return body(lastWithSdp(sip(mark, port, false), callId, "from port " + port));
  }

  private static String lastWithSdp(List<String> messages, String callId, String where) {
    List<String> withSdp =
        messages.stream()
            .filter(t -> t.contains("\r\n\r\nv=0"))
            .filter(t -> callId == null || callId.equals(callId(t)))
            .toList();
    if (withSdp.isEmpty()) {
      throw new AssertionError("no SDP " + where + " in the capture");
    }
    return withSdp.get(withSdp.size() - 1);
  }

  private static String body(String message) {
    return message.substring(message.indexOf("\r\n\r\n") + 4);
  }

  private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:Call-ID|i):\\s*(\\S+)\\s*$");

  private static String callId(String message) {
    Matcher m = CALL_ID.matcher(message);
    return m.find() ? m.group(1) : null;
  }

  /** The audio port of an SDP's first {@code m=audio} line. */
  static int audioPort(String sdp) {
    Matcher m = MEDIA_PORT.matcher(sdp);
    if (!m.find()) {
      throw new AssertionError("no m=audio line in\n" + sdp);
    }
    return Integer.parseInt(m.group(1));
  }

  /** The payloads of the datagrams from port {@code from} to port {@code to} after {@code mark}. */
  List<byte[]> payloads(int mark, int from, int to) {
    return datagrams(mark).stream()
        .filter(d -> d.sourcePort() == from && d.destinationPort() == to)
        .map(Datagram::payload)
        .toList();
  }

  @Override
  public void close() throws InterruptedException {
    Peers.stop(process, 1, Duration.ofSeconds(3));
  }
}
