package dev.tandem.app.events;

import dev.tandem.core.events.CallEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every call event to one webhook receiver, in the order they happened, from a bounded
 * queue served by one thread of its own ({@code webhook-<n>}): the head of the queue is POSTed
 * until the receiver takes it (2xx), and only then the next, so a receiver that is down gets every
 * event, in order, once it is back — up to the queue's bound. Beyond it an event that finds the
 * queue full is dropped (never one already waiting, so what goes out is still in order), and each
 * dropped one is counted and named (WARN at most every 10 s). A failed delivery (no connection, a
 * timeout, 5xx, 408, 429) is retried after {@code retryMin}, doubling up to {@code retryMax}; any
 * other answer (a 4xx: the receiver refuses that event) drops it, with a WARN. The signaling loop
 * only ever offers to the queue.
 */
final class WebhookSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  private static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);

  private final URI url;
  private final WebhookSignature signature;
  private final HttpClient http;
  private final Duration timeout;
  private final Duration retryMin;
  private final Duration retryMax;
  private final Clock clock;
  private final BlockingQueue<CallEvent> queue;
  private final DropReport full;
  private final DropReport refused;
  private final Thread thread;
  private final AtomicLong delivered = new AtomicLong();
  private volatile boolean closing;

  /** Once {@link #closing}: when the thread gives up on what is still queued. */
  private volatile long stopAt;

  /** Held by the sender thread: the event being delivered, no longer in the queue. */
  private CallEvent current;

  WebhookSender(
      URI url,
      WebhookSignature signature,
      HttpClient http,
      Duration timeout,
      int queueBound,
      Duration retryMin,
      Duration retryMax,
      Clock clock,
      String threadName) {
    this.url = url;
    this.signature = signature;
    this.http = http;
    this.timeout = timeout;
    this.retryMin = retryMin;
    this.retryMax = retryMax;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(queueBound);
    this.full =
        new DropReport(
            log,
            "webhook events for " + url + " dropped: queue full (" + queueBound + ")",
            REPORT_INTERVAL,
            System::nanoTime);
    this.refused =
        new DropReport(log, "webhook events refused by " + url, REPORT_INTERVAL, System::nanoTime);
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code event}; never blocks (a full queue drops it). */
  void offer(CallEvent event) {
    if (closing || !queue.offer(event)) {
      full.dropped(CallRecordJson.id(event));
    }
  }

  long delivered() {
    return delivered.get();
  }

  long dropped() {
    return full.total() + refused.total();
  }

  private void run() {
    Duration backoff = retryMin;
    boolean failing = false;
    while (!closing || System.nanoTime() - stopAt < 0) {
      if (current == null) {
        try {
          current = queue.poll(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          break;
        }
        full.flush();
        refused.flush();
        if (current == null) {
          if (closing) {
            break;
          }
          continue;
        }
      }
      Attempt attempt = deliver(current);
      if (attempt.done()) {
        if (failing) {
          log.info("webhook receiver {} takes events again", url);
          failing = false;
        }
        if (attempt.status() / 100 == 2) {
          delivered.incrementAndGet();
        } else {
          refused.dropped(CallRecordJson.id(current) + " (" + attempt.status() + ")");
        }
        current = null;
        backoff = retryMin;
        continue;
      }
      if (!failing) {
        log.warn(
            "webhook receiver {} failed ({}); retrying from {}, {} events waiting",
            url,
            attempt.why(),
            retryMin,
            queue.size() + 1);
        failing = true;
      } else {
        log.debug("webhook receiver {} failed again ({})", url, attempt.why());
      }
      LockSupport.parkNanos(
          closing
              ? Math.min(backoff.toNanos(), Math.max(0, stopAt - System.nanoTime()))
              : backoff.toNanos());
      backoff =
          backoff.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : backoff.multipliedBy(2);
    }
    List<String> lost = new ArrayList<>();
    if (current != null) {
      lost.add(CallRecordJson.id(current));
    }
    queue.forEach(e -> lost.add(CallRecordJson.id(e)));
    if (!lost.isEmpty()) {
      log.warn("webhook events for {} not delivered at shutdown: {}", url, lost);
    }
    full.flushNow();
    refused.flushNow();
  }

  /** One POST of {@code event}: done (taken, or refused for good), or to retry, and why. */
  private Attempt deliver(CallEvent event) {
    byte[] body = CallRecordJson.event(event).toString().getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("X-Tandem-Event", CallRecordJson.type(event))
            .header("X-Tandem-Event-Id", CallRecordJson.id(event))
            .header(WebhookSignature.TIMESTAMP, Long.toString(timestamp))
            .header(WebhookSignature.SIGNATURE, signature.sign(timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      boolean retry = status >= 500 || status == 408 || status == 429 || status < 200;
      return new Attempt(!retry, status, "HTTP " + status);
    } catch (IOException e) {
      return new Attempt(false, 0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(false, 0, "interrupted");
    }
  }

  private record Attempt(boolean done, int status, String why) {}

  /**
   * Stops taking events and gives the thread until {@code deadline} from now to deliver what is
   * queued; whatever is left then is logged by id as not delivered.
   */
  void close(Duration deadline) {
    stopAt = System.nanoTime() + deadline.toNanos();
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(deadline.toMillis() + timeout.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }

  @Override
  public void close() {
    close(timeout);
  }
}
