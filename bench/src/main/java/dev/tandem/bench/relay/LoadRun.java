package dev.tandem.bench.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives connected {@link SyntheticCall}s: every call sends one 20 ms PCMU packet each way every 20
 * ms (the browser's SRTP-protected, the phone's plain), and a call with video one VP8-sized packet
 * ({@value #VIDEO_PAYLOAD} bytes of payload) each way every 10 ms (about 1 Mbit/s), spread evenly
 * so the load is steady rather than bursty. Every packet carries its send time and its call's
 * number; the receiving side measures one-way latency and counts packets per direction, and packets
 * that arrive at the wrong call. Packets sent in the measured window are the ones counted.
 */
final class LoadRun {
  private static final int PAYLOAD = 160;
  static final int VIDEO_PAYLOAD = 1200;
  private static final int VIDEO_SLOTS = 10;
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int SLOTS = 20;
  private static final long CONSENT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final List<SyntheticCall> calls;
  private volatile boolean sending = true;
  private volatile boolean receiving = true;
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;

  // written by the sender thread
  long sentFromBrowser;
  long sentFromPhone;
  long sentVideo;
  long sendFailures;

  // written by the receiver thread
  long receivedByPhone;
  long receivedByBrowser;
  long receivedVideo;
  long misrouted;
  long undecryptable;
  final LatencyHistogram towardSip = new LatencyHistogram();
  final LatencyHistogram towardBrowser = new LatencyHistogram();

  private final Thread sender = new Thread(this::send, "load-send");
  private final Thread receiver = new Thread(this::receive, "load-receive");
  private final Selector selector;

  LoadRun(List<SyntheticCall> calls) throws IOException {
    this.calls = calls;
    this.selector = Selector.open();
    for (SyntheticCall call : calls) {
      call.browser.register(selector, SelectionKey.OP_READ, new Endpoint(call, true, false));
      call.phone.register(selector, SelectionKey.OP_READ, new Endpoint(call, false, false));
      if (call.video) {
        call.phoneVideo.register(selector, SelectionKey.OP_READ, new Endpoint(call, false, true));
        if (!call.videoBundled) {
          call.browserVideo.register(
              selector, SelectionKey.OP_READ, new Endpoint(call, true, true));
        }
      }
    }
  }

  /** A socket of a call: the browser's or the phone's, the audio's or the video's own. */
  private record Endpoint(SyntheticCall call, boolean browser, boolean video) {}

  long senderCpuNanos() {
    return Cpu.threadNanos(sender);
  }

  long receiverCpuNanos() {
    return Cpu.threadNanos(receiver);
  }

  void start() {
    sender.start();
    receiver.start();
  }

  /** Counts from now; stops counting (and sending) after {@code nanos}. */
  void measure(long nanos) throws InterruptedException {
    long start = System.nanoTime();
    windowStart = start;
    windowEnd = start + nanos;
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos));
  }

  /** Stops sending, lets packets in flight arrive, stops receiving. */
  void stop() throws InterruptedException, IOException {
    sending = false;
    sender.join();
    Thread.sleep(500);
    receiving = false;
    selector.wakeup();
    receiver.join();
    selector.close();
  }

  private void send() {
    byte[] buf = new byte[12 + VIDEO_PAYLOAD + 32];
    ByteBuffer out = ByteBuffer.wrap(buf);
    long next = System.nanoTime();
    long tick = 0;
    while (sending) {
      long now = System.nanoTime();
      if (now < next) {
        LockSupport.parkNanos(next - now);
        continue;
      }
      int slot = (int) (tick % SLOTS);
      for (int i = slot; i < calls.size(); i += SLOTS) {
        SyntheticCall call = calls.get(i);
        try {
          sendBoth(call, buf, out);
        } catch (IOException e) {
          sendFailures++;
        }
      }
      for (int i = (int) (tick % VIDEO_SLOTS); i < calls.size(); i += VIDEO_SLOTS) {
        SyntheticCall call = calls.get(i);
        if (call.video) {
          try {
            sendVideo(call, buf, out);
          } catch (IOException e) {
            sendFailures++;
          }
        }
      }
      tick++;
      next += TICK_NANOS;
    }
  }

  private void sendBoth(SyntheticCall call, byte[] buf, ByteBuffer out) throws IOException {
    long now = System.nanoTime();
    boolean counted = now >= windowStart && now < windowEnd;
    // browser → relay: SRTP
    call.browserSeq = (call.browserSeq + 1) & 0xFFFF;
    int n = packet(buf, 0, call.browserSeq, call.browserSsrc(), call.index, now, PAYLOAD);
    n = call.browserSends.protect(buf, 0, n);
    out.clear().limit(n);
    if (call.browser.send(out, call.relayWebRtc) > 0) {
      if (counted) {
        sentFromBrowser++;
      }
    } else {
      sendFailures++;
    }
    // phone → relay: plain RTP
    call.phoneSeq = (call.phoneSeq + 1) & 0xFFFF;
    n = packet(buf, 0, call.phoneSeq, call.phoneSsrc(), call.index, now, PAYLOAD);
    out.clear().limit(n);
    if (call.phone.send(out, call.relayPlain) > 0) {
      if (counted) {
        sentFromPhone++;
      }
    } else {
      sendFailures++;
    }
    if (now >= call.nextConsentNanos) {
      call.nextConsentNanos = now + CONSENT_NANOS;
      call.browser.send(ByteBuffer.wrap(call.bindingRequest()), call.relayWebRtc);
      if (call.video && !call.videoBundled) {
        call.browserVideo.send(ByteBuffer.wrap(call.videoBindingRequest()), call.relayWebRtcVideo);
      }
    }
  }

  private void sendVideo(SyntheticCall call, byte[] buf, ByteBuffer out) throws IOException {
    long now = System.nanoTime();
    boolean counted = now >= windowStart && now < windowEnd;
    call.browserVideoSeq = (call.browserVideoSeq + 1) & 0xFFFF;
    int n =
        packet(
            buf,
            SyntheticCall.VP8,
            call.browserVideoSeq,
            call.browserVideoSsrc(),
            call.index,
            now,
            VIDEO_PAYLOAD);
    n = call.videoSends.protect(buf, 0, n);
    out.clear().limit(n);
    if (call.browserVideoChannel().send(out, call.relayWebRtcVideo) > 0) {
      if (counted) {
        sentFromBrowser++;
        sentVideo++;
      }
    } else {
      sendFailures++;
    }
    call.phoneVideoSeq = (call.phoneVideoSeq + 1) & 0xFFFF;
    n =
        packet(
            buf,
            SyntheticCall.VP8,
            call.phoneVideoSeq,
            call.phoneVideoSsrc(),
            call.index,
            now,
            VIDEO_PAYLOAD);
    out.clear().limit(n);
    if (call.phoneVideo.send(out, call.relayPlainVideo) > 0) {
      if (counted) {
        sentFromPhone++;
        sentVideo++;
      }
    } else {
      sendFailures++;
    }
  }

  /** A PCMU or VP8 packet whose payload starts with the send time and the call's number. */
  private static int packet(
      byte[] buf, int pt, int seq, int ssrc, int index, long sentNanos, int payload) {
    buf[0] = (byte) 0x80;
    buf[1] = (byte) pt;
    buf[2] = (byte) (seq >>> 8);
    buf[3] = (byte) seq;
    int ts = seq * 160;
    putInt(buf, 4, ts);
    putInt(buf, 8, ssrc);
    putInt(buf, 12, (int) (sentNanos >>> 32));
    putInt(buf, 16, (int) sentNanos);
    putInt(buf, 20, index);
    for (int i = 24; i < 12 + payload; i++) {
      buf[i] = (byte) 0xFF; // PCMU silence; for VP8 just bytes
    }
    return 12 + payload;
  }

  private void receive() {
    byte[] buf = new byte[1600];
    ByteBuffer in = ByteBuffer.wrap(buf);
    while (receiving) {
      try {
        selector.select(
            key -> {
              Endpoint endpoint = (Endpoint) key.attachment();
              DatagramChannel channel = (DatagramChannel) key.channel();
              in.clear();
              SocketAddress from;
              try {
                from = channel.receive(in);
              } catch (IOException e) {
                return;
              }
              if (from != null) {
                arrived(endpoint, buf, in.position(), (InetSocketAddress) from);
              }
            },
            100);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void arrived(Endpoint endpoint, byte[] buf, int length, InetSocketAddress from) {
    long now = System.nanoTime();
    SyntheticCall call = endpoint.call();
    int first = buf[0] & 0xFF;
    if (endpoint.browser() && first <= 3) {
      byte[] reply = call.answerCheck(buf, length, from);
      if (reply != null) {
        try {
          (endpoint.video() ? call.browserVideo : call.browser).send(ByteBuffer.wrap(reply), from);
        } catch (IOException ignored) {
          // the check is repeated
        }
      }
      return;
    }
    if (first < 128 || first > 191 || length < 24) {
      return;
    }
    int pt = buf[1] & 0x7F;
    if ((buf[1] & 0xFF) >= 192 && (buf[1] & 0xFF) <= 223) {
      return; // RTCP the relay generated or forwarded
    }
    if (endpoint.browser()) {
      length =
          (endpoint.video() ? call.videoReceives : call.browserReceives).unprotect(buf, 0, length);
      if (length < 24) {
        undecryptable++;
        return;
      }
    }
    if (pt != 0 && pt != SyntheticCall.VP8) {
      return;
    }
    long sent = ((long) getInt(buf, 12) << 32) | (getInt(buf, 16) & 0xFFFFFFFFL);
    if (getInt(buf, 20) != call.index) {
      misrouted++;
      return;
    }
    if (sent < windowStart || sent >= windowEnd) {
      return;
    }
    if (pt == SyntheticCall.VP8) {
      receivedVideo++;
    }
    if (endpoint.browser()) {
      receivedByBrowser++;
      towardBrowser.record(now - sent);
    } else {
      receivedByPhone++;
      towardSip.record(now - sent);
    }
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }
}
