package dev.tandem.bench.cps;

import dev.tandem.sdp.translate.WebRtcEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The browser → SIP path: N WebSocket sessions place calls at a fixed rate (open loop: the n-th
 * {@code call.invite} leaves at start + n / rate whether or not earlier calls were answered), each
 * with a real Chromium offer (fresh ICE credentials per call) to a number the dial plan sends to
 * the SIPp UAS; {@code call.hangup} {@code hold} after {@code call.answered}. Setup time is {@code
 * call.invite} sent → {@code call.answered} received, so it includes this client's own JSON and
 * WebSocket work. A call fails when the invite or hangup gets an error, {@code call.ended} arrives
 * before our hangup, or the answer takes longer than the answer timeout.
 */
final class BrowserLoad implements AutoCloseable {
  private final List<BrowserSession> sessions = new ArrayList<>();
  private final ExecutorService callbacks;
  private final HttpClient http;
  private final ScheduledExecutorService hangups;
  private final String offerTemplate;
  private final long holdNanos;
  private final long answerTimeoutNanos;
  private final Setups setups = new Setups();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong firstAnswer = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastAnswer = new AtomicLong(Long.MIN_VALUE);
  private CountDownLatch outstanding;

  private BrowserLoad(long holdNanos, long answerTimeoutNanos) throws IOException {
    this.holdNanos = holdNanos;
    this.answerTimeoutNanos = answerTimeoutNanos;
    this.callbacks = Executors.newFixedThreadPool(2, daemon("cps-ws"));
    this.http = HttpClient.newBuilder().executor(callbacks).build();
    this.hangups = Executors.newSingleThreadScheduledExecutor(daemon("cps-hangup"));
    try (InputStream in =
        BrowserLoad.class.getResourceAsStream("/sdp/chrome-offer-audio-only.sdp")) {
      String offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      offerTemplate =
          offer
              .replace("a=ice-ufrag:UBPK", "a=ice-ufrag:{ufrag}")
              .replace("a=ice-pwd:0taAFbWujFQRV0QQOAOQmFta", "a=ice-pwd:{pwd}")
              .replace("o=- 5037863593440243427 ", "o=- {session} ");
    }
  }

  /** Opens {@code count} sessions, each signed in as its own development user. */
  static BrowserLoad connect(int httpPort, int count, long holdNanos, long answerTimeoutNanos)
      throws Exception {
    BrowserLoad load = new BrowserLoad(holdNanos, answerTimeoutNanos);
    URI uri = URI.create("ws://127.0.0.1:" + httpPort + "/ws");
    try {
      for (int i = 0; i < count; i++) {
        load.sessions.add(BrowserSession.open(load, load.http, uri, "bench-" + i));
      }
    } catch (Exception e) {
      load.close();
      throw e;
    }
    return load;
  }

  /**
   * Places {@code rate} × {@code seconds} calls and waits until each has succeeded or failed; the
   * generator CPU is this JVM's and the SIPp UAS's ({@code uasPid}).
   */
  PathResult run(int rate, int seconds, long uasPid) throws InterruptedException {
    int total = rate * seconds;
    outstanding = new CountDownLatch(total);
    List<BrowserCall> calls = new ArrayList<>(total);
    long self = ProcessHandle.current().pid();
    long cpu0 = Proc.cpuNanos(self) + Proc.cpuNanos(uasPid);
    long period = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    long lastInvite = start;
    for (int i = 0; i < total; i++) {
      long due = start + i * period;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      BrowserCall call = new BrowserCall(i, sessions.get(i % sessions.size()));
      calls.add(call);
      call.invitedNanos = System.nanoTime();
      lastInvite = call.invitedNanos;
      call.session.invite(call, BridgeProcess.DIAL_PREFIX + i, offer());
    }
    double offeredPerSecond = total < 2 ? rate : (total - 1) / ((lastInvite - start) / 1e9);
    long deadline = answerTimeoutNanos + holdNanos + TimeUnit.SECONDS.toNanos(10);
    if (!outstanding.await(deadline, TimeUnit.NANOSECONDS)) {
      for (BrowserCall call : calls) {
        failed(
            call,
            call.answeredNanos == 0
                ? "no answer at the end of the run"
                : "no answer to call.hangup at the end of the run");
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (BrowserSession s : sessions) {
      if (s.closed != null) {
        failures.computeIfAbsent("session " + s.closed, k -> new AtomicLong()).incrementAndGet();
      }
    }
    Map<String, Long> why = new TreeMap<>();
    failures.forEach((reason, count) -> why.put(reason, count.get()));
    long answers = setups.count();
    double achieved =
        answers < 2 ? 0 : (answers - 1) / ((lastAnswer.get() - firstAnswer.get()) / 1e9);
    return new PathResult(
        "browser->sip",
        rate,
        total,
        offeredPerSecond,
        succeeded.get(),
        achieved,
        setups,
        why,
        Proc.cpuNanos(self) + Proc.cpuNanos(uasPid) - cpu0,
        elapsed,
        "");
  }

  private String offer() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return offerTemplate
        .replace("{ufrag}", WebRtcEndpoint.randomIceUfrag())
        .replace("{pwd}", WebRtcEndpoint.randomIcePwd())
        .replace("{session}", Long.toString(random.nextLong(1, Long.MAX_VALUE)));
  }

  void answered(BrowserCall call, long now) {
    call.answeredNanos = now;
    long setup = now - call.invitedNanos;
    setups.add(setup / 1000);
    firstAnswer.accumulateAndGet(now, Math::min);
    lastAnswer.accumulateAndGet(now, Math::max);
    if (setup > answerTimeoutNanos) {
      failed(call, "answered after the answer timeout");
    }
    hangups.schedule(() -> call.session.hangup(call), holdNanos, TimeUnit.NANOSECONDS);
  }

  void succeeded(BrowserCall call) {
    if (call.done.compareAndSet(false, true)) {
      succeeded.incrementAndGet();
      outstanding.countDown();
    }
  }

  void failed(BrowserCall call, String reason) {
    if (call.done.compareAndSet(false, true)) {
      failures.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
      outstanding.countDown();
    }
  }

  @Override
  public void close() {
    for (BrowserSession s : sessions) {
      s.close();
    }
    hangups.shutdownNow();
    callbacks.shutdown();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
