package dev.tandem.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace with only a loopback interface, created by the test and deleted after it
 * (shared/PEERS.md: a browser outside one gathers the host's real interfaces). Every program of a
 * test that talks to a browser runs inside the same namespace.
 */
final class NetworkNamespace implements AutoCloseable {
  final String name;

  private NetworkNamespace(String name) {
    this.name = name;
  }

  static NetworkNamespace create() throws IOException, InterruptedException {
    Peers.require("ip", "iproute2");
    String name = "tandem-e2e-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    run(List.of("ip", "netns", "add", name));
    NetworkNamespace ns = new NetworkNamespace(name);
    try {
      run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /**
   * Makes a browser in the namespace gather its IPv6 loopback candidate ({@code ::1}). Chromium
   * (with {@code --allow-loopback-in-peer-connection}) adds {@code ::1} only when it finds a
   * default IPv6 source address that is not loopback; neither a route over {@code lo} nor an
   * address on {@code lo} gives one. So the namespace gets a veth pair whose two ends both stay in
   * it, one end with the unique-local address {@code fd00::1} and the default IPv6 route: nothing
   * can leave the namespace through it. (The browser also gathers {@code fd00::1}.)
   */
  void enableBrowserIpv6Loopback() throws IOException, InterruptedException {
    run(List.of("ip", "-n", name, "link", "add", "v6a", "type", "veth", "peer", "name", "v6b"));
    run(List.of("ip", "-n", name, "link", "set", "v6a", "up"));
    run(List.of("ip", "-n", name, "link", "set", "v6b", "up"));
    run(List.of("ip", "-n", name, "-6", "addr", "add", "fd00::1/64", "dev", "v6a", "nodad"));
    run(List.of("ip", "-n", name, "-6", "route", "add", "default", "dev", "v6a"));
  }

  /** {@code command} prefixed so that it runs inside this namespace. */
  List<String> wrap(List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", name));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Runs {@code command} inside this namespace; fails with its output if it fails. */
  void exec(String... command) throws IOException, InterruptedException {
    run(wrap(List.of(command)));
  }

  /** A veth pair: {@code here} in this namespace, {@code there} in {@code other}. */
  void link(String here, NetworkNamespace other, String there) throws IOException, InterruptedException {
    run(List.of("ip", "link", "add", here, "netns", name, "type", "veth", "peer", "name", there, "netns", other.name));
  }

  /** Gives {@code device} the address {@code cidr} and brings it up. */
  void address(String device, String cidr) throws IOException, InterruptedException {
    exec("ip", "addr", "add", cidr, "dev", device);
    exec("ip", "link", "set", device, "up");
  }

  static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.strip());
    }
  }

  /** Kills whatever still runs in the namespace, then deletes it. */
  @Override
  public void close() throws IOException, InterruptedException {
    Process pids = new ProcessBuilder("ip", "netns", "pids", name).start();
    String output = new String(pids.getInputStream().readAllBytes()).strip();
    pids.waitFor(10, TimeUnit.SECONDS);
    for (String pid : output.split("\\s+")) {
      if (!pid.isEmpty()) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    run(List.of("ip", "netns", "del", name));
  }
}
