package dev.tandem.bench.cps;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Every port one run uses, derived from one base so that a run never collides with other tests on
 * the machine ({@code --port-base}, default 15000): SIP base+60.., SIPp control and media sockets
 * base+90.., HTTP base+3080, the relay's media range {@code --media-ports}.
 */
record Ports(int base, int mediaMin, int mediaMax) {
  int bridgeSip() {
    return base + 60;
  }

  /** The SIPp UAS (the destination, and the account's registered contact). */
  int uas() {
    return base + 70;
  }

  /** The SIPp UAC calling through the bridge. */
  int uacToBridge() {
    return base + 71;
  }

  /** The SIPp UAC calling the UAS directly (the reference). */
  int uacDirect() {
    return base + 72;
  }

  int http() {
    return base + 3080;
  }

  /** SIPp's control socket (it defaults to 8888, shared by everyone) for SIPp number {@code n}. */
  int sippControl(int n) {
    return base + 90 + n;
  }

  /** SIPp's media socket base for SIPp number {@code n} (it binds a few ports above it). */
  int sippMedia(int n) {
    return base + 100 + 10 * n;
  }

  /** Fails with a clear message when a port this run needs is taken. */
  void checkFree() throws IOException {
    InetAddress lo = InetAddress.getLoopbackAddress();
    for (int port : new int[] {bridgeSip(), uas(), uacToBridge(), uacDirect()}) {
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(lo, port))) {
        // free
      } catch (IOException e) {
        throw new IOException(
            "UDP 127.0.0.1:" + port + " is in use; choose another --port-base", e);
      }
    }
    try (ServerSocket s = new ServerSocket(http(), 1, lo)) {
      // free
    } catch (IOException e) {
      throw new IOException(
          "TCP 127.0.0.1:" + http() + " is in use; choose another --port-base", e);
    }
  }
}
