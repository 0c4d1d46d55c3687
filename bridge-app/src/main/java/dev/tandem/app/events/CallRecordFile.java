package dev.tandem.app.events;

import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallEventListener;
import dev.tandem.core.events.CallRecord;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call-record file: one JSON line per call ({@link CallRecordJson}), appended when the call's
 * {@link CallEvent.Ended} comes. The signaling loop only queues the record; one thread of its own
 * ({@code call-records}) writes the lines and flushes whenever the queue is empty, so a line is on
 * disk within moments of the call's end. A full queue drops the record (counted, WARN at most every
 * 10 s naming the call ids). The file is opened in append mode; {@link #reopen} closes and opens it
 * again by name (after a log rotation moved it away).
 */
public final class CallRecordFile implements CallEventListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallRecordFile.class);
  private static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final Path file;
  private final BlockingQueue<CallRecord> queue;
  private final DropReport drops;
  private final DropReport failures;
  private final Thread writer;
  private final AtomicLong written = new AtomicLong();
  private volatile boolean reopen;
  private volatile boolean closing;
  private Writer out;

  /**
   * Opens (or creates) {@code file} for appending and starts the writer.
   *
   * @param queueBound records that may wait for the writer
   * @throws IOException when the file cannot be opened (its directory is missing, no permission)
   */
  public CallRecordFile(Path file, int queueBound) throws IOException {
    this.file = file;
    this.queue = new ArrayBlockingQueue<>(queueBound);
    this.drops =
        new DropReport(
            log,
            "call records not written to " + file + ": queue full (" + queueBound + ")",
            REPORT_INTERVAL,
            System::nanoTime);
    this.failures =
        new DropReport(
            log, "call records not written to " + file, REPORT_INTERVAL, System::nanoTime);
    this.out = open(file);
    this.writer = new Thread(this::run, "call-records");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void on(CallEvent event) {
    if (event instanceof CallEvent.Ended ended && !closing) {
      if (!queue.offer(ended.record())) {
        drops.dropped(ended.record().callId().value());
      }
    }
  }

  /** Closes the file and opens it again by its name, before the next record (log rotation). */
  public void reopen() {
    reopen = true;
  }

  /** Records written so far. */
  public long written() {
    return written.get();
  }

  /** Records dropped so far (queue full, or the file could not be written). */
  public long dropped() {
    return drops.total() + failures.total();
  }

  private void run() {
    while (!closing || !queue.isEmpty()) {
      CallRecord record;
      try {
        record = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      drops.flush();
      failures.flush();
      if (record != null) {
        write(record);
      }
    }
    closeQuietly();
  }

  private void write(CallRecord record) {
    try {
      if (reopen || out == null) {
        reopen = false;
        closeQuietly();
        out = open(file);
      }
      out.write(CallRecordJson.line(record));
      out.write('\n');
      written.incrementAndGet();
      if (queue.isEmpty()) {
        out.flush();
      }
    } catch (IOException e) {
      log.debug("writing {} failed", file, e);
      closeQuietly(); // opened again for the next record
      failures.dropped(record.callId().value() + " (" + e.getMessage() + ")");
    }
  }

  private static Writer open(Path file) throws IOException {
    return Files.newBufferedWriter(
        file,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  private void closeQuietly() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      log.warn("closing {} failed: {}", file, e.getMessage());
    }
    out = null;
  }

  /** Writes what is queued (for at most 5 s), then closes the file. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(CLOSE_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      writer.interrupt();
      log.warn("call records still queued for {} were not written: {}", file, queue.size());
    }
    drops.flushNow();
    failures.flushNow();
  }
}
