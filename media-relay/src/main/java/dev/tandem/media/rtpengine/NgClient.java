package dev.tandem.media.rtpengine;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of rtpengine's NG control protocol: each request goes out as {@code <cookie> <bencoded
 * dictionary>} over UDP and is sent again with the same cookie until an answer with that cookie
 * arrives or the timeout passes (rtpengine answers a repeated cookie from its cache, so a
 * retransmitted {@code offer} is not applied twice).
 *
 * <p>Thread-safe. One receiving thread and one timer thread per client.
 */
public final class NgClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NgClient.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_DATAGRAM = 65_535;

  private final InetSocketAddress server;
  private final Duration retransmitInterval;
  private final Duration timeout;
  private final DatagramSocket socket;
  private final ScheduledExecutorService timer;
  private final Thread receiver;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile NgObserver observer = NgObserver.NONE;

  private record Pending(
      CompletableFuture<Map<String, Object>> answer, ScheduledFuture<?> resend) {}

  /**
   * @param server rtpengine's {@code listen-ng} address
   * @param retransmitInterval how long to wait for an answer before sending again
   * @param timeout how long to wait in all before failing with {@link NgException.Kind#TIMEOUT}
   */
  public NgClient(InetSocketAddress server, Duration retransmitInterval, Duration timeout)
      throws SocketException {
    this.server = server;
    this.retransmitInterval = retransmitInterval;
    this.timeout = timeout;
    this.socket =
        new DatagramSocket(
            new InetSocketAddress(
                server.getAddress().isLoopbackAddress() ? server.getAddress() : null, 0));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rtpengine-ng-timer");
              t.setDaemon(true);
              return t;
            });
    this.receiver = new Thread(this::receive, "rtpengine-ng-receiver");
    receiver.setDaemon(true);
    receiver.start();
  }

  /**
   * Sends one command ({@code command: offer}, {@code call-id}, ...) and completes with rtpengine's
   * answer dictionary, or exceptionally with an {@link NgException}.
   */
  public CompletableFuture<Map<String, Object>> request(Map<String, Object> command) {
    return request(command, timeout);
  }

  /**
   * The same with a timeout of its own (a {@code ping} that must not wait as long as an {@code
   * offer}). A {@code warning} in an answer is the caller's to log: only it knows whether
   * rtpengine's "Call-ID not found" on a {@code delete} is news.
   */
  public CompletableFuture<Map<String, Object>> request(
      Map<String, Object> command, Duration timeout) {
    CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    observe(String.valueOf(command.get("command")), answer);
    if (closed) {
      answer.completeExceptionally(new NgException(NgException.Kind.IO, "client closed"));
      return answer;
    }
    String cookie = cookie();
    byte[] body = Bencode.encode(command);
    byte[] prefix = (cookie + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] datagram = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, datagram, 0, prefix.length);
    System.arraycopy(body, 0, datagram, prefix.length, body.length);
    if (datagram.length > MAX_DATAGRAM) {
      answer.completeExceptionally(
          new NgException(
              NgException.Kind.IO,
              "request of " + datagram.length + " bytes does not fit a datagram"));
      return answer;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    ScheduledFuture<?> resend =
        timer.scheduleWithFixedDelay(
            () -> {
              if (System.nanoTime() - deadline >= 0) {
                fail(
                    cookie,
                    new NgException(
                        NgException.Kind.TIMEOUT,
                        "no answer from rtpengine at "
                            + server
                            + " within "
                            + timeout.toMillis()
                            + " ms to "
                            + command.get("command")));
              } else {
                send(cookie, datagram);
              }
            },
            retransmitInterval.toNanos(),
            retransmitInterval.toNanos(),
            TimeUnit.NANOSECONDS);
    pending.put(cookie, new Pending(answer, resend));
    send(cookie, datagram);
    return answer;
  }

  /** Who is told how each command ended (by default nobody); set before use. */
  public void observe(NgObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  private void observe(String name, CompletableFuture<Map<String, Object>> answer) {
    long sent = System.nanoTime();
    answer.whenComplete(
        (ok, error) -> {
          NgObserver to = observer;
          if (error == null) {
            to.answered(name, System.nanoTime() - sent);
          } else {
            to.failed(name, error instanceof NgException ng ? ng.kind() : NgException.Kind.IO);
          }
        });
  }

  private void send(String cookie, byte[] datagram) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length, server));
    } catch (IOException e) {
      fail(
          cookie,
          new NgException(NgException.Kind.IO, "cannot send to " + server + ": " + e.getMessage()));
    }
  }

  private void receive() {
    byte[] buffer = new byte[MAX_DATAGRAM];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    while (!closed) {
      try {
        packet.setLength(buffer.length);
        socket.receive(packet);
      } catch (IOException e) {
        if (!closed) {
          log.debug("NG receive: {}", e.toString());
        }
        continue;
      }
      handle(buffer, packet.getLength());
    }
  }

  private void handle(byte[] data, int length) {
    int space = -1;
    for (int i = 0; i < Math.min(length, 64); i++) {
      if (data[i] == ' ') {
        space = i;
        break;
      }
    }
    if (space <= 0) {
      log.debug("NG answer without a cookie dropped");
      return;
    }
    String cookie = new String(data, 0, space, StandardCharsets.US_ASCII);
    Pending request = pending.get(cookie);
    if (request == null) {
      return; // an answer to a retransmission we already have, or to a request that timed out
    }
    Object decoded;
    try {
      decoded = Bencode.decode(data, space + 1, length - space - 1);
    } catch (BencodeException e) {
      fail(
          cookie,
          new NgException(NgException.Kind.PROTOCOL, "undecodable answer: " + e.getMessage()));
      return;
    }
    if (!(decoded instanceof Map<?, ?> map) || !(map.get("result") instanceof String result)) {
      fail(cookie, new NgException(NgException.Kind.PROTOCOL, "answer has no result"));
      return;
    }
    if (result.equals("ok") || result.equals("pong")) {
      if (pending.remove(cookie, request)) {
        request.resend().cancel(false);
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) map;
        request.answer().complete(answer);
      }
    } else {
      Object reason = map.get("error-reason");
      fail(
          cookie,
          new NgException(
              NgException.Kind.ERROR,
              result + ": " + (reason == null ? "no reason given" : reason)));
    }
  }

  private void fail(String cookie, NgException error) {
    Pending request = pending.remove(cookie);
    if (request != null) {
      request.resend().cancel(false);
      request.answer().completeExceptionally(error);
    }
  }

  private static String cookie() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** rtpengine's {@code listen-ng} address this client talks to. */
  public InetSocketAddress server() {
    return server;
  }

  /** Fails every request still waiting and releases the socket and threads. */
  @Override
  public void close() {
    closed = true;
    socket.close();
    timer.shutdownNow();
    for (String cookie : pending.keySet()) {
      fail(cookie, new NgException(NgException.Kind.IO, "client closed"));
    }
  }
}
