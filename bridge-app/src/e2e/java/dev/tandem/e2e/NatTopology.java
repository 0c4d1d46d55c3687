package dev.tandem.e2e;

import java.io.IOException;

/**
 * Five network namespaces with two NATs between them, all created by the test and deleted after it
 * (shared/PEERS.md "Network namespaces with a NAT between them"):
 *
 * <pre>
 *  bridge 10.77.1.2 ── 10.77.1.1 [nat] 198.51.100.1 ── 198.51.100.10 carrier
 *  (+ browser)                    203.0.113.1        ── 192.0.2.2 [phone-nat] 10.88.2.1 ── 10.88.2.2 phone
 *                                (public, on lo)  192.0.2.1
 * </pre>
 *
 * The bridge's NAT forwards (DNAT) SIP and the media ports arriving at its public address
 * 203.0.113.1 to the bridge, rewrites what the bridge sends (SNAT) to come from it, and hairpins
 * the browser's packets to the public address back in. The phone's NAT is a plain MASQUERADE.
 */
final class NatTopology implements AutoCloseable {
  static final String PUBLIC = "203.0.113.1";
  static final String BRIDGE = "10.77.1.2";
  static final String CARRIER = "198.51.100.10";
  static final String PHONE = "10.88.2.2";
  static final String PHONE_NAT = "192.0.2.2";

  final NetworkNamespace bridge;
  final NetworkNamespace nat;
  final NetworkNamespace carrier;
  final NetworkNamespace phoneNat;
  final NetworkNamespace phone;

  private NatTopology(
      NetworkNamespace bridge,
      NetworkNamespace nat,
      NetworkNamespace carrier,
      NetworkNamespace phoneNat,
      NetworkNamespace phone) {
    this.bridge = bridge;
    this.nat = nat;
    this.carrier = carrier;
    this.phoneNat = phoneNat;
    this.phone = phone;
  }

  static NatTopology create() throws IOException, InterruptedException {
    Peers.require("iptables", "iptables");
    NetworkNamespace bridge = NetworkNamespace.create();
    NetworkNamespace nat = NetworkNamespace.create();
    NetworkNamespace carrier = NetworkNamespace.create();
    NetworkNamespace phoneNat = NetworkNamespace.create();
    NetworkNamespace phone = NetworkNamespace.create();
    NatTopology t = new NatTopology(bridge, nat, carrier, phoneNat, phone);
    try {
      t.wire();
    } catch (IOException | InterruptedException | RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  private void wire() throws IOException, InterruptedException {
    nat.link("in0", bridge, "up0");
    nat.link("car0", carrier, "up0");
    nat.link("pho0", phoneNat, "wan0");
    phoneNat.link("lan0", phone, "up0");
    bridge.address("up0", BRIDGE + "/24");
    bridge.exec("ip", "route", "add", "default", "via", "10.77.1.1");
    nat.address("in0", "10.77.1.1/24");
    nat.address("car0", "198.51.100.1/24");
    nat.address("pho0", "192.0.2.1/24");
    nat.exec("ip", "addr", "add", PUBLIC + "/32", "dev", "lo");
    carrier.address("up0", CARRIER + "/24");
    carrier.exec("ip", "route", "add", "default", "via", "198.51.100.1");
    phoneNat.address("wan0", PHONE_NAT + "/24");
    phoneNat.exec("ip", "route", "add", "default", "via", "192.0.2.1");
    phoneNat.address("lan0", "10.88.2.1/24");
    phone.address("up0", PHONE + "/24");
    phone.exec("ip", "route", "add", "default", "via", "10.88.2.1");
    for (NetworkNamespace router : new NetworkNamespace[] {nat, phoneNat}) {
      router.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
      router.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
    }
    // the bridge's traffic leaves from the public address (ports kept where free)
    nat.exec(
        "iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "10.77.1.0/24", "!", "-d",
        "10.77.1.0/24", "-j", "SNAT", "--to-source", PUBLIC);
    // hairpin: the browser beside the bridge reaching the public address comes back in from the
    // NAT, so the answers go back through it too
    nat.exec(
        "iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "10.77.1.0/24", "-d", BRIDGE, "-j",
        "SNAT", "--to-source", "10.77.1.1");
    phoneNat.exec("iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan0", "-j", "MASQUERADE");
  }

  /** Forwards {@code protocol} port(s) ({@code 5060} or {@code 42000:42199}) of the public address. */
  void forward(String protocol, String ports) throws IOException, InterruptedException {
    nat.exec(
        "iptables", "-t", "nat", "-A", "PREROUTING", "-d", PUBLIC, "-p", protocol, "--dport", ports,
        "-j", "DNAT", "--to-destination", BRIDGE);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    IOException failed = null;
    for (NetworkNamespace ns : new NetworkNamespace[] {phone, phoneNat, carrier, nat, bridge}) {
      try {
        ns.close();
      } catch (IOException e) {
        failed = e;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
