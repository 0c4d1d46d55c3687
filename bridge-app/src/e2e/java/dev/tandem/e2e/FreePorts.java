package dev.tandem.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Hands out loopback ports that are free for both TCP and UDP, never the same one twice. */
final class FreePorts {
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  static synchronized int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        if (HANDED_OUT.contains(port)) {
          continue;
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
          HANDED_OUT.add(port);
          return port;
        } catch (IOException udpBusy) {
          // TCP was free but UDP is not: try another.
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free loopback port after 100 attempts");
  }

  /**
   * The first of {@code count} consecutive ports, all free for UDP now (SIPp's {@code -mp} binds
   * audio RTP/RTCP and video RTP/RTCP at mp..mp+3; checking mp alone let mp+2 collide).
   */
  static synchronized int consecutive(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = next();
      boolean free = true;
      for (int i = 1; i < count && free; i++) {
        int port = base + i;
        if (port > 65535 || HANDED_OUT.contains(port)) {
          free = false;
          continue;
        }
        try (DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
          // free now
        } catch (IOException busy) {
          free = false;
        }
      }
      if (free) {
        for (int i = 1; i < count; i++) {
          HANDED_OUT.add(base + i);
        }
        return base;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free loopback ports");
  }
}
