package dev.tandem.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media thread: a selector over the UDP channels of many calls, reading every ready datagram
 * into one buffer and handing it to the channel's {@link Receiver}, which forwards it (in place) on
 * the same thread. The embedded relay runs one loop per core and spreads calls over them, so a
 * thousand calls need two threads, not three thousand.
 *
 * <p>Everything about a call's sockets happens on its loop's thread: binding, registration and
 * closing run as tasks ({@link #call}), in the order they were submitted, so the threads that ask
 * for them never wait; a closed channel's port is free when {@link #close(DatagramChannel...)}
 * returns.
 */
final class RelayLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

  /** Largest datagram read; anything longer is truncated and then fails its checks. */
  static final int MTU = 1500;

  /** What a channel's datagrams go to; runs on the loop thread, must not block. */
  interface Receiver {
    /**
     * One datagram in {@code buf[0..length)}; the buffer has {@link RelayLoop#MTU} + 64 bytes of
     * room so it can be protected in place. Exceptions count as a dropped packet.
     */
    void receive(byte[] buf, int length, InetSocketAddress from) throws IOException;

    /** A datagram that made {@link #receive} throw. */
    void failed(Exception e);
  }

  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final byte[] buf = new byte[MTU + 64];
  private final ByteBuffer in = ByteBuffer.wrap(buf);
  private final ByteBuffer out = ByteBuffer.wrap(buf);
  private volatile boolean running = true;

  RelayLoop(String name) throws IOException {
    selector = Selector.open();
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code task} on the loop thread; the future completes when it has. */
  CompletableFuture<Void> submit(Runnable task) {
    return call(
        () -> {
          task.run();
          return null;
        });
  }

  /**
   * Runs {@code task} on the loop thread, after every task submitted before it; the future
   * completes there with its result or exception, so whatever depends on the future runs on the
   * loop thread too unless it says otherwise, and must not block.
   */
  <T> CompletableFuture<T> call(Callable<T> task) {
    CompletableFuture<T> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new IllegalStateException("relay loop stopped"));
      return done;
    }
    tasks.add(
        () -> {
          T result;
          try {
            result = task.call();
          } catch (Exception e) {
            done.completeExceptionally(e);
            return;
          }
          done.complete(result);
        });
    selector.wakeup();
    return done;
  }

  /** Starts reading {@code channel} (non-blocking from now) into {@code receiver}. Loop only. */
  void register(DatagramChannel channel, Receiver receiver) throws IOException {
    checkInLoop();
    channel.configureBlocking(false);
    channel.register(selector, SelectionKey.OP_READ, receiver);
  }

  /**
   * Closes the channels and lets the selector drop them, which is when the JDK releases a
   * registered channel's socket: once this returns, the ports can be bound again. Loop only.
   */
  void close(DatagramChannel... channels) {
    checkInLoop();
    for (DatagramChannel channel : channels) {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing a relay channel: {}", e.toString());
      }
    }
    try {
      selector.selectNow(this::ready);
    } catch (IOException e) {
      log.warn("relay loop: deregistering closed channels failed: {}", e.toString());
    }
  }

  private void checkInLoop() {
    if (!inLoop()) {
      throw new IllegalStateException("not on the relay loop " + thread.getName());
    }
  }

  /**
   * Sends {@code length} bytes of the loop's own buffer (the datagram being handled, changed in
   * place) from {@code channel}; false when the socket's send buffer is full. Loop thread only.
   */
  boolean send(DatagramChannel channel, int length, InetSocketAddress to) throws IOException {
    out.clear().limit(length);
    return channel.send(out, to) > 0;
  }

  /** True on the loop's own thread. */
  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  private void run() {
    while (running) {
      try {
        selector.select(this::ready);
      } catch (IOException | RuntimeException e) {
        log.error("relay loop: select failed", e);
      }
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.error("relay loop: a task failed", e); // never stops the loop
        }
      }
    }
  }

  private void ready(SelectionKey key) {
    if (!key.isValid()) {
      return;
    }
    DatagramChannel channel = (DatagramChannel) key.channel();
    Receiver receiver = (Receiver) key.attachment();
    // one datagram per ready channel and selection: a call's socket rarely holds a second one,
    // and reading until EAGAIN would cost a system call per packet; the selector is
    // level-triggered, so a channel with more waiting is simply ready again
    SocketAddress from;
    try {
      in.clear().limit(MTU);
      from = channel.receive(in);
    } catch (IOException e) {
      receiver.failed(e);
      return;
    }
    if (from == null) {
      return;
    }
    try {
      receiver.receive(buf, in.position(), (InetSocketAddress) from);
    } catch (IOException | RuntimeException e) {
      receiver.failed(e); // garbage must never stop the loop
    }
  }

  /** Stops the thread and closes the selector (and with it every channel still registered). */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      for (SelectionKey key : selector.keys()) {
        key.channel().close();
      }
      selector.close();
    } catch (IOException e) {
      log.debug("closing the relay loop: {}", e.toString());
    }
  }
}
