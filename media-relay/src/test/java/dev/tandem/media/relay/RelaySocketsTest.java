package dev.tandem.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The relay's sockets get the receive buffer asked for, where the kernel allows it. */
class RelaySocketsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void aSocketGetsTheReceiveBufferAskedFor() throws Exception {
    Path max = Path.of("/proc/sys/net/core/rmem_max");
    assumeTrue(Files.exists(max) && rmemMax(max) >= 1 << 20, "net.core.rmem_max below 1 MiB");
    try (DatagramChannel asked = new RelaySockets(LOOPBACK, 1 << 20).open(0);
        DatagramChannel standard = new RelaySockets(LOOPBACK, 0).open(0)) {
      assertThat(asked.getOption(StandardSocketOptions.SO_RCVBUF))
          .isGreaterThanOrEqualTo(1 << 20)
          .isGreaterThan(standard.getOption(StandardSocketOptions.SO_RCVBUF));
    }
  }

  /** Read line-wise: /proc files report size 0, and a sized read stops early. */
  private static long rmemMax(Path max) throws java.io.IOException {
    try (java.io.BufferedReader in = Files.newBufferedReader(max)) {
      return Long.parseLong(in.readLine().trim());
    }
  }

  @Test
  void aTakenPortIsABindExceptionAndANegativeBufferIsRefused() throws Exception {
    try (DatagramChannel first = new RelaySockets(LOOPBACK, 0).open(0)) {
      int port = ((java.net.InetSocketAddress) first.getLocalAddress()).getPort();
      assertThatThrownBy(() -> new RelaySockets(LOOPBACK, 0).open(port))
          .isInstanceOf(java.net.BindException.class);
    }
    assertThatThrownBy(() -> new RelaySockets(LOOPBACK, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
