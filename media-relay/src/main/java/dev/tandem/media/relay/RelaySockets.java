package dev.tandem.media.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/**
 * How the relay opens its UDP sockets: on the bind address, each with a receive buffer of {@code
 * receiveBuffer} bytes (0: the system's default). A media thread that the machine pauses for a
 * moment must find its packets waiting: the default buffer (about 208 KiB on Linux, some 90
 * datagrams of a 1 Mbit/s video stream) overflows in a pause of half a second. The kernel caps the
 * size at {@code net.core.rmem_max}.
 */
record RelaySockets(InetAddress bind, int receiveBuffer) {
  RelaySockets {
    if (receiveBuffer < 0) {
      throw new IllegalArgumentException("a receive buffer cannot be negative: " + receiveBuffer);
    }
  }

  /**
   * A channel bound to {@code port}; closed again when binding fails.
   *
   * @throws java.net.BindException when the port is taken
   */
  DatagramChannel open(int port) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      if (receiveBuffer > 0) {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
      }
      channel.bind(new InetSocketAddress(bind, port));
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }
}
